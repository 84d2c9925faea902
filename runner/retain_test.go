package runner_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"weak"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// TestPassingAttemptsKeepNoExchangeUnlessVerbose: a large run's memory is
// what its results keep. A passing attempt keeps no request and response
// text (no report shows it without -v); a failing one keeps them, which
// every report shows; with Verbose every attempt keeps them, which the
// JUnit and JSON reports then show for passing tests too.
func TestPassingAttemptsKeepNoExchangeUnlessVerbose(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(map[string]string{"s.yaml": `tests:
  - {name: passes, action: pkg/fixed, expect: {result: {payload: abc}}}
  - {name: fails, action: pkg/fixed, expect: {result: {payload: xyz}}}
`}, spec.Options{})
	for _, verbose := range []bool{false, true} {
		res := e.run(context.Background(), p, runner.Options{Verbose: verbose}, nil)
		for _, tr := range res.Suites[0].Tests {
			a := tr.Steps[0].Attempts[0]
			kept := len(a.Exchanges) > 0
			want := verbose || tr.Status != runner.Pass
			if kept != want {
				t.Errorf("verbose %v, test %s (%s): exchanges kept %v, want %v", verbose, tr.Test.Name, tr.Status, kept, want)
			}
			if tr.Status == runner.Pass && (a.HTTPStatus != 200 || a.ActivationID == "") {
				t.Errorf("a passing attempt lost what reports show: HTTP %d, activation %q", a.HTTPStatus, a.ActivationID)
			}
		}
	}
}

// stepID is what reports read of a step.
type stepID struct {
	name  string
	pos   spec.Pos
	index int
}

// TestReleaseStepsLetsFinishedInvocationsGo: with ReleaseSteps, what the
// step a test ran held for running it (its params and checks, most of a
// loaded test) is no longer reachable once the test is final, from the
// project or from the result; what reports read of it (name, position,
// index) is kept, and a step result's Step is still its test's step.
// Without it the project keeps all of it.
func TestReleaseStepsLetsFinishedInvocationsGo(t *testing.T) {
	e := newEnv(t, nil)
	files := map[string]string{"s.yaml": `tests:
  - {name: passes, action: pkg/fixed, expect: {result: {payload: abc}}}
  - {name: fails, action: pkg/fixed, expect: {result: {payload: xyz}}}
  - {name: skipped, action: pkg/fixed, skip: not today}
  - name: two steps
    steps:
      - {name: first, action: pkg/fixed}
      - {name: second, action: pkg/fixed, expect: {result: {payload: xyz}}}
      - {name: third, action: pkg/fixed}
`}
	for _, release := range []bool{false, true} {
		p := e.load(files, spec.Options{})
		var held []heldBy
		var want []stepID
		for _, test := range p.Suites[0].Tests {
			for _, st := range test.Steps {
				held = append(held, weakly(st.Name+" params", st.Params))
				for i, c := range st.Expect.Checks {
					held = append(held, weakly(fmt.Sprintf("%s check %d", st.Name, i), c))
				}
				want = append(want, stepID{st.Name, st.Pos, st.Index})
			}
		}
		res := e.run(context.Background(), p, runner.Options{ReleaseSteps: release}, nil)
		runtime.GC()
		for _, h := range held {
			if gone := h.gone(); gone != release {
				t.Errorf("release %v: %s collectable: %v", release, h.what, gone)
			}
		}
		if got := keptSteps(t, res); !slices.Equal(got, want) {
			t.Errorf("release %v: steps kept %v, want %v", release, got, want)
		}
		runtime.KeepAlive(p)
	}
}

// heldBy is something a loaded step holds for running it, and whether the
// collector took it.
type heldBy struct {
	what string
	gone func() bool
}

func weakly[T any](what string, v *T) heldBy {
	w := weak.Make(v)
	return heldBy{what, func() bool { return w.Value() == nil }}
}

// keptSteps lists what the project's tests hold of their steps, and checks
// that each step result points at its test's step.
func keptSteps(t *testing.T, res *runner.Result) []stepID {
	var got []stepID
	for _, tr := range res.Suites[0].Tests {
		for j, sr := range tr.Steps {
			if sr.Step != tr.Test.Steps[j] {
				t.Errorf("test %s: the result of step %d is not the test's step", tr.Test.Name, j)
			}
		}
		for _, st := range tr.Test.Steps {
			got = append(got, stepID{st.Name, st.Pos, st.Index})
		}
	}
	return got
}
