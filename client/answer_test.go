package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// cutShort answers with a close-delimited body that stops in the middle of
// the JSON: the body reads without error, and is not JSON.
func cutShort(w http.ResponseWriter, r *http.Request) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"content\":{\"activationId\":")
	buf.Flush()
	conn.Close()
}

// E1: an answer that is not Cloud Functions' own well-formed answer may
// have run the action, whatever its status: it is never sent again by the
// transport retries, and it says so. Cloud Functions' own answers (its
// JSON errors, OpenWhisk's error and activation record) are not the
// transport's, and the gateway's refusals are sent again.
func TestAnswerThatIsNotTheAPIsMayHaveRun(t *testing.T) {
	ok := reply(200, "", okBody)
	for _, tt := range []struct {
		name     string
		answer   func(http.ResponseWriter, *http.Request)
		requests int32  // with MaxRetries 3
		mayRun   bool   // Response.MayHaveRun
		refused  bool   // Response.Refused
		what     string // in Transport; "" when the answer is Cloud Functions' own
	}{
		{"200 HTML", reply(200, "Content-Type: text/html", "<html>hi</html>"), 1, true, false, "HTTP 200 with a text/html body after the request was sent, so the action may have run"},
		{"200 empty", reply(200, "", ""), 1, true, false, "HTTP 200 with an empty body"},
		{"200 plain text", reply(200, "Content-Type: text/plain", "ok"), 1, true, false, "HTTP 200 with a text/plain body"},
		{"200 JSON cut short", cutShort, 1, true, false, "HTTP 200 with an application/json body that is not valid JSON"},
		{"202 empty", reply(202, "", ""), 1, true, false, "HTTP 202 with an empty body"},
		{"404 HTML", reply(404, "Content-Type: text/html", "<html>no</html>"), 1, true, false, "HTTP 404 with a text/html body"},
		{"504 proxy JSON", reply(504, "", `{"message":"upstream timed out"}`), 1, true, false, "HTTP 504 with a JSON body that is not an answer of Cloud Functions or of its gateway"},
		{"502 JSON array", reply(502, "", `[1]`), 1, true, false, "HTTP 502 with a JSON body that is not"},
		// A second audit: below 500 too, a JSON body that is no answer of
		// the API (a 200 that is no activation record, a proxy's 4xx) was
		// taken for the action's answer.
		{"200 proxy JSON", reply(200, "", `{"message":"ok"}`), 1, true, false, "HTTP 200 with a JSON body that is not an answer of Cloud Functions"},
		{"200 null", reply(200, "", `null`), 1, true, false, "HTTP 200 with a JSON body that is not"},
		{"202 without activationId", reply(202, "", `{}`), 1, true, false, "HTTP 202 with a JSON body that is not"},
		{"404 proxy JSON", reply(404, "", `{"message":"not found"}`), 1, true, false, "HTTP 404 with a JSON body that is not"},
		{"408 proxy JSON", reply(408, "", `{"message":"Request Timeout"}`), 1, true, false, "HTTP 408 with a JSON body that is not"},
		{"307 empty JSON object", reply(307, "Location: /elsewhere", `{}`), 1, true, false, "HTTP 307 with a JSON body that is not"},
		{"502 error without errorCode", reply(502, "", `{"error":{"message":"bad gateway"}}`), 1, true, false, "HTTP 502 with a JSON body that is not"},
		{"502 error string without code", reply(502, "", `{"error":"bad gateway"}`), 1, true, false, "HTTP 502 with a JSON body that is not"},
		{"503 JSON without errorCode 500", reply(503, "", `{"error":{"errorCode":"","message":"Endpoint Error"}}`), 1, true, false, "HTTP 503 with a JSON body that is not"},
		{"503 HTML", reply(503, "Content-Type: text/html", "<html>busy</html>"), 1, true, false, "HTTP 503 with a text/html body"},
		{"504 gateway Endpoint Timeout", reply(504, "", `{"error":{"errorCode":"510","message":"Endpoint Timeout"}}`), 1, true, false, "HTTP 504 (errorCode 510: Endpoint Timeout) from the gateway"},
		{"429 HTML is the gateway's refusal", reply(429, "Content-Type: text/html", "<html>slow down</html>"), 4, false, true, "HTTP 429 with a text/html body after 4 attempts"},
		{"503 errorCode 500 is the gateway's refusal", reply(503, "", gateway503), 4, false, true, "HTTP 503 (errorCode 500: Endpoint Error) after 4 attempts"},
		{"503 Cloud Functions error", reply(503, "", other503), 1, false, false, ""},
		{"500 OpenWhisk error", reply(500, "", `{"error":"The server is currently unavailable","code":"4d7c0f6b"}`), 1, false, false, ""},
		{"502 OpenWhisk activation record", reply(502, "", `{"activationId":"a1","response":{"status":"application error","success":false,"result":{"error":"x"}}}`), 1, false, false, ""},
		{"502 wrapped activation record", reply(502, "", `{"content":{"activationId":"a1"}}`), 1, false, false, ""},
		{"404 Cloud Functions error", reply(404, "", `{"error":{"errorCode":80301,"message":"ACTION_NOT_FOUND"}}`), 1, false, false, ""},
		{"200 record", ok, 1, false, false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := &script{steps: []func(http.ResponseWriter, *http.Request){tt.answer, ok}}
			if tt.refused {
				h.steps = h.steps[:1] // refusals that never end
			}
			srv := serve(t, h)
			c, _ := newTestClient(t, srv.URL, Config{MaxRetries: 3})
			r, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"})
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if h.n.Load() != tt.requests || r.Attempts != int(tt.requests) {
				t.Errorf("%d requests, %d attempts; want %d", h.n.Load(), r.Attempts, tt.requests)
			}
			if r.MayHaveRun != tt.mayRun || r.Refused != tt.refused || !strings.Contains(r.Transport, tt.what) || (tt.what == "") != (r.Transport == "") {
				t.Errorf("MayHaveRun %v, Refused %v, Transport %q; want %v, %v, %q", r.MayHaveRun, r.Refused, r.Transport, tt.mayRun, tt.refused, tt.what)
			}
			if strings.Contains(r.Transport, "not sent again") {
				t.Errorf("Transport %q says whether it is sent again, which is the caller's to say", r.Transport)
			}
		})
	}
}

