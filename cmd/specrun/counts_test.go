package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/specrun/specrun/emulator"
	"github.com/specrun/specrun/internal/jsonltest"
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
// TAP plan and points (and prove), or the JUnit testcases. Then a run with
// a result of every status (see everyStatusCounts) counts the same in
// every format.
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

	everyStatusCounts(t, c)
}

// everyStatusSpec adds to fixtureSpecs a suite with a test of every other
// status. Run with --parallel 1, "slow" is in flight when the run is
// interrupted (interrupted: its request was sent) and "after" never starts
// (skipped).
const everyStatusSpec = `suite: every status
defaults: {package: demo}
tests:
  - {name: fails, action: hello, expect: {result: {greeting: bye}}}
  - {name: errors, action: garbled}
  - {name: skipped, action: hello, skip: not yet}
  - {name: slow, action: slow}
  - {name: after, action: hello}
`

// interruptingEmulator serves testdata/manifest.yaml on loopback and
// cancels the run's context when the slow action's request arrives: the
// run is interrupted, as by SIGINT, exactly while that request is in
// flight. Action garbled is answered with an HTML page (a proxy's error
// page), which a test cannot evaluate: its status is error.
func interruptingEmulator(t *testing.T, cancel func()) string {
	m, err := emulator.LoadManifest("testdata/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	emu := emulator.New(m, emulator.Options{AccessKey: "AKTEST", SecretKey: "SKTEST"})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/actions/slow"):
			cancel()
		case strings.HasSuffix(r.URL.Path, "/actions/garbled"):
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><body>502 Bad Gateway</body></html>"))
			return
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		emu.Close()
		srv.Close()
	})
	return srv.URL + "/api/v2"
}

// runInterrupted runs specrun on c.dir, one test at a time, against an
// emulator that interrupts the run (as a first SIGINT does) when the slow
// action's request arrives, and wants exit 130.
func (c *cli) runInterrupted(t *testing.T, args ...string) outcome {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.ctx = ctx
	defer func() { c.ctx = nil }()
	o := c.run(append([]string{"--endpoint", interruptingEmulator(t, cancel), "--parallel", "1", "--no-color"}, append(args, c.dir)...)...)
	if o.code != 130 {
		t.Fatalf("want exit 130 (interrupted): %s", o)
	}
	return o
}

// interruptedReports makes an interrupted run (runInterrupted) stream
// JSONL and write the JSON, TAP, JUnit and HTML reports into dir under
// c.dir, checks that the JSONL run_end and the JSON report count want, and
// returns the path of a report of that run by its name.
func (c *cli) interruptedReports(t *testing.T, dir string, want map[string]any) func(string) string {
	t.Helper()
	p := func(name string) string { return filepath.Join(c.dir, dir, name) }
	o := c.runInterrupted(t, "--format", "jsonl", "--report-json", p("r.json"), "--report-tap", p("r.tap"), "--report-junit", p("r.xml"), "--report-html", p("r.html"))
	lines := jsonltest.Lines(t, o.stdout)
	if got := lines[len(lines)-1]["counts"]; !equalMaps(asMap(got), want) {
		t.Errorf("JSONL run_end counts %v, want %v", got, want)
	}
	if got := reportCounts(t, p("r.json")); !equalMaps(got, want) {
		t.Errorf("JSON report counts %v, want %v", got, want)
	}
	return p
}

// everyStatusCounts runs suites with a pass, a fail, an error, a skip, an
// interrupted test, a test the interrupt kept from starting, and a failed
// setup and teardown, and checks that the console, the JSON report, the
// JSONL run_end, the TAP plan and points, the JUnit testsuites, the HTML
// report and report merge (its summary line and its JSON) all count 10
// results: 1 passed, 1 failed, 3 errored (2 of them fixtures), 4 skipped,
// 1 interrupted.
func everyStatusCounts(t *testing.T, c *cli) {
	if err := os.WriteFile(filepath.Join(c.dir, "s3.yaml"), []byte(everyStatusSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	c.env["NCLOUD_ACCESS_KEY"], c.env["NCLOUD_SECRET_KEY"] = "AKTEST", "SKTEST"
	want := map[string]any{"total": 10.0, "passed": 1.0, "failed": 1.0, "errored": 3.0, "skipped": 4.0, "interrupted": 1.0, "fixtures": 2.0}
	const consoleCounts = "1 passed, 4 failed, 4 skipped, 1 interrupted after sending their request (the action may have run) (failed includes 3 errored, 2 from setup or teardown)"

	o := c.runInterrupted(t)
	if !strings.Contains(o.stdout, "\n"+consoleCounts+"\n") || !strings.Contains(o.stdout, "Ran 8 tests in ") {
		t.Errorf("console:\n%s", o.stdout)
	}

	p := c.interruptedReports(t, "every", want)
	checkTAPCounts(t, p("r.tap"), 10, 5, 4)
	checkJUnitCounts(t, p("r.xml"), [4]int{10, 1, 4, 4})
	page, err := os.ReadFile(p("r.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, count := range []string{`"count-total">10<`, `"count-passed">1<`, `"count-failed">4<`, `(3 errored, 2 from setup or teardown)`, `"count-skipped">4<`, `"count-interrupted">1<`} {
		if !strings.Contains(string(page), count) {
			t.Errorf("HTML report lacks %s", count)
		}
	}

	o = c.run("report", "merge", "--report-json", p("merged.json"), p("r.json"))
	if o.code != 1 || o.stdout != "merged 1 report: 10 results, "+consoleCounts+"\n" {
		t.Errorf("report merge: %s", o)
	}
	if got := reportCounts(t, p("merged.json")); !equalMaps(got, want) {
		t.Errorf("merged JSON report counts %v, want %v", got, want)
	}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// reportCounts reads the counts of a JSON report.
func reportCounts(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct{ Counts map[string]any }
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return rep.Counts
}

// checkTAPCounts checks a TAP report's plan and its not ok and SKIP points.
func checkTAPCounts(t *testing.T, path string, plan, notOK, skips int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.Contains(text, "\n1.."+strconv.Itoa(plan)+"\n") || strings.Count(text, "\nnot ok ") != notOK || strings.Count(text, "# SKIP") != skips {
		t.Errorf("TAP does not count %d with %d not ok and %d skipped:\n%s", plan, notOK, skips, text)
	}
}

// checkJUnitCounts checks the tests, failures, errors and skipped of a
// JUnit report's suites, summed, and the totals of its root.
func checkJUnitCounts(t *testing.T, path string, want [4]int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type counts struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Skipped  int `xml:"skipped,attr"`
	}
	var doc struct {
		counts
		Suites []counts `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var sum [4]int
	for _, s := range doc.Suites {
		sum = [4]int{sum[0] + s.Tests, sum[1] + s.Failures, sum[2] + s.Errors, sum[3] + s.Skipped}
	}
	if sum != want || doc.Tests != want[0] || doc.Failures != want[1] || doc.Errors != want[2] {
		t.Errorf("JUnit counts: suites %v, root %+v; want %v (tests, failures, errors, skipped)", sum, doc.counts, want)
	}
}
