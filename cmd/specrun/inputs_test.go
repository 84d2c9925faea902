package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mkfifo makes a named pipe at path. Cleanup opens it read-write, which
// never blocks and wakes a reader stuck on it, so that a failing run does
// not leave a goroutine behind.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	t.Cleanup(func() {
		if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
			_ = f.Close()
		}
	})
}

// runGuarded runs the command, failing the test rather than hanging with it
// when the command blocks.
func (c *cli) runGuarded(args ...string) outcome {
	c.t.Helper()
	done := make(chan outcome, 1)
	go func() { done <- c.run(args...) }()
	select {
	case o := <-done:
		return o
	case <-time.After(30 * time.Second):
		c.t.Fatalf("specrun %s still running after 30s: it blocks on its input", strings.Join(args, " "))
		return outcome{}
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Every file specrun reads that is a named pipe (or a device, or a
// directory where a file is expected) is refused at once, with its path.
func TestInputsThatAreNotRegularFilesAreRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	mkfifo(t, fifo)
	schemaFifo := filepath.Join(dir, "schemas", "order.json")
	if err := os.MkdirAll(filepath.Dir(schemaFifo), 0o755); err != nil {
		t.Fatal(err)
	}
	mkfifo(t, schemaFifo)
	withSchema := filepath.Join(dir, "schema.yaml")
	writeFile(t, withSchema, "tests:\n  - name: t\n    action: demo/echo\n    expect:\n      assert:\n        - path: content.response.result\n          schema: schemas/order.json\n")
	inDir := filepath.Join(dir, "walked")
	mkfifo(t, filepath.Join(inDir+"-tmp"))
	if err := os.MkdirAll(inDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(inDir+"-tmp", filepath.Join(inDir, "p.yaml")); err != nil {
		t.Fatal(err)
	}
	const pipe = "is not a regular file: it is a named pipe (FIFO)"
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"spec file", []string{"validate", fifo}, fifo + ": " + pipe},
		{"spec file in a directory", []string{"validate", inDir}, filepath.Join(inDir, "p.yaml") + ": " + pipe},
		{"schema file", []string{"validate", withSchema}, "is not a regular file (" + schemaFifo + "): it is a named pipe (FIFO); give the path of a JSON Schema file"},
		{"var file", []string{"validate", "--var-file", fifo, "testdata/pass"}, fifo + ": --var-file: " + pipe},
		{"var file that is a directory", []string{"validate", "--var-file", dir, "testdata/pass"}, dir + ": --var-file: is not a regular file: it is a directory"},
		{"--local manifest", []string{"--local", fifo, "testdata/pass"}, fifo + ": " + pipe},
		{"serve manifest", []string{"serve", "--addr", "127.0.0.1:0", fifo}, fifo + ": " + pipe},
		{"--local /dev/zero", []string{"--local", "/dev/zero", "testdata/pass"}, "/dev/zero: is not a regular file: it is a character device"},
		{"serve /dev/zero", []string{"serve", "--addr", "127.0.0.1:0", "/dev/zero"}, "/dev/zero: is not a regular file: it is a character device"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			o := c.runGuarded(tc.args...)
			if o.code != 2 || !strings.Contains(o.stderr, tc.want) {
				t.Errorf("want exit 2 and %q\n%s", tc.want, o)
			}
		})
	}
}

// A manifest has the same size cap as a spec file, and the same message.
func TestManifestSizeCapLikeSpecFiles(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "manifest.yaml")
	writeFile(t, big, "namespace: x\n# "+strings.Repeat("x", 10<<20)+"\n")
	bigSpec := filepath.Join(dir, "spec.yaml")
	writeFile(t, bigSpec, "tests: []\n# "+strings.Repeat("x", 10<<20)+"\n")
	c := newCLI(t)
	m := c.run("--local", big, "testdata/pass")
	s := c.run("validate", bigSpec)
	const want = "file is larger than 10 MB: a file this large is not supported; split it"
	if m.code != 2 || !strings.Contains(m.stderr, big+": "+want) {
		t.Errorf("manifest: want exit 2 and %q\n%s", want, m)
	}
	if s.code != 2 || !strings.Contains(s.stderr, bigSpec+": "+want) {
		t.Errorf("spec: want exit 2 and %q\n%s", want, s)
	}
}

// A response body over the cap says so, says that the action ran, and
// names the flag that raises the cap; the flag does raise it.
func TestResponseOverTheCap(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "manifest.yaml")
	// The result stays under OpenWhisk's 1 MB result limit (so the action
	// succeeds) while the whole response body, with its activation record
	// around the result, is over a 1 MB cap.
	writeFile(t, manifest, "namespace: big\npackages:\n  p:\n    actions:\n      big: {result: {text: "+strings.Repeat("x", 1<<20-40)+"}}\n")
	specFile := filepath.Join(dir, "big.yaml")
	writeFile(t, specFile, "tests:\n  - name: big answer\n    action: p/big\n")
	c := newCLI(t)
	o := c.run("--local", manifest, "--no-color", "--max-response-mb", "1", specFile)
	for _, want := range []string{
		"the HTTP 200 response body is over the 1 MB cap on response bodies: the action ran, but its response was not read (and the call was not sent again)",
		"raise the cap with --max-response-mb, or make the action return less",
	} {
		if o.code != 1 || !strings.Contains(o.stdout, want) {
			t.Errorf("want exit 1 and %q\n%s", want, o)
		}
	}
	if strings.Contains(o.stdout, "connection broke") {
		t.Errorf("the hint speaks of a broken connection:\n%s", o)
	}
	if o := c.run("--local", manifest, "--no-color", "--max-response-mb", "2", specFile); o.code != 0 {
		t.Errorf("--max-response-mb 2 does not raise the cap:\n%s", o)
	}

}
