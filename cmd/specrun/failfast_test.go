package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Audit E6, as reported: with --fail-fast, a suite setup that fails is the
// first failure, so the next file's test is not started (skipped); so is a
// teardown that fails.
func TestFailFastAfterAFailedFixture(t *testing.T) {
	for _, fixture := range []string{"setup", "teardown"} {
		t.Run(fixture, func(t *testing.T) {
			c := newCLI(t)
			a := "suite: a\n" + fixture + ": [{action: demo/nothere}]\ntests: [{name: t, action: demo/hello}]\n"
			if err := os.WriteFile(filepath.Join(c.dir, "a.yaml"), []byte(a), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(c.dir, "b.yaml"), []byte("suite: b\ntests: [{name: t, action: demo/hello}]\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			o := c.run("--local", "testdata/manifest.yaml", "--fail-fast", "--parallel", "1", "--no-color", c.dir)
			if o.code != 1 || !strings.Contains(o.stdout, "- b › t (skipped: not run: --fail-fast stopped the run after a failure)") {
				t.Errorf("want exit 1 and b › t skipped by --fail-fast: %s", o)
			}
		})
	}
}
