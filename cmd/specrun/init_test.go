package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// scaffoldTargets are the files init writes, relative to DIR.
var scaffoldTargets = []string{".github/workflows/specrun.yml", "actions/greet.sh", "manifest.yaml", "specs/hello.yaml"}

func TestInitScaffoldPasses(t *testing.T) {
	c := newCLI(t)
	dir := filepath.Join(c.dir, "project")
	o := c.run("init", dir)
	if o.code != 0 {
		t.Fatalf("init: %s", o)
	}
	for _, name := range scaffoldTargets {
		if !strings.Contains(o.stdout, "created "+filepath.Join(dir, name)+"\n") {
			t.Errorf("init does not say it created %s:\n%s", name, o.stdout)
		}
	}
	if !strings.Contains(o.stdout, "specrun --local "+filepath.Join(dir, "manifest.yaml")+" "+filepath.Join(dir, "specs")) {
		t.Errorf("init does not say how to run the specs:\n%s", o.stdout)
	}
	if o := c.run("validate", filepath.Join(dir, "specs")); o.code != 0 {
		t.Errorf("validate: %s", o)
	}
	o = c.run("--local", filepath.Join(dir, "manifest.yaml"), "--no-color", filepath.Join(dir, "specs"))
	if o.code != 0 || !strings.Contains(o.stdout, "3 passed") {
		t.Fatalf("the scaffold does not pass: %s", o)
	}
	if o := c.run("--local", filepath.Join(dir, "manifest.yaml"), "--list", "--tags", "smoke and not echo", filepath.Join(dir, "specs")); strings.Count(o.stdout, "\n") != 2 {
		t.Errorf("the scaffold's tags: %s", o)
	}
}

func TestInitNeverOverwrites(t *testing.T) {
	for _, existing := range scaffoldTargets {
		t.Run(existing, func(t *testing.T) {
			c := newCLI(t)
			dir := c.dir
			path := filepath.Join(dir, existing)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte("mine\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			o := c.run("init", dir)
			if o.code != 2 || !strings.Contains(o.stderr, `"`+path+`" already exists: nothing was written`) {
				t.Errorf("want exit 2 naming %s: %s", path, o)
			}
			if data, _ := os.ReadFile(path); string(data) != "mine\n" {
				t.Errorf("init overwrote %s: %q", existing, data)
			}
			for _, other := range scaffoldTargets {
				if _, err := os.Stat(filepath.Join(dir, other)); other != existing && err == nil {
					t.Errorf("init wrote %s though %s exists", other, existing)
				}
			}
		})
	}
}

// TestInitRealProcess scaffolds into the working directory (init with no
// DIR) and runs what the CI workflow runs, as the workflow would, from the
// repository's root.
func TestInitRealProcess(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	run := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("init"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	if out, err := run("--local", "manifest.yaml", "specs"); err != nil || !strings.Contains(out, "3 passed") {
		t.Fatalf("the scaffold does not pass: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, ".github", "workflows", "specrun.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct{ Run string }
		}
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("the workflow is not YAML: %v", err)
	}
	ran := 0
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			args, ok := strings.CutPrefix(step.Run, "specrun ")
			if !ok {
				continue
			}
			ran++
			if out, err := run(strings.Fields(args)...); err != nil {
				t.Errorf("the workflow's %q fails: %v\n%s", step.Run, err, out)
			}
		}
	}
	if ran != 2 {
		t.Errorf("ran %d specrun steps of the workflow, want 2 (validate, run)", ran)
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "junit.xml")); err != nil {
		t.Errorf("the workflow's run wrote no JUnit report: %v", err)
	}
	if out, err := run("init"); exitCodeOf(err) != 2 || !strings.Contains(out, `"specs/hello.yaml" already exist: nothing was written`) {
		t.Errorf("a second init: %v\n%s", err, out)
	}
}
