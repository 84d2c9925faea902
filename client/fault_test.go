package client

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/specrun/specrun/internal/faultgw"
)

// faultClient is a client of g with maxRetries transport retries and short,
// real, delays.
func faultClient(t *testing.T, endpoint string, maxRetries int) *Client {
	t.Helper()
	c, err := New(Config{Endpoint: endpoint, Credentials: testCreds, MaxRetries: maxRetries,
		RetryDelay: time.Millisecond, MaxRetryDelay: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// A call that may have run the action is never sent again: the action runs
// once, and the result says what the answer was and that the action may
// have run (whether it is sent again is the caller's to say: a spec's
// retry may send it again when it is idempotent).
func TestFaultMayHaveRunNotResent(t *testing.T) {
	for _, tt := range []struct {
		fault faultgw.Fault
		name  string
		what  string
	}{
		{faultgw.HTML503, "HTML 503", "HTTP 503 with a text/html body"},
		{faultgw.Text503, "plain-text 503", "HTTP 503 with a text/plain body"},
		{faultgw.Empty503, "empty 503", "HTTP 503 with an empty body"},
		{faultgw.Reset, "reset after sending", "no response after the request was sent"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := faultgw.New(tt.fault, faultgw.OK)
			defer g.Close()
			c := faultClient(t, g.URL, 3)
			r, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a", Body: []byte(`{"n":1}`)})
			if g.Runs() != 1 || g.Calls() != 1 {
				t.Fatalf("the action ran %d times in %d calls; want once in one call", g.Runs(), g.Calls())
			}
			var why string
			var te *TransportError
			switch {
			case errors.As(err, &te):
				if !te.MayHaveRun || te.Attempts != 1 {
					t.Errorf("TransportError MayHaveRun %v, Attempts %d; want true, 1", te.MayHaveRun, te.Attempts)
				}
				why = te.Error()
			case err != nil:
				t.Fatal(err)
			default:
				if !r.MayHaveRun || r.Attempts != 1 || len(r.Retried) != 0 {
					t.Errorf("Response MayHaveRun %v, Attempts %d, Retried %d; want true, 1, 0", r.MayHaveRun, r.Attempts, len(r.Retried))
				}
				why = r.Transport
			}
			for _, want := range []string{tt.what, "the action may have run"} {
				if !strings.Contains(why, want) {
					t.Errorf("the result says %q; want it to say %q", why, want)
				}
			}
		})
	}
}

// A call the gateway refused before the action ran is sent again, and
// every attempt is recorded with why it was sent again.
func TestFaultCertainlyNotRunResent(t *testing.T) {
	for _, tt := range []struct {
		fault faultgw.Fault
		name  string
		why   string
	}{
		{faultgw.TooMany, "429", "HTTP 429"},
		{faultgw.Refused503, "gateway JSON 503 errorCode 500", "HTTP 503 (errorCode 500"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := faultgw.New(tt.fault, tt.fault, faultgw.OK)
			defer g.Close()
			c := faultClient(t, g.URL, 3)
			r, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"})
			if err != nil {
				t.Fatal(err)
			}
			if g.Runs() != 1 || g.Calls() != 3 || r.StatusCode != 200 || r.Attempts != 3 {
				t.Fatalf("ran %d times in %d calls, HTTP %d after %d attempts; want once in 3 calls, 200 after 3", g.Runs(), g.Calls(), r.StatusCode, r.Attempts)
			}
			if len(r.Retried) != 2 || r.Transport != "" || r.MayHaveRun {
				t.Fatalf("Retried %d, Transport %q, MayHaveRun %v; want 2, empty, false", len(r.Retried), r.Transport, r.MayHaveRun)
			}
			for i, try := range r.Retried {
				if try.StatusCode == 0 || try.Start.IsZero() || !strings.Contains(try.Why, tt.why) || !strings.Contains(try.Why, "did not run") {
					t.Errorf("try %d: HTTP %d at %v, why %q; want its answer, time and why it was sent again", i+1, try.StatusCode, try.Start, try.Why)
				}
			}
		})
	}
}

// 429s that never end: every attempt is recorded and the last answer says
// that the retries ran out and that the action did not run.
func TestFaultEndless429(t *testing.T) {
	g := faultgw.New(faultgw.TooMany)
	defer g.Close()
	c := faultClient(t, g.URL, 3)
	r, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if g.Runs() != 0 || g.Calls() != 4 || r.Attempts != 4 || len(r.Retried) != 3 {
		t.Fatalf("ran %d times in %d calls, %d attempts, %d retried; want 0 in 4, 4, 3", g.Runs(), g.Calls(), r.Attempts, len(r.Retried))
	}
	if r.MayHaveRun || !strings.Contains(r.Transport, "4 attempts") || !strings.Contains(r.Transport, "did not run") {
		t.Errorf("MayHaveRun %v, Transport %q; want false and a text naming the 4 attempts and that the action did not run", r.MayHaveRun, r.Transport)
	}
}

// A refused connection is tried again, each attempt recorded.
func TestFaultConnectionRefused(t *testing.T) {
	u, err := faultgw.RefusedURL()
	if err != nil {
		t.Fatal(err)
	}
	c := faultClient(t, u, 2)
	_, err = c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"})
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("error %v, want a TransportError", err)
	}
	if te.MayHaveRun || te.Attempts != 3 || len(te.Retried) != 2 {
		t.Fatalf("MayHaveRun %v, Attempts %d, Retried %d; want false, 3, 2", te.MayHaveRun, te.Attempts, len(te.Retried))
	}
	for i, try := range te.Retried {
		if try.Err == nil || try.StatusCode != 0 || !strings.Contains(try.Why, "did not run") {
			t.Errorf("try %d: err %v, HTTP %d, why %q", i+1, try.Err, try.StatusCode, try.Why)
		}
	}
}

// The gateway's own 504 (errorCode 510) and 500 (errorCode 900) come after
// it passed the call on: not sent again, and the action may have run.
func TestGatewayTimeoutMayHaveRun(t *testing.T) {
	for _, body := range []string{`{"error":{"errorCode":"510","message":"Endpoint Timeout"}}`, `{"error":{"errorCode":900,"message":"Unexpected Error"}}`} {
		r := &Response{StatusCode: 504, Body: []byte(body)}
		parseBody(r)
		c := &Client{cfg: Config{MaxRetries: 3}}
		if d, _ := c.verdict(r, 1); d >= 0 || !r.MayHaveRun || !strings.Contains(r.Transport, "from the gateway") {
			t.Errorf("%s: delay %v, MayHaveRun %v, Transport %q; want final, may have run", body, d, r.MayHaveRun, r.Transport)
		}
	}
}
