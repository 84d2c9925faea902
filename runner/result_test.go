package runner_test

import (
	"testing"
	"time"

	"github.com/specrun/specrun/runner"
)

func TestPhase(t *testing.T) {
	step := func(s runner.Status, d time.Duration) *runner.StepResult {
		return &runner.StepResult{Status: s, Duration: d}
	}
	tests := []struct {
		name   string
		steps  []*runner.StepResult
		status runner.Status
		d      time.Duration
		failed bool
	}{
		{"no steps", nil, runner.Skip, 0, false},
		{"all passed", []*runner.StepResult{step(runner.Pass, time.Second), step(runner.Pass, 2*time.Second)}, runner.Pass, 3 * time.Second, false},
		{"a failure, then skipped", []*runner.StepResult{step(runner.Fail, time.Second), step(runner.Skip, 0)}, runner.Fail, time.Second, true},
		{"an error outranks a failure", []*runner.StepResult{step(runner.Fail, time.Second), step(runner.Error, time.Second)}, runner.Error, 2 * time.Second, true},
		{"nil steps are ignored", []*runner.StepResult{nil, step(runner.Pass, time.Second), nil}, runner.Pass, time.Second, false},
	}
	for _, tt := range tests {
		st, d := runner.Phase(tt.steps)
		if st != tt.status || d != tt.d || st.Failed() != tt.failed {
			t.Errorf("%s: Phase = %v, %s (failed %v); want %v, %s (failed %v)", tt.name, st, d, st.Failed(), tt.status, tt.d, tt.failed)
		}
	}
}

func TestDecisive(t *testing.T) {
	a1, a2 := &runner.Attempt{Status: runner.Fail}, &runner.Attempt{Status: runner.Error}
	pass := &runner.StepResult{Status: runner.Pass, Attempts: []*runner.Attempt{{Status: runner.Pass}}}
	retried := &runner.StepResult{Status: runner.Error, Attempts: []*runner.Attempt{a1, a2}}
	none := &runner.StepResult{Status: runner.Fail}
	tests := []struct {
		name  string
		steps []*runner.StepResult
		step  *runner.StepResult
		att   *runner.Attempt
	}{
		{"nothing failed", []*runner.StepResult{pass, nil}, nil, nil},
		{"the last attempt of the first step that failed", []*runner.StepResult{nil, pass, retried, none}, retried, a2},
		{"a failed step without attempts", []*runner.StepResult{none, retried}, none, nil},
	}
	for _, tt := range tests {
		tr := &runner.TestResult{Steps: tt.steps}
		if step, att := tr.Decisive(); step != tt.step || att != tt.att {
			t.Errorf("%s: Decisive = %p, %p; want %p, %p", tt.name, step, att, tt.step, tt.att)
		}
	}
}

// Counts, the one model of counts every format uses: a setup or teardown
// that failed or errored is one errored result (Fixtures); one an
// interrupt stopped is one interrupted result (InterruptedFixtures), never
// a failed setup (audit E7); one that passed, or never ran, is no result.
func TestCountsOfSetupsAndTeardowns(t *testing.T) {
	phase := func(st runner.Status) []*runner.StepResult {
		if st == runner.Skip {
			return nil
		}
		return []*runner.StepResult{{Status: st}}
	}
	for _, tc := range []struct {
		name            string
		setup, teardown runner.Status
		tests           []runner.Status
		want            runner.Counts
	}{
		{"no fixtures", runner.Skip, runner.Skip, []runner.Status{runner.Pass, runner.Fail},
			runner.Counts{Total: 2, Passed: 1, Failed: 1}},
		{"fixtures that passed", runner.Pass, runner.Pass, []runner.Status{runner.Pass},
			runner.Counts{Total: 1, Passed: 1}},
		{"a failed setup", runner.Fail, runner.Pass, []runner.Status{runner.Skip, runner.Skip},
			runner.Counts{Total: 3, Errored: 1, Skipped: 2, Fixtures: 1}},
		{"an errored setup and teardown", runner.Error, runner.Error, []runner.Status{runner.Skip},
			runner.Counts{Total: 3, Errored: 2, Skipped: 1, Fixtures: 2}},
		{"an interrupted setup", runner.Interrupted, runner.Pass, []runner.Status{runner.Skip, runner.Skip},
			runner.Counts{Total: 3, Skipped: 2, Interrupted: 1, InterruptedFixtures: 1}},
		{"an interrupted test and teardown", runner.Pass, runner.Interrupted, []runner.Status{runner.Interrupted, runner.Error},
			runner.Counts{Total: 3, Errored: 1, Interrupted: 2, InterruptedFixtures: 1}},
		{"an errored setup, an interrupted teardown", runner.Error, runner.Interrupted, []runner.Status{runner.Skip},
			runner.Counts{Total: 3, Errored: 1, Skipped: 1, Interrupted: 1, Fixtures: 1, InterruptedFixtures: 1}},
	} {
		sr := &runner.SuiteResult{Setup: phase(tc.setup), Teardown: phase(tc.teardown)}
		for _, st := range tc.tests {
			sr.Tests = append(sr.Tests, &runner.TestResult{Status: st})
		}
		res := &runner.Result{Suites: []*runner.SuiteResult{sr, sr}}
		want := tc.want
		if got := sr.Counts(); got != want {
			t.Errorf("%s: suite counts %+v, want %+v", tc.name, got, want)
		}
		if got := sr.Counts().Tests(); got != len(tc.tests) {
			t.Errorf("%s: Tests() = %d, want %d", tc.name, got, len(tc.tests))
		}
		// Two suites: the run adds them up.
		want.Total, want.Passed, want.Failed, want.Errored, want.Skipped, want.Interrupted = 2*want.Total, 2*want.Passed, 2*want.Failed, 2*want.Errored, 2*want.Skipped, 2*want.Interrupted
		want.Fixtures, want.InterruptedFixtures = 2*want.Fixtures, 2*want.InterruptedFixtures
		if got := res.Counts(); got != want {
			t.Errorf("%s: run counts %+v, want %+v", tc.name, got, want)
		}
	}
}
