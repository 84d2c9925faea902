// Package golden compares test output with golden files, the files under
// testdata that hold the exact expected output of reporters, loaders and the
// command line. It is imported by tests only.
//
// Each test package declares its own -update flag and passes its value:
//
//	var update = flag.Bool("update", false, "rewrite the golden files")
//	...
//	golden.Check(t, filepath.Join("testdata", "pass.xml"), got, *update)
package golden

import (
	"bytes"
	"fmt"
	"os"
	"testing"
)

// Check fails t unless got is byte for byte the content of the file at
// path. With update set, it rewrites the file with got instead, so that
// the change shows in version control for review. A mismatch names the
// first line that differs, quoted so that escape codes and trailing
// spaces are visible.
func Check(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it; review the diff): %s", path, FirstDifference(want, got))
	}
}

// FirstDifference describes where got first departs from want: the line
// number and both lines, or which one is longer.
func FirstDifference(want, got []byte) string {
	wl := bytes.Split(bytes.TrimSuffix(want, []byte("\n")), []byte("\n"))
	gl := bytes.Split(bytes.TrimSuffix(got, []byte("\n")), []byte("\n"))
	for i := 0; i < len(wl) && i < len(gl); i++ {
		if !bytes.Equal(wl[i], gl[i]) {
			return fmt.Sprintf("line %d\n want: %q\n  got: %q", i+1, wl[i], gl[i])
		}
	}
	switch {
	case len(gl) > len(wl):
		return fmt.Sprintf("got %d more lines, from line %d: %q", len(gl)-len(wl), len(wl)+1, gl[len(wl)])
	case len(wl) > len(gl):
		return fmt.Sprintf("got %d fewer lines, missing from line %d: %q", len(wl)-len(gl), len(gl)+1, wl[len(gl)])
	}
	if !bytes.Equal(want, got) {
		return "they differ only in the final newline"
	}
	return "no difference"
}
