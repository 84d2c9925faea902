package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fixtureSpecs are two suites: one whose setup errors (its two tests are
// skipped), one whose only test passes and whose teardown fails an
// expectation.
const fixtureSpecs = `suite: broken setup
defaults: {package: demo}
setup:
  - action: nothere
tests:
  - {name: first, action: hello}
  - {name: second, action: hello}
---
suite: bad teardown
defaults: {package: demo}
teardown:
  - action: hello
    expect: {result: {greeting: bye}}
tests:
  - {name: passes, action: hello}
`

// TestOneModelOfCounts: a failed setup or teardown is one errored result
// in every format: 5 results (3 tests and 2 fixtures), 1 passed, 2
// errored, 2 skipped, whether read from the console, the JSON counts, the
// TAP plan and points (and prove), or the JUnit testcases.
func TestOneModelOfCounts(t *testing.T) {
	c := newCLI(t)
	dir := c.dir
	for i, doc := range strings.Split(fixtureSpecs, "---\n") {
		if err := os.WriteFile(filepath.Join(dir, "s"+string(rune('1'+i))+".yaml"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tapPath, junitPath := filepath.Join(dir, "r.tap"), filepath.Join(dir, "r.xml")
	o := c.run("--local", "testdata/manifest.yaml", "--format", "json", "--report-tap", tapPath, "--report-junit", junitPath, dir)
	if o.code != 1 {
		t.Fatalf("want exit 1: %s", o)
	}
	var rep struct {
		Counts struct{ Total, Passed, Failed, Errored, Skipped int }
	}
	if err := json.Unmarshal([]byte(o.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if got := rep.Counts; got.Total != 5 || got.Passed != 1 || got.Failed != 0 || got.Errored != 2 || got.Skipped != 2 {
		t.Errorf("JSON counts %+v, want 5 total, 1 passed, 2 errored, 2 skipped", got)
	}

	tapDoc, err := os.ReadFile(tapPath)
	if err != nil {
		t.Fatal(err)
	}
	tapText := string(tapDoc)
	if !strings.Contains(tapText, "\n1..5\n") || strings.Count(tapText, "\nnot ok ") != 2 || strings.Count(tapText, "severity: error") != 2 ||
		strings.Count(tapText, "# SKIP") != 2 {
		t.Errorf("TAP does not count 5 with 2 errored and 2 skipped:\n%s", tapText)
	}
	if prove := tool(t, "prove", "perl"); prove != "" {
		out, _ := exec.Command(prove, "--exec", "cat", tapPath).CombinedOutput()
		if !strings.Contains(string(out), "Failed 2/5 subtests") {
			t.Errorf("prove:\n%s", out)
		}
	}

	b, err := os.ReadFile(junitPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Errors   int `xml:"errors,attr"`
			Skipped  int `xml:"skipped,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var tests, failures, errs, skipped int
	for _, s := range doc.Suites {
		tests, failures, errs, skipped = tests+s.Tests, failures+s.Failures, errs+s.Errors, skipped+s.Skipped
	}
	if tests != 5 || failures != 0 || errs != 2 || skipped != 2 {
		t.Errorf("JUnit counts %d tests, %d failures, %d errors, %d skipped; want 5, 0, 2, 2", tests, failures, errs, skipped)
	}

	o = c.run("--local", "testdata/manifest.yaml", dir)
	if !strings.Contains(o.stdout, "Ran 3 tests in ") || !strings.Contains(o.stdout, "1 setup failed, 1 teardown failed") ||
		!regexp.MustCompile(`\n1 passed, 2 failed, 2 skipped \(failed includes 2 errored, 2 from setup or teardown\)\n`).MatchString(o.stdout) {
		t.Errorf("console:\n%s", o.stdout)
	}
}
