package bench

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/specrun/specrun/emulator"
	"github.com/specrun/specrun/spec"
)

func TestWriteSpecs(t *testing.T) {
	tests := []struct {
		name      string
		opts      SpecOptions
		wantFiles int
	}{
		{"one test makes one file", SpecOptions{Tests: 1}, 1},
		{"a partial last file is written", SpecOptions{Tests: 250}, 3},
		{"per-file is honoured", SpecOptions{Tests: 30, PerFile: 10}, 3},
		{"the slow action can be chosen", SpecOptions{Tests: 5, Action: SlowAction}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			files, err := WriteSpecs(dir, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if files != tt.wantFiles {
				t.Errorf("WriteSpecs wrote %d files, want %d", files, tt.wantFiles)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != tt.wantFiles {
				t.Errorf("the directory holds %d files, want %d", len(entries), tt.wantFiles)
			}
			p, err := spec.Load([]string{dir}, spec.Options{})
			if err != nil {
				t.Fatalf("the written specs do not load: %v", err)
			}
			if got := p.Tests(); got != tt.opts.Tests {
				t.Errorf("loaded %d tests, want %d", got, tt.opts.Tests)
			}
		})
	}
}

func TestWriteSpecsReportsAnUnwritableDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	_, err := WriteSpecs(dir, SpecOptions{Tests: 1})
	if err == nil {
		t.Fatal("WriteSpecs into a missing directory succeeded, want an error")
	}
}

func TestManifest(t *testing.T) {
	tests := []struct {
		name        string
		delay       time.Duration
		wantActions []string
	}{
		{"no delay has only the fixed action", 0, []string{FixedAction}},
		{"a delay adds the slow action", 100 * time.Millisecond, []string{FixedAction, SlowAction}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := emulator.ParseManifest("bench.yaml", Manifest(tt.delay))
			if err != nil {
				t.Fatalf("the manifest does not parse: %v", err)
			}
			if len(m.Packages) != 1 || m.Packages[0].Name != Package {
				t.Fatalf("the manifest has packages %v, want only %q", m.Packages, Package)
			}
			if got := len(m.Packages[0].Actions); got != len(tt.wantActions) {
				t.Errorf("the package has %d actions, want %d", got, len(tt.wantActions))
			}
			for _, a := range tt.wantActions {
				if m.Action(Package, a) == nil {
					t.Errorf("the package has no action %q", a)
				}
			}
		})
	}
}
