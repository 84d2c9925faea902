package monitor

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// The record of a run gives every count the other outputs give: an
// interrupted run's record says how many tests were interrupted after
// sending their request (the JSON report and the metrics say so too).
func TestRunRecordCountsInterrupted(t *testing.T) {
	suite := &spec.Suite{Name: "s"}
	res := &runner.Result{Interrupted: true, Suites: []*runner.SuiteResult{{Suite: suite, Tests: []*runner.TestResult{
		{Test: &spec.Test{Suite: suite, Name: "passed"}, Status: runner.Pass},
		{Test: &spec.Test{Suite: suite, Name: "cut"}, Status: runner.Interrupted},
	}}}}
	var out bytes.Buffer
	m := &Monitor{cfg: Config{Log: slog.New(slog.NewTextHandler(&out, nil))}}
	m.logRun(res, func(s string) string { return s })
	if got := out.String(); !strings.Contains(got, `msg="run interrupted" passed=1 failed=0 errored=0 skipped=0 interrupted=1 `) {
		t.Errorf("record %q: want every count, interrupted=1 among them", got)
	}
}
