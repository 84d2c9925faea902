package runner_test

import (
	"context"
	"strings"
	"testing"
	"time"

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
// poll's failure is not blamed on the run-action call, nor on too few
// transport retries.
func TestPollFailureAfter202IsNotRetried(t *testing.T) {
	for _, tt := range []struct {
		poll faultgw.Fault
		what string
	}{
		{faultgw.HTML503, "HTTP 503 with a text/html body from the gateway or a proxy"},
		// A second audit: a proxy's JSON answer to the poll was taken for
		// the action's, a failed check, and retry: started it again.
		{faultgw.Proxy200, "HTTP 200 with a JSON body that is not an answer of Cloud Functions"},
	} {
		g := faultgw.New(faultgw.Accepted)
		g.PollFault = tt.poll
		e := faultEnv(t, g)
		p := e.load(map[string]string{"p.yaml": "suite: p\ntests:\n  - {name: t, action: p/a, timeout: 0, retry: {attempts: 3, delay: 1ms}, expect: {result: {ok: true}}}\n"}, spec.Options{})
		res := e.run(context.Background(), p, runner.Options{}, nil)
		g.Close()
		tr := res.Suites[0].Tests[0]
		a := tr.Steps[0].Attempts[0]
		if g.Runs() != 1 || tr.Status != runner.Error || !a.MayHaveRun || a.Polls != 1 {
			t.Fatalf("poll answered %q: ran %d times, test %v, may have run %v, %d polls; want 1 run, an error that may have run, 1 poll", tt.what, g.Runs(), tr.Status, a.MayHaveRun, a.Polls)
		}
		if !strings.Contains(a.Err, tt.what) {
			t.Errorf("error %q; want the poll's answer named: %q", a.Err, tt.what)
		}
		// E8 b: polls are never sent again, so the hint cannot suggest
		// raising --max-retries.
		if strings.Contains(a.Hint, "--max-retries") || !strings.Contains(a.Hint, "answered the poll") {
			t.Errorf("hint %q; want the poll's answer blamed, not --max-retries", a.Hint)
		}
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

// E1 and E8 a: an attempt answered by something that is not Cloud
// Functions' own answer (a page, an empty or cut-short body on a 200, a
// proxy's JSON 504, a reset) may have run the action. It is an error that
// says so, and retry: sends it again only when idempotent. Its messages
// say what happened: "not sent again" and the advice to set idempotent only
// when the step is not idempotent.
func TestAnswerNotFromCloudFunctionsIsNotRetried(t *testing.T) {
	for _, fault := range []struct {
		name   string
		fault  faultgw.Fault
		expect string
		what   string
	}{
		{"200 HTML", faultgw.HTML200, "", "HTTP 200 with a text/html body after the request was sent, so the action may have run"},
		{"200 HTML, 200 expected", faultgw.HTML200, ", expect: {http_status: 200}", "HTTP 200 with a text/html body"},
		{"200 empty", faultgw.Empty200, "", "HTTP 200 with an empty body"},
		{"202 empty", faultgw.Empty202, "", "HTTP 202 with an empty body"},
		{"200 cut short", faultgw.Cut200, "", "HTTP 200 with an application/json body that is not valid JSON"},
		{"proxy JSON 504", faultgw.Proxy504, "", `HTTP 504 with a JSON body that is not an answer of Cloud Functions or of its gateway`},
		{"proxy JSON 200", faultgw.Proxy200, "", `HTTP 200 with a JSON body that is not an answer of Cloud Functions or of its gateway`},
		{"HTML 503", faultgw.HTML503, "", "HTTP 503 with a text/html body"},
		{"HTML 503 expected, its body checked", faultgw.HTML503, ", expect: {http_status: 503, result: {ok: true}}", "the response is not JSON"},
		{"reset", faultgw.Reset, "", "no response after the request was sent, so the action may have run"},
	} {
		for _, tt := range []struct {
			name, retry string
			calls       int
		}{
			{"not idempotent", "{attempts: 3, delay: 1ms}", 1},
			{"idempotent", "{attempts: 3, delay: 1ms, idempotent: true}", 3},
		} {
			t.Run(fault.name+"/"+tt.name, func(t *testing.T) {
				g := faultgw.New(fault.fault)
				defer g.Close()
				e := faultEnv(t, g)
				p := e.load(map[string]string{"r.yaml": "suite: r\ntests:\n  - {name: t, action: p/a, retry: " + tt.retry + fault.expect + "}\n"}, spec.Options{})
				res := e.run(context.Background(), p, runner.Options{}, nil)
				tr := res.Suites[0].Tests[0]
				if g.Calls() != tt.calls || tr.Status != runner.Error || tr.Attempts() != tt.calls {
					t.Fatalf("%d POSTs, test %v after %d attempts; want %d POSTs, an error", g.Calls(), tr.Status, tr.Attempts(), tt.calls)
				}
				for i, a := range tr.Steps[0].Attempts {
					if !a.MayHaveRun || a.Status != runner.Error || !strings.Contains(a.Err, fault.what) {
						t.Errorf("attempt %d: %v, may have run %v, error %q; want an error that may have run, saying %q", i+1, a.Status, a.MayHaveRun, a.Err, fault.what)
					}
					if a.Sends() != 1 {
						t.Errorf("attempt %d: %d transport attempts; want 1", i+1, a.Sends())
					}
					notSent := strings.Contains(a.Err, "not sent again")
					advice := strings.Contains(a.Hint, "set `retry: {idempotent: true}`")
					if idem := tt.calls > 1; notSent == idem || advice == idem {
						t.Errorf("attempt %d (idempotent %v): error %q, hint %q: 'not sent again' and the advice to set idempotent belong to a step that is not idempotent", i+1, idem, a.Err, a.Hint)
					}
				}
			})
		}
	}
}

// E8 c: a test's deadline that comes while the client waits to send a
// refused call again: the attempts counted are the requests sent, and the
// error says what it waited for, not that the action was slow.
func TestDeadlineWhileWaitingToSendAgain(t *testing.T) {
	g := faultgw.New(faultgw.TooMany)
	defer g.Close()
	e := faultEnv(t, g)
	c, err := client.New(client.Config{Endpoint: g.URL, Credentials: client.Credentials{AccessKey: testAccess, SecretKey: testSecret},
		MaxRetries: 5, RetryDelay: time.Hour, MaxRetryDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	e.client = c
	p := e.load(map[string]string{"d.yaml": "suite: d\ntests:\n  - {name: t, action: p/a, deadline: 1s}\n"}, spec.Options{})
	res := e.run(context.Background(), p, runner.Options{}, nil)
	a := res.Suites[0].Tests[0].Steps[0].Attempts[0]
	if g.Calls() != 1 || a.Sends() != g.Calls() || len(a.Tries) != g.Calls() || a.Tries[0].Resent || a.Tries[0].HTTPStatus != 429 {
		t.Fatalf("%d POSTs, %d transport attempts counted, tries %+v; want as many as POSTs, the last one the 429, not sent again", g.Calls(), a.Sends(), a.Tries)
	}
	want := "deadline of 1s reached while waiting to send the call again after HTTP 429 (errorCode 420: Rate Limited)"
	if a.Status != runner.Error || a.MayHaveRun || !strings.HasPrefix(a.Err, want) || !strings.Contains(a.Err, "did not run") || strings.Contains(a.Hint, "slow") || !strings.Contains(a.Hint, "throttling") {
		t.Errorf("%v, may have run %v, error %q, hint %q; want %q, the action did not run, a hint about throttling", a.Status, a.MayHaveRun, a.Err, a.Hint, want)
	}
}

// E8 d: a --rate so low that the next request's turn comes after the
// test's deadline says so, naming --rate.
func TestRateTooLowForTheDeadline(t *testing.T) {
	g := faultgw.New(faultgw.OK)
	defer g.Close()
	e := faultEnv(t, g)
	c, err := client.New(client.Config{Endpoint: g.URL, Credentials: client.Credentials{AccessKey: testAccess, SecretKey: testSecret}, Rate: 1e-7})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	e.client = c
	p := e.load(map[string]string{"r.yaml": "suite: r\ntests:\n  - {name: first, action: p/a}\n  - {name: second, action: p/a}\n"}, spec.Options{})
	res := e.run(context.Background(), p, runner.Options{Parallel: 1}, nil)
	tests := res.Suites[0].Tests
	if g.Calls() != 1 || tests[0].Status != runner.Pass {
		t.Fatalf("%d POSTs, first test %v; want 1 POST, a pass", g.Calls(), tests[0].Status)
	}
	a := tests[1].Steps[0].Attempts[0]
	if a.Status != runner.Error || a.MayHaveRun || a.Sends() != 0 || !strings.Contains(a.Err, "--rate 1e-07") || !strings.Contains(a.Err, "before the deadline") || !strings.Contains(a.Hint, "raise --rate") {
		t.Errorf("%v, may have run %v, %d sends, error %q, hint %q; want an error naming --rate and the deadline, nothing sent", a.Status, a.MayHaveRun, a.Sends(), a.Err, a.Hint)
	}
	if strings.Contains(a.Hint, "--endpoint") {
		t.Errorf("hint %q blames the endpoint", a.Hint)
	}
}
