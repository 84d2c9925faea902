package inputfile

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	sock := filepath.Join(dir, "s.yaml")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	defer ln.Close()
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, kind string }{
		{fifo, "a named pipe (FIFO)"},
		{link, "a named pipe (FIFO)"},
		{sock, "a socket"},
		{dir, "a directory"},
		{"/dev/zero", "a character device"},
		{"/dev/null", "a character device"},
	} {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			// A FIFO without a writer blocks an ordinary open forever: the
			// test finishes only because Read never opens it that way.
			_, err := Read(c.path, MaxSize)
			var nr *NotRegularError
			if !errors.As(err, &nr) || nr.Kind != c.kind || nr.Path != c.path {
				t.Fatalf("Read(%s) = %v, want a NotRegularError, %s", c.path, err, c.kind)
			}
			if want := c.path + " is not a regular file: it is " + c.kind; err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
		})
	}
}

func TestReadRegularFiles(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(small, []byte("a: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{small, link} {
		data, err := Read(p, 5)
		if err != nil || string(data) != "a: 1\n" {
			t.Errorf("Read(%s) = %q, %v", p, data, err)
		}
	}
	_, err := Read(small, 4)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 4 || !strings.Contains(err.Error(), "is larger than 4 bytes") {
		t.Errorf("Read over the cap = %v, want a TooLargeError", err)
	}
	_, err = Read(filepath.Join(dir, "missing.yaml"), MaxSize)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read of a missing file = %v, want fs.ErrNotExist", err)
	}
	if got := (&TooLargeError{Path: "m.yaml", Limit: MaxSize}).Error(); got != "m.yaml is larger than 10 MB: a file this large is not supported; split it" {
		t.Errorf("TooLargeError = %q", got)
	}
}

// A file that grows past the cap after it was checked is still refused:
// the read itself is capped.
func TestReadCapsTheReadItself(t *testing.T) {
	_, err := Read("/proc/self/status", 16) // a regular file whose size reads as 0
	if _, statErr := os.Stat("/proc/self/status"); statErr != nil {
		t.Skip("no /proc")
	}
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Errorf("Read(/proc/self/status, 16) = %v, want a TooLargeError", err)
	}
}
