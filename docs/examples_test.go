package docs_test

// The examples and the complete specs shown in docs/spec-format.md must load:
// spec.Load decodes, validates and compiles them exactly as a run would.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/specrun/specrun/emulator"
	"github.com/specrun/specrun/spec"
)

// noEnv is a LookupEnv with an empty environment, so the examples' ${env.X:-d}
// defaults are what load, whatever the machine's environment holds.
func noEnv(string) (string, bool) { return "", false }

func TestExamplesLoad(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		tests int // at least this many tests
	}{
		{name: "the passing examples", paths: []string{"../examples/specs"}, tests: 25},
		{name: "the failing examples", paths: []string{"../examples/failing"}, tests: 6},
		{name: "the runtime examples", paths: []string{"../examples/runtimes/specs"}, tests: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := spec.Load(tt.paths, spec.Options{LookupEnv: noEnv})
			if err != nil {
				t.Fatalf("spec.Load(%q):\n%v", tt.paths, err)
			}
			if got := p.Tests(); got < tt.tests {
				t.Errorf("spec.Load(%q) found %d tests, want at least %d", tt.paths, got, tt.tests)
			}
		})
	}
}

func TestExampleManifestLoads(t *testing.T) {
	m, err := emulator.LoadManifest("../examples/manifest.yaml")
	if err != nil {
		t.Fatalf("examples/manifest.yaml:\n%v", err)
	}
	// Every exec action runs `sh SCRIPT`: the script must exist, so that the
	// executable bit does not matter.
	for _, p := range m.Packages {
		for _, a := range p.Actions {
			if a.Kind != emulator.KindExec {
				continue
			}
			if len(a.Exec) != 2 || a.Exec[0] != "sh" {
				t.Errorf("%s/%s: exec %q: write [sh, actions/SCRIPT.sh]", p.Name, a.Name, a.Exec)
				continue
			}
			if _, err := os.Stat(filepath.Join(m.Dir, a.Exec[1])); err != nil {
				t.Errorf("%s/%s: %v", p.Name, a.Name, err)
			}
		}
	}
}

// topLevelTests finds a YAML block that is a whole spec file.
var topLevelTests = regexp.MustCompile(`(?m)^tests:`)

func TestSpecFormatExamplesLoad(t *testing.T) {
	src, err := os.ReadFile("spec-format.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := fences("spec-format.md", src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	n := 0
	for _, b := range blocks {
		if !isYAML(b) || !topLevelTests.MatchString(b.text) {
			continue
		}
		n++
		file := filepath.Join(dir, fmt.Sprintf("line%04d.yaml", b.line))
		if err := os.WriteFile(file, []byte(b.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := spec.Load([]string{file}, spec.Options{LookupEnv: noEnv}); err != nil {
			t.Errorf("spec-format.md:%d: the example spec does not load:\n%v", b.line, err)
		}
	}
	if n < 4 {
		t.Errorf("found %d complete spec examples in spec-format.md, want at least 4", n)
	}
}
