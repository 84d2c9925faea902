package reporters_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/specrun/specrun/reporters"
)

func TestWriteFileMakesMissingDirectories(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "reports", "nightly", "junit.xml")
	if err := reporters.WriteFile(target, func(w io.Writer) error {
		_, err := io.WriteString(w, "<testsuites/>")
		return err
	}); err != nil {
		t.Fatalf("WriteFile into a missing directory: %v", err)
	}
	if got, err := os.ReadFile(target); err != nil || string(got) != "<testsuites/>" {
		t.Errorf("report = %q, %v", got, err)
	}
}

func TestWriteFile(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name     string
		old      string // existing content of report.xml; "" means no file
		target   string // path relative to the temp dir
		write    func(io.Writer) error
		wantErr  string // with DIR standing for the temp dir
		wantFile string // content of report.xml afterwards; "" means absent
	}{
		{
			name:     "creates a new file",
			target:   "report.xml",
			write:    func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err },
			wantFile: "new",
		},
		{
			name:     "replaces an existing file",
			old:      "old",
			target:   "report.xml",
			write:    func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err },
			wantFile: "new",
		},
		{
			name:   "failing writer leaves the old file intact",
			old:    "old",
			target: "report.xml",
			write: func(w io.Writer) error {
				_, _ = io.WriteString(w, "half")
				return boom
			},
			wantErr:  "writing DIR/report.xml: boom",
			wantFile: "old",
		},
		{
			name:    "failing writer creates nothing",
			target:  "report.xml",
			write:   func(io.Writer) error { return boom },
			wantErr: "writing DIR/report.xml: boom",
		},
		{
			name:     "a file where the directory should be is named",
			old:      "old",
			target:   "report.xml/inner.xml",
			write:    func(io.Writer) error { return nil },
			wantErr:  "writing DIR/report.xml/inner.xml: DIR/report.xml is not a directory",
			wantFile: "old",
		},
		{
			name:    "directory as target is refused",
			target:  ".",
			write:   func(io.Writer) error { return nil },
			wantErr: "writing DIR: it is a directory; give a file name",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			report := filepath.Join(dir, "report.xml")
			if tt.old != "" {
				if err := os.WriteFile(report, []byte(tt.old), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := reporters.WriteFile(filepath.Join(dir, tt.target), tt.write)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("WriteFile: %v", err)
				}
			} else {
				want := filepath.FromSlash(tt.wantErr)
				want = strings.ReplaceAll(want, "DIR", dir)
				if err == nil || err.Error() != want {
					t.Fatalf("WriteFile error = %v, want %q", err, want)
				}
			}
			got, readErr := os.ReadFile(report)
			switch {
			case tt.wantFile == "" && readErr == nil:
				t.Errorf("report.xml exists with %q, want no file", got)
			case tt.wantFile != "" && string(got) != tt.wantFile:
				t.Errorf("report.xml = %q (%v), want %q", got, readErr, tt.wantFile)
			}
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			want := []string(nil)
			if tt.wantFile != "" {
				want = []string{"report.xml"}
			}
			if !slices.Equal(names, want) {
				t.Errorf("directory holds %q, want %q (temporary file left behind?)", names, want)
			}
		})
	}
}

func TestWriteFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "r.tap")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := reporters.WriteFile(path, func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, want -rw-r--r--", st.Mode().Perm())
	}
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// A report given as a symbolic link replaces the link's target, atomically;
// the link stays a link.
func TestWriteFileFollowsSymbolicLinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "report.json")
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(filepath.Join("real", "report.json"), link); err != nil {
		t.Fatal(err)
	}
	if err := reporters.WriteFile(link, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v, %v", info.Mode(), err)
	}
	if got, err := os.ReadFile(real); err != nil || string(got) != "new" {
		t.Errorf("target = %q, %v; want new", got, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) > 0 {
		t.Errorf("temporary files left beside the link: %v", left)
	}
}

// A report path that is a dangling symbolic link writes the link's target,
// made in its missing directory as any report path is; a relative link is
// read from the link's own directory, along a chain of links too. The link
// stays. A loop of links is an error naming the path, and nothing is
// written.
func TestWriteFileFollowsDanglingSymbolicLinks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		links [][2]string // link (in the test's directory) → its target, as written
		path  string      // the report path given, in the test's directory
		want  string      // the file written, in the test's directory; "" for an error
	}{
		{"to a missing file", [][2]string{{"r.json", "x.json"}}, "r.json", "x.json"},
		{"to a missing directory", [][2]string{{"r.json", "missing/deeper/x.json"}}, "r.json", "missing/deeper/x.json"},
		{"relative to the link's directory", [][2]string{{"sub/r.json", "../out/x.json"}}, "sub/r.json", "out/x.json"},
		{"a chain", [][2]string{{"r.json", "a/l2"}, {"a/l2", "../b/l3"}, {"b/l3", "c/x.json"}}, "r.json", "b/c/x.json"},
		{"a loop", [][2]string{{"r.json", "l2"}, {"l2", "r.json"}}, "r.json", ""},
		{"a link to itself", [][2]string{{"r.json", "r.json"}}, "r.json", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, l := range tc.links {
				link := filepath.Join(dir, l[0])
				if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(filepath.FromSlash(l[1]), link); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(dir, tc.path)
			err := reporters.WriteFile(path, writeString("new"))
			for _, l := range tc.links {
				if info, lerr := os.Lstat(filepath.Join(dir, l[0])); lerr != nil || info.Mode()&os.ModeSymlink == 0 {
					t.Errorf("the link %s was replaced: %v", l[0], lerr)
				}
			}
			if tc.want == "" {
				if err == nil || !strings.Contains(err.Error(), "writing "+path+": ") || !strings.Contains(err.Error(), "loop") {
					t.Errorf("err = %v, want a loop named with %s", err, path)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tc.want))); err != nil || string(got) != "new" {
				t.Errorf("%s = %q, %v; want the report", tc.want, got, err)
			}
			if got, err := os.ReadFile(path); err != nil || string(got) != "new" {
				t.Errorf("read through the link: %q, %v", got, err)
			}
		})
	}
}

// A report to something that is not a regular file (a named pipe, a
// device, what /dev/stdout links to) is written into it, not renamed over
// it.
func TestWriteFileWritesIntoWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	// Like /dev/stdout -> /proc/self/fd/1 -> a pipe.
	link := filepath.Join(dir, "stdout")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	err := reporters.WriteFile(link, writeString("report"))
	// Wakes the reader, should the report have gone anywhere else.
	if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		_ = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "report" {
		t.Errorf("the pipe's reader got %q", s)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v, %v", info.Mode(), err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v, %v", info.Mode(), err)
	}
}
