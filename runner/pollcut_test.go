package runner_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// TestDeadlineDuringAPollIsTheDeadlineBetweenPolls: the test's deadline
// ends the polling of an action that outlived its wait, and where it lands
// (between two polls, or while a poll's request is in flight) must not
// change the outcome or what the reports show: the same error, and no
// transport try of a fetch that the deadline, not the network, cut short.
// (A landing during a poll showed transport lines in examples/failing's
// goldens on a loaded machine.) Every poll here hangs until it is cut.
func TestDeadlineDuringAPollIsTheDeadlineBetweenPolls(t *testing.T) {
	hang := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/activations/") {
				<-r.Context().Done()
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	e := newEnv(t, hang)
	p := e.load(map[string]string{"s.yaml": `tests: [{name: t, action: pkg/slower, timeout: 10ms, deadline: 300ms}]`}, spec.Options{})
	res := e.run(context.Background(), p, runner.Options{}, nil)
	tr := res.Suites[0].Tests[0]
	_, a := tr.Decisive()
	if tr.Status != runner.Error || a == nil {
		t.Fatalf("status %v, attempt %v; want an error", tr.Status, a)
	}
	if !strings.Contains(a.Err, "had not finished when the deadline of 300ms passed") || !a.MayHaveRun {
		t.Errorf("error %q, may have run %v; want the deadline's error of polling, may have run", a.Err, a.MayHaveRun)
	}
	for _, try := range a.Tries {
		if try.Method == http.MethodGet {
			t.Errorf("a poll the deadline cut short is shown as a transport try: %+v", try)
		}
	}
	for _, x := range a.Exchanges {
		if x.Poll {
			t.Errorf("a poll the deadline cut short is shown as an exchange: %+v", x)
		}
	}
}
