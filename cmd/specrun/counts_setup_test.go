package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Audit E7: a run interrupted while its suite's setup waits for its action
// (the request was sent: the action may have run) counts the setup as one
// interrupted result, never a failed setup, in every format: the console
// (no "setup failed"), the JSON report, the JSONL run_end, the TAP plan
// (severity interrupted), the JUnit testsuites, the HTML report and report
// merge. 3 results: 2 tests skipped, 1 interrupted.
func TestInterruptedSetupCountsInEveryFormat(t *testing.T) {
	c := newCLI(t)
	spec := "suite: slow setup\ndefaults: {package: demo}\nsetup:\n  - action: slow\ntests:\n  - {name: first, action: hello}\n  - {name: second, action: hello}\n"
	if err := os.WriteFile(filepath.Join(c.dir, "s.yaml"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	c.env["NCLOUD_ACCESS_KEY"], c.env["NCLOUD_SECRET_KEY"] = "AKTEST", "SKTEST"
	want := map[string]any{"total": 3.0, "passed": 0.0, "failed": 0.0, "errored": 0.0, "skipped": 2.0, "interrupted": 1.0, "fixtures": 0.0}
	const consoleCounts = "0 passed, 0 failed, 2 skipped, 1 interrupted after sending their request (the action may have run)"

	o := c.runInterrupted(t)
	if !strings.Contains(o.stdout, "\n"+consoleCounts+"\n") || !strings.Contains(o.stdout, "Ran 2 tests in ") ||
		strings.Contains(o.stdout, "setup failed") || !strings.Contains(o.stdout, "~ slow setup › setup (") {
		t.Errorf("console:\n%s", o.stdout)
	}

	p := c.interruptedReports(t, "out", want)
	checkTAPCounts(t, p("r.tap"), 3, 1, 2)
	if tap, _ := os.ReadFile(p("r.tap")); !strings.Contains(string(tap), "severity: interrupted") || strings.Contains(string(tap), "severity: error") {
		t.Errorf("TAP: the setup's point is not severity interrupted:\n%s", tap)
	}
	checkJUnitCounts(t, p("r.xml"), [4]int{3, 0, 1, 2})
	page, err := os.ReadFile(p("r.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, count := range []string{`"count-total">3<`, `"count-failed">0<`, `"count-skipped">2<`, `"count-interrupted">1<`} {
		if !strings.Contains(string(page), count) {
			t.Errorf("HTML report lacks %s", count)
		}
	}

	o = c.run("report", "merge", "--report-json", p("merged.json"), p("r.json"))
	if o.stdout != "merged 1 report: 3 results, "+consoleCounts+"\n" {
		t.Errorf("report merge: %s", o)
	}
	if got := reportCounts(t, p("merged.json")); !equalMaps(got, want) {
		t.Errorf("merged JSON report counts %v, want %v", got, want)
	}
}