// A poll answered by a proxy runs nothing: Transport is set, MayHaveRun is
// not, and the poll is not sent again.
func TestPollAnsweredByAProxy(t *testing.T) {
	h := &script{steps: []func(http.ResponseWriter, *http.Request){reply(502, "Content-Type: text/html", "<html>bad</html>"), reply(200, "", okBody)}}
	srv := serve(t, h)
	c, _ := newTestClient(t, srv.URL, Config{MaxRetries: 3})
	r, err := c.Activation(context.Background(), "p", "a", "", "a1")
	if err != nil {
		t.Fatal(err)
	}
	if h.n.Load() != 1 || r.MayHaveRun || r.Refused || r.Transport != "HTTP 502 with a text/html body from the gateway or a proxy, not from Cloud Functions" {
		t.Errorf("%d requests, MayHaveRun %v, Refused %v, Transport %q", h.n.Load(), r.MayHaveRun, r.Refused, r.Transport)
	}
}

// E8 c: when the wait before sending a refused call again is cut short,
// the count of attempts is the number of requests sent, and the last
// answer is Last, not a try that was sent again.
func TestWaitCutShortCountsTheRequestsSent(t *testing.T) {
	h := &script{steps: []func(http.ResponseWriter, *http.Request){reply(429, "", throttled)}}
	srv := serve(t, h)
	c, _ := newTestClient(t, srv.URL, Config{MaxRetries: 5})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	c.sleep = func(ctx context.Context, d time.Duration) error {
		if calls++; calls == 2 {
			cancel() // the second wait is cut short: two requests were sent
		}
		return ctx.Err()
	}
	_, err := c.Invoke(ctx, Invocation{Package: "p", Action: "a"})
	var te *TransportError
	var we *WaitError
	if !errors.As(err, &te) || !errors.As(err, &we) || !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v; want a TransportError caused by a WaitError", err)
	}
	if h.n.Load() != 2 || te.Attempts != 2 || len(te.Retried) != 1 || te.Last == nil || te.MayHaveRun {
		t.Fatalf("%d requests, Attempts %d, %d retried, Last %v, MayHaveRun %v; want 2, 2, 1, the last 429, false", h.n.Load(), te.Attempts, len(te.Retried), te.Last, te.MayHaveRun)
	}
	if te.Last.StatusCode != 429 || !strings.Contains(te.Last.Why, "not sent again") || strings.Contains(te.Last.Why, "sent again after") {
		t.Errorf("Last: HTTP %d, why %q; want the 429, not sent again", te.Last.StatusCode, te.Last.Why)
	}
	if we.Rate != 0 || we.After != "HTTP 429 (errorCode 420: Rate Limited)" {
		t.Errorf("WaitError %+v; want the wait after the 429", we)
	}
}

// E8 d: a rate so low that the next request's turn comes after the
// deadline is a WaitError naming the rate, with nothing sent.
func TestRateTurnAfterTheDeadline(t *testing.T) {
	h := &script{steps: []func(http.ResponseWriter, *http.Request){reply(200, "", okBody)}}
	srv := serve(t, h)
	c, _ := newTestClient(t, srv.URL, Config{Rate: 1e-7})
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if _, err := c.Invoke(ctx, Invocation{Package: "p", Action: "a"}); err != nil {
		t.Fatal(err) // the first request takes the one token there is
	}
	_, err := c.Invoke(ctx, Invocation{Package: "p", Action: "a"})
	var te *TransportError
	var we *WaitError
	if !errors.As(err, &te) || !errors.As(err, &we) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v; want a TransportError caused by a WaitError, DeadlineExceeded", err)
	}
	if h.n.Load() != 1 || te.Attempts != 0 || te.Last != nil || we.Rate != 1e-7 {
		t.Errorf("%d requests, Attempts %d, Last %v, WaitError %+v; want 1 request in all, no attempt of this call, rate 1e-07", h.n.Load(), te.Attempts, te.Last, we)
	}
}
