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
