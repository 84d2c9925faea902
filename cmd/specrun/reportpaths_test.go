package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// copyDir copies testdata/pass into a fresh directory: the tests below
// must be able to see whether a spec file was touched.
func passSpecs(t *testing.T) (dir, spec string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "specs")
	data, err := os.ReadFile("testdata/pass/smoke.yaml")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "smoke.yaml"), string(data))
	return dir, filepath.Join(dir, "smoke.yaml")
}

// A report path that is one of the run's inputs, or another report's, is
// refused before anything runs, whatever its spelling; the input is left
// as it was.
func TestReportPathsThatWouldOverwriteAnInputOrAReport(t *testing.T) {
	specs, smoke := passSpecs(t)
	before, _ := os.ReadFile(smoke)
	dir := filepath.Dir(specs)
	vars := filepath.Join(dir, "vars.yaml")
	writeFile(t, vars, "x: 1\n")
	manifest := filepath.Join(dir, "manifest.yaml")
	data, _ := os.ReadFile("testdata/manifest.yaml")
	writeFile(t, manifest, string(data)+"      script: {exec: [sh, run.sh]}\n")
	script := filepath.Join(dir, "run.sh")
	writeFile(t, script, "echo '{}'\n")
	schema := filepath.Join(specs, "order.json")
	writeFile(t, schema, `{"type": "object"}`)
	writeFile(t, filepath.Join(specs, "schema.yaml"), "tests:\n  - name: t\n    action: demo/echo\n    expect:\n      assert:\n        - {path: content.response.result, schema: order.json}\n")
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(smoke, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.yaml")
	if err := os.Link(smoke, hard); err != nil {
		t.Fatal(err)
	}
	r := filepath.Join(dir, "r.xml")
	dangling := filepath.Join(dir, "dangling.json") // → r.xml, not written yet
	if err := os.Symlink("r.xml", dangling); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"a spec file found in a directory", []string{"--report-junit", smoke, specs}, "--report-junit " + smoke + " would overwrite " + smoke + ", an input of this run"},
		{"a spec file given", []string{"--report-tap", smoke, smoke}, "would overwrite " + smoke},
		{"through a symbolic link", []string{"--report-json", link, specs}, "--report-json " + link + " would overwrite " + smoke},
		{"through a hard link", []string{"--report-json", hard, specs}, "--report-json " + hard + " would overwrite " + smoke},
		{"with ../", []string{"--report-junit", filepath.Join(specs, "..", "specs", "smoke.yaml"), specs}, "would overwrite " + smoke},
		{"a var file", []string{"--var-file", vars, "--report-junit", vars, specs}, "would overwrite " + vars},
		{"the manifest", []string{"--report-tap", manifest, specs}, "would overwrite " + manifest},
		{"a schema file", []string{"--report-json", schema, specs}, "--report-json " + schema + " would overwrite " + schema},
		{"a script of the manifest", []string{"--report-json", script, specs}, "--report-json " + script + " would overwrite " + script},
		{"two reports, one path", []string{"--report-junit", r, "--report-tap", r, specs}, "--report-junit " + r + " and --report-tap " + r + " are the same file"},
		{"two reports, two spellings", []string{"--report-junit", r, "--report-json", filepath.Join(dir, ".", "specs", "..", "r.xml"), specs}, "are the same file"},
		{"two reports, one through a dangling link", []string{"--report-junit", r, "--report-json", dangling, specs}, "--report-junit " + r + " and --report-json " + dangling + " are the same file"},
		{"two reports to standard output", []string{"--report-junit", "-", "--report-json", "-", specs}, "--report-junit and --report-json both write to standard output (-)"},
		{"a report to standard output with --format", []string{"--format", "tap", "--report-json", "-", specs}, "--report-json -: standard output already carries --format tap"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--local", manifest}, tc.args...)
			o := newCLI(t).run(args...)
			if o.code != 2 || !strings.Contains(o.stderr, tc.want) {
				t.Errorf("want exit 2 and %q\n%s", tc.want, o)
			}
			if strings.Contains(o.stdout, "passed") {
				t.Errorf("the tests ran:\n%s", o)
			}
			if after, _ := os.ReadFile(smoke); !bytes.Equal(before, after) {
				t.Fatalf("the spec file was overwritten:\n%s", after)
			}
			if _, err := os.Stat(r); err == nil {
				t.Errorf("a report was written")
			}
		})
	}
}

// --report-json - writes the report to standard output, after the console's
// output.
func TestReportToStandardOutput(t *testing.T) {
	o := newCLI(t).run("--local", "testdata/manifest.yaml", "--no-color", "--report-json", "-", "testdata/pass")
	i := strings.Index(o.stdout, "{")
	if o.code != 0 || i < 0 || !json.Valid([]byte(o.stdout[i:])) || !strings.Contains(o.stdout[:i], "passed") {
		t.Fatalf("want the console's output, then the JSON report\n%s", o)
	}
	if _, err := os.Stat("-"); err == nil {
		t.Errorf("a file named - was written")
	}
}

// A report to /dev/fd/1 (what /dev/stdout leads to) goes to standard
// output, written in place.
func TestReportToTheProcessStandardOutput(t *testing.T) {
	bin := binary(t)
	cmd := exec.Command(bin, "--local", "testdata/manifest.yaml", "--format", "tap", "--report-json", "/dev/fd/1", "testdata/pass")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s\n%s", err, &stdout, &stderr)
	}
	out := stdout.String()
	i := strings.Index(out, "\n{")
	if i < 0 || !strings.HasPrefix(out, "TAP version 13") || !json.Valid([]byte(out[i+1:])) {
		t.Errorf("want the TAP stream, then the JSON report, on standard output:\n%s\n%s", out, &stderr)
	}
}

// A report to a named pipe is written once, whole, even in a run whose
// teardown makes the report files be written before it ends.
func TestReportToANamedPipeIsWrittenOnce(t *testing.T) {
	dir := t.TempDir()
	specFile := filepath.Join(dir, "teardown.yaml")
	writeFile(t, specFile, "defaults: {package: demo}\nteardown:\n  - {name: cleanup, action: hello}\ntests:\n  - {name: quick, action: hello}\n")
	fifo := filepath.Join(dir, "report.json")
	mkfifo(t, fifo)
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- []byte(err.Error())
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	o := newCLI(t).runGuarded("--local", "testdata/manifest.yaml", "--report-json", fifo, specFile)
	if o.code != 0 {
		t.Fatalf("want exit 0\n%s", o)
	}
	data := <-got
	dec := json.NewDecoder(bytes.NewReader(data))
	var first, second any
	if err := dec.Decode(&first); err != nil {
		t.Fatalf("the pipe did not get a JSON report: %v\n%s", err, data)
	}
	if err := dec.Decode(&second); err != io.EOF {
		t.Errorf("the pipe got more than one report (%v):\n%s", err, data)
	}
}
