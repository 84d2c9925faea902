package runner_test

import (
	"context"
	"testing"

	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

func TestNewVerdictChoosesByOneRule(t *testing.T) {
	at := spec.Pos{File: "s.yaml", Line: 7}
	step := &spec.Step{Name: "call", Pos: spec.Pos{File: "s.yaml", Line: 3}}
	fail := &runner.Failure{Pos: at, Key: "result", Path: "$.a", Op: "equals", Expected: "1", Actual: "2"}
	tests := []struct {
		name    string
		status  runner.Status
		steps   []*runner.StepResult
		reason  string
		message string
		hint    string
		pos     spec.Pos
	}{
		{"a passed test has the zero verdict", runner.Pass,
			[]*runner.StepResult{{Step: step, Status: runner.Pass}}, "", "", "", spec.Pos{}},
		{"a false expectation comes first, at its own line", runner.Fail,
			[]*runner.StepResult{{Step: step, Status: runner.Fail, Attempts: []*runner.Attempt{{Status: runner.Fail, Err: "also this", Failures: []*runner.Failure{fail}}}}},
			"the reason", fail.Summary(), "", at},
		{"then the attempt's error and hint, at the step", runner.Error,
			[]*runner.StepResult{{Step: step, Status: runner.Error, Reason: "step reason", Attempts: []*runner.Attempt{{Status: runner.Error, Err: "auth failed", Hint: "check the keys"}}}},
			"the reason", "auth failed", "check the keys", step.Pos},
		{"then the test's reason", runner.Error,
			[]*runner.StepResult{{Step: step, Status: runner.Error, Reason: "step reason"}},
			"the reason", "the reason", "", step.Pos},
		{"then the step's reason", runner.Error,
			[]*runner.StepResult{{Step: step, Status: runner.Error, Reason: "step reason"}},
			"", "step reason", "", step.Pos},
		{"a test stopped before any step still has a message", runner.Interrupted, nil,
			"", "interrupted", "", spec.Pos{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := runner.NewVerdict(tc.status, tc.steps, tc.reason)
			if v.Message != tc.message || v.Hint != tc.hint || v.Pos != tc.pos {
				t.Errorf("verdict = %q hint %q at %v; want %q hint %q at %v", v.Message, v.Hint, v.Pos, tc.message, tc.hint, tc.pos)
			}
		})
	}
}

// Every failed test, setup and teardown carries its verdict when its event
// comes, and a result rebuilt from the JSON report has the same verdicts.
func TestVerdictsAreFinalWithTheirEventAndSurviveTheReport(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(map[string]string{"a.yaml": `
suite: a
setup: [{name: seed, action: pkg/fixed, expect: {result: {payload: other}}}]
teardown: [{name: cleanup, action: pkg/fixed, expect: {result: {n: 4}}}]
tests: [{name: skipped, action: pkg/fixed}]
`, "b.yaml": `
suite: b
tests:
  - {name: passes, action: pkg/fixed}
  - {name: fails, action: pkg/fixed, expect: {result: {n: 4}}}
  - {name: errs, action: pkg/missing}
`}, spec.Options{})
	seen := map[string]string{}
	h := runner.HandlerFunc(func(ev runner.Event) {
		switch ev.Kind {
		case runner.TestFinished:
			seen[ev.Test.Test.Name] = ev.Test.Verdict.Message
		case runner.SetupFinished:
			seen["setup"] = ev.Suite.SetupVerdict.Message
		case runner.TeardownFinished:
			seen["teardown"] = ev.Suite.TeardownVerdict.Message
		}
	})
	res := e.run(context.Background(), p, runner.Options{}, h)
	rebuilt := jsonreport.New(res).Result()
	for i, sr := range res.Suites {
		check := func(what string, st runner.Status, v, again runner.Verdict) {
			t.Helper()
			if st.Failed() != (v.Message != "") {
				t.Errorf("%s: status %v with verdict %q: a failure must have a message, nothing else one", what, st, v.Message)
			}
			if seen[what] != v.Message {
				t.Errorf("%s: verdict at its event %q, at the end %q", what, seen[what], v.Message)
			}
			if again.Message != v.Message || again.Hint != v.Hint || again.Pos.FileLine() != v.Pos.FileLine() {
				t.Errorf("%s: rebuilt from the report %+v, want %+v", what, again, v)
			}
		}
		if len(sr.Setup) > 0 {
			st, _ := runner.Phase(sr.Setup)
			check("setup", st, sr.SetupVerdict, rebuilt.Suites[i].SetupVerdict)
			st, _ = runner.Phase(sr.Teardown)
			check("teardown", st, sr.TeardownVerdict, rebuilt.Suites[i].TeardownVerdict)
		}
		for j, tr := range sr.Tests {
			check(tr.Test.Name, tr.Status, tr.Verdict, rebuilt.Suites[i].Tests[j].Verdict)
		}
	}
	if seen["fails"] == "" || seen["errs"] == "" || seen["setup"] == "" || seen["teardown"] == "" {
		t.Errorf("verdicts = %q, want the failed test, the errored test, the setup and the teardown explained", seen)
	}
}

// A handler may read everything an AttemptFinished event carries while the
// run goes on: the step and test it holds are snapshots that the engine no
// longer writes (go test -race checks it).
func TestAttemptFinishedCarriesASnapshot(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(map[string]string{"r.yaml": `
suite: r
tests:
  - name: retried
    steps:
      - {name: first, action: pkg/fixed}
      - {name: again, action: pkg/fixed, expect: {result: {n: 4}}, retry: {attempts: 4, delay: 1ms}}
`}, spec.Options{})
	type seen struct {
		num, attempts int
		status        runner.Status
		steps         int
	}
	var got []seen
	h := runner.HandlerFunc(func(ev runner.Event) {
		if ev.Kind != runner.AttemptFinished {
			return
		}
		s := seen{num: ev.AttemptNum, attempts: len(ev.Step.Attempts), status: ev.Step.Status}
		for _, st := range ev.Test.Steps {
			if st != nil {
				s.steps++
				_ = st.Status
				_ = st.Reason
				_ = st.Duration
			}
		}
		_ = ev.Test.Status
		_ = ev.Test.Reason
		_ = ev.Step.Reason
		_ = ev.Step.Duration
		got = append(got, s)
	})
	res := e.run(context.Background(), p, runner.Options{}, h)
	if n := res.Suites[0].Tests[0].Attempts(); n != 5 || len(got) != 5 {
		t.Fatalf("attempts = %d, events %d; want 5 each", n, len(got))
	}
	for i, s := range got {
		wantSteps, wantStatus := 2, runner.Fail
		if i == 0 {
			wantSteps, wantStatus = 1, runner.Pass
		}
		if s.attempts != s.num || s.status != wantStatus || s.steps != wantSteps {
			t.Errorf("event %d = %+v; want the step as of attempt %d (%v), %d steps so far", i, s, s.num, wantStatus, wantSteps)
		}
	}
}
