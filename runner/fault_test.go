package runner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/internal/faultgw"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// faultEnv is an env whose client calls a fault gateway.
func faultEnv(t *testing.T, g *faultgw.Gateway) *env {
	t.Helper()
	e := newEnv(t, nil)
	c, err := client.New(client.Config{Endpoint: g.URL, Credentials: client.Credentials{AccessKey: testAccess, SecretKey: testSecret}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	e.client = c
	return e
}

// Issue 11, point 6: a retry loop that its deadline ends gets one status,
// whatever the moment the deadline comes (during a call, between two, right
// after a failed attempt): error, with the attempts made kept. 100 tests
// with the same spec run 8 at a time must all end alike.
func TestDeadlineEndsRetryLoopAsErrorEveryTime(t *testing.T) {
	g := faultgw.New(faultgw.OK)
	defer g.Close()
	e := faultEnv(t, g)
	var b strings.Builder
	b.WriteString("suite: d\ntests:\n")
	for i := range 100 {
		b.WriteString("  - name: t" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "\n")
		b.WriteString("    action: p/a\n    deadline: 40ms\n    retry: {attempts: 100000, delay: 1ms, backoff: 1}\n")
		b.WriteString("    expect: {result: {ok: false}}\n")
	}
	p := e.load(map[string]string{"d.yaml": b.String()}, spec.Options{})
	res := e.run(context.Background(), p, runner.Options{Parallel: 8}, nil)
	counts := map[string]int{}
	for _, tr := range res.Suites[0].Tests {
		counts[tr.Status.String()]++
		if tr.Status != runner.Error || !strings.HasPrefix(tr.Reason, "deadline of 40ms reached after ") {
			t.Errorf("%s: %v %q; want error, deadline reached", tr.Test.Name, tr.Status, tr.Reason)
		}
		if tr.Attempts() == 0 {
			t.Errorf("%s: no attempt kept", tr.Test.Name)
		}
	}
	t.Logf("statuses: %v", counts)
}

// A step whose attempt may have run the action is not retried, unless its
// retry says the action is idempotent.
func TestRetryStopsAfterMayHaveRun(t *testing.T) {
	for _, tt := range []struct {
		retry string
		runs  int
	}{
		{"{attempts: 3, delay: 1ms}", 1},
		{"{attempts: 3, delay: 1ms, idempotent: true}", 3},
	} {
		g := faultgw.New(faultgw.Reset)
		e := faultEnv(t, g)
		p := e.load(map[string]string{"r.yaml": "suite: r\ntests:\n  - {name: t, action: p/a, retry: " + tt.retry + "}\n"}, spec.Options{})
		res := e.run(context.Background(), p, runner.Options{}, nil)
		tr := res.Suites[0].Tests[0]
		if g.Runs() != tt.runs || tr.Status != runner.Error || !tr.Steps[0].Attempts[0].MayHaveRun {
			t.Errorf("retry %s: the action ran %d times, test %v; want %d runs and an error that may have run", tt.retry, g.Runs(), tr.Status, tt.runs)
		}
		g.Close()
	}
}

// An attempt whose action was started (202) and whose poll then fails may
// have run the action: the step's retry does not start it again, and the
// poll's failure is not blamed on the run-action call.
func TestPollFailureAfter202IsNotRetried(t *testing.T) {
	g := faultgw.New(faultgw.Accepted)
	g.PollFault = faultgw.HTML503
	defer g.Close()
	e := faultEnv(t, g)
	p := e.load(map[string]string{"p.yaml": "suite: p\ntests:\n  - {name: t, action: p/a, timeout: 0, retry: {attempts: 3, delay: 1ms}}\n"}, spec.Options{})
	res := e.run(context.Background(), p, runner.Options{}, nil)
	tr := res.Suites[0].Tests[0]
	a := tr.Steps[0].Attempts[0]
	if g.Runs() != 1 || tr.Status != runner.Error || !a.MayHaveRun || a.Polls != 1 {
		t.Fatalf("ran %d times, test %v, may have run %v, %d polls; want 1 run, an error that may have run, 1 poll", g.Runs(), tr.Status, a.MayHaveRun, a.Polls)
	}
	if !strings.Contains(a.Err, "HTTP 503 with a text/html body from the gateway or a proxy") {
		t.Errorf("error %q; want the poll's 503 named", a.Err)
	}
}

// An attempt that errored where the action certainly did not run (429s
// that outlasted the transport retries) is retried like a failed
// expectation, and it is an error, not a status mismatch.
func TestRetryAfterCertainlyNotRun(t *testing.T) {
	g := faultgw.New(faultgw.TooMany)
	defer g.Close()
	e := faultEnv(t, g)
	p := e.load(map[string]string{"n.yaml": "suite: n\ntests:\n  - {name: t, action: p/a, retry: {attempts: 2, delay: 1ms}}\n"}, spec.Options{})
	res := e.run(context.Background(), p, runner.Options{}, nil)
	tr := res.Suites[0].Tests[0]
	if g.Calls() != 2 || g.Runs() != 0 || tr.Attempts() != 2 || tr.Status != runner.Error || len(tr.Steps[0].Attempts[1].Failures) != 0 {
		t.Fatalf("%d calls, %d runs, %d attempts, %v; want 2 calls, no run, 2 attempts, an error", g.Calls(), g.Runs(), tr.Attempts(), tr.Status)
	}
}
