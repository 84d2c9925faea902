package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specrun/specrun/bench"
)

func TestParsesWhatSpecrunLoads(t *testing.T) {
	dir := t.TempDir()
	if _, err := bench.WriteSpecs(dir, bench.SpecOptions{Tests: 250, PerFile: 100}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run([]string{dir}, &out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "3 files\n" {
		t.Errorf("printed %q, want %q", got, "3 files\n")
	}
}

func TestFailsOnWhatYAMLRefuses(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("tests: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run([]string{dir}, new(strings.Builder))
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("err = %v, want one naming %s", err, bad)
	}
	if err := run(nil, new(strings.Builder)); err == nil {
		t.Error("no paths: want a usage error")
	}
	if err := run([]string{filepath.Join(dir, "none")}, new(strings.Builder)); err == nil {
		t.Error("no spec files: want an error")
	}
}
