package runner_test

import (
	"context"
	"testing"

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
