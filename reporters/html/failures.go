package html

import (
	"fmt"
	"strings"

	"github.com/specrun/specrun/runner"
)

// suiteFailures lists the suite's failed (or interrupted) setup, failed
// tests and failed teardown, in that order.
func suiteFailures(sr *runner.SuiteResult, i int) []failure {
	var out []failure
	name := suiteName(sr)
	phase := func(what string, steps []*runner.StepResult, v runner.Verdict) {
		if v.Message == "" {
			return
		}
		// Errored, or interrupted, as runner.Counts counts it.
		st, _ := runner.Phase(steps)
		f := failure{ID: fmt.Sprintf("s%d-%s", i, what), Title: name + " › " + what, Status: runner.FixtureStatus(st).String(), Steps: stepViews(steps), Message: v.Message}
		if v.Step != nil {
			f.At = v.Step.Step.Pos.FileLine()
		}
		out = append(out, f)
	}
	phase("setup", sr.Setup, sr.SetupVerdict)
	for j, tr := range sr.Tests {
		if !tr.Status.Failed() {
			continue
		}
		out = append(out, failure{
			ID: fmt.Sprintf("s%dt%d", i, j), Title: name + " › " + tr.Test.Name, At: tr.Test.Pos.FileLine(),
			Status: tr.Status.String(), Message: tr.Verdict.Message, Steps: stepViews(tr.Steps),
		})
	}
	phase("teardown", sr.Teardown, sr.TeardownVerdict)
	return out
}

func stepViews(steps []*runner.StepResult) []stepView {
	var out []stepView
	for _, s := range steps {
		v := stepView{Status: s.Status.String(), Reason: s.Reason, Name: s.Step.Name, At: s.Step.Pos.FileLine()}
		for i, a := range s.Attempts {
			v.Attempts = append(v.Attempts, attemptOf(a, i+1, len(s.Attempts)))
		}
		out = append(out, v)
	}
	return out
}

func attemptOf(a *runner.Attempt, n, of int) attemptView {
	v := attemptView{
		N: n, Of: of, Status: a.Status.String(), Duration: formatDuration(a.Duration), ActivationID: a.ActivationID,
		HTTPStatus: a.HTTPStatus, Err: a.Err, Hint: a.Hint,
	}
	for _, f := range a.Failures {
		v.Failures = append(v.Failures, failureView{At: f.Pos.FileLine(), Summary: f.Summary(), Expected: f.Expected, Actual: f.Actual, Diff: diffLines(f.Diff)})
	}
	for _, x := range a.Exchanges {
		e := exchangeView{Label: "request and response", Request: x.Request, Response: x.Response, Note: x.Note}
		if x.Poll {
			e.Label = "poll: request and response"
		}
		if e.Response == "" {
			e.Response = "(no response)"
		}
		v.Exchanges = append(v.Exchanges, e)
	}
	for _, t := range a.Tries {
		line := t.Method + ": " + t.Answer
		if t.Why != "" {
			line += " — " + t.Why
		}
		v.Tries = append(v.Tries, line)
	}
	v.MayHaveRun = a.MayHaveRun
	return v
}

// diffLines classes each line of a diff: added, removed or context.
func diffLines(diff string) []diffLine {
	if diff == "" {
		return nil
	}
	var out []diffLine
	for _, l := range strings.Split(strings.TrimRight(diff, "\n"), "\n") {
		class := "ctx"
		switch {
		case strings.HasPrefix(l, "+"):
			class = "add"
		case strings.HasPrefix(l, "-"):
			class = "del"
		}
		out = append(out, diffLine{class, l})
	}
	return out
}
