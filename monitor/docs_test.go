package monitor

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDocsListEveryMetric keeps the tables of docs/monitor.md in step with
// what /metrics serves after a run: a metric missing from the tables, or a
// table row for a metric that is not served, fails.
func TestDocsListEveryMetric(t *testing.T) {
	doc, err := os.ReadFile("../docs/monitor.md")
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, m := range regexp.MustCompile("(?m)^\\| `(specrun_[a-z_]+)` \\|").FindAllStringSubmatch(string(doc), -1) {
		documented = append(documented, m[1])
	}
	h := start(t, Config{Paths: []string{"testdata/specs"}, Load: loader("testdata/specs", "testdata/more/setup.yaml"), Run: realRun(startEmulator(t))})
	h.run()
	var served []string
	for name := range h.metrics() {
		if strings.HasPrefix(name, "specrun_") {
			served = append(served, name)
		}
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Errorf("docs/monitor.md's tables list\n  %v\n/metrics serves\n  %v", documented, served)
	}
}

// TestAlertRulesPassPromtool runs what CI runs on the alert rules.
func TestAlertRulesPassPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool is missing: install Debian's prometheus (.ci/run does)")
		}
		t.Skip("promtool is missing: install Debian's prometheus to check the alert rules")
	}
	for _, args := range [][]string{{"check", "rules", "alerts.yaml"}, {"test", "rules", "alerts_test.yaml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = "../docs/monitor"
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
