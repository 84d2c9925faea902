package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testClock is a clock that moves by step at every reading.
type testClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), step: time.Millisecond}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

// sleeps records the delays a client asked to wait, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) get() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// newTestClient returns a client for base (the server's URL) with cfg's
// other fields, a test clock, Rand fixed at 0.5 and recorded sleeps.
func newTestClient(t *testing.T, base string, cfg Config) (*Client, *sleeps) {
	t.Helper()
	cfg.Endpoint = base + "/api/v2"
	if cfg.Credentials == (Credentials{}) {
		cfg.Credentials = testCreds
	}
	if cfg.Now == nil {
		cfg.Now = newTestClock().Now
	}
	if cfg.Rand == nil {
		cfg.Rand = func() float64 { return 0.5 }
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	s := &sleeps{}
	c.sleep = s.sleep
	return c, s
}

// script is a handler answering the i-th request with steps[i] (the last
// one repeating) after checking its signature; it counts the requests.
type script struct {
	steps []func(w http.ResponseWriter, r *http.Request)
	n     atomic.Int32
	mu    sync.Mutex
	seen  []string // problems and timestamps, in order
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.n.Add(1)) - 1
	s.mu.Lock()
	if p := checkSignature(r, testCreds.AccessKey, testCreds.SecretKey); p != "" {
		s.seen = append(s.seen, p)
	} else {
		s.seen = append(s.seen, r.Header.Get(HeaderTimestamp))
	}
	s.mu.Unlock()
	s.steps[min(i, len(s.steps)-1)](w, r)
}

func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func reply(status int, header, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if header != "" {
			k, v, _ := strings.Cut(header, ": ")
			w.Header().Set(k, v)
		}
		if strings.HasPrefix(body, "{") {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

const (
	okBody      = `{"content":{"activationId":"a1","response":{"result":{"payload":"abc"},"status":"success","success":true}}}`
	throttled   = `{"error":{"errorCode":"420","message":"Rate Limited"}}`
	gateway503  = `{"error":{"errorCode":"500","message":"Endpoint Error"}}`
	gateway503n = `{"error":{"errorCode":500,"message":"Endpoint Error"}}`
	other503    = `{"error":{"errorCode":"80503","message":"SERVICE_UNAVAILABLE"}}`
)

func TestTransportRetries(t *testing.T) {
	ok := reply(200, "", okBody)
	tests := []struct {
		name         string
		steps        []func(http.ResponseWriter, *http.Request)
		maxRetries   int
		wantStatus   int
		wantAttempts int
		wantSleeps   []time.Duration
	}{
		{"429 then 200 is retried", []func(http.ResponseWriter, *http.Request){reply(429, "", throttled), ok}, 3, 200, 2,
			[]time.Duration{150 * time.Millisecond}},
		{"no retries configured", []func(http.ResponseWriter, *http.Request){reply(429, "", throttled), ok}, 0, 429, 1, nil},
		{"Retry-After seconds honoured", []func(http.ResponseWriter, *http.Request){reply(429, "Retry-After: 1", throttled), ok}, 3, 200, 2,
			[]time.Duration{time.Second}},
		{"Retry-After shorter than the backoff keeps the backoff", []func(http.ResponseWriter, *http.Request){reply(429, "Retry-After: 0", throttled), ok}, 3, 200, 2,
			[]time.Duration{150 * time.Millisecond}},
		{"Retry-After HTTP date honoured", []func(http.ResponseWriter, *http.Request){reply(429, "Retry-After: Fri, 27 Nov 2026 12:00:01 GMT", throttled), ok}, 3, 200, 2,
			[]time.Duration{time.Second - 4*time.Millisecond}}, // four clock readings by then
		{"Retry-After past MaxRetryDelay returns the 429", []func(http.ResponseWriter, *http.Request){reply(429, "Retry-After: 3600", throttled), ok}, 3, 429, 1, nil},
		{"unparsable Retry-After ignored", []func(http.ResponseWriter, *http.Request){reply(429, "Retry-After: soon", throttled), ok}, 3, 200, 2,
			[]time.Duration{150 * time.Millisecond}},
		{"gateway 503 errorCode 500 retried", []func(http.ResponseWriter, *http.Request){reply(503, "", gateway503), ok}, 3, 200, 2,
			[]time.Duration{150 * time.Millisecond}},
		{"gateway 503 numeric errorCode 500 retried", []func(http.ResponseWriter, *http.Request){reply(503, "", gateway503n), ok}, 3, 200, 2,
			[]time.Duration{150 * time.Millisecond}},
		{"503 HTML page not sent again: the action may have run", []func(http.ResponseWriter, *http.Request){reply(503, "Content-Type: text/html", "<html>busy</html>"), ok}, 3, 503, 1, nil},
		{"503 with another error code not retried", []func(http.ResponseWriter, *http.Request){reply(503, "", other503), ok}, 3, 503, 1, nil},
		{"502 not retried", []func(http.ResponseWriter, *http.Request){reply(502, "", `{"error":"x"}`), ok}, 3, 502, 1, nil},
		{"500 not retried", []func(http.ResponseWriter, *http.Request){reply(500, "", `{"error":{"errorCode":"900"}}`), ok}, 3, 500, 1, nil},
		{"gateway 504 Endpoint Timeout not retried", []func(http.ResponseWriter, *http.Request){reply(504, "", `{"error":{"errorCode":"510","message":"Endpoint Timeout"}}`), ok}, 3, 504, 1, nil},
		{"exhausted retries return the last 429 with backoff doubling to the cap",
			[]func(http.ResponseWriter, *http.Request){reply(429, "", throttled)}, 5, 429, 6,
			[]time.Duration{150 * time.Millisecond, 300 * time.Millisecond, 600 * time.Millisecond, 750 * time.Millisecond, 750 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &script{steps: tt.steps}
			srv := serve(t, h)
			c, s := newTestClient(t, srv.URL, Config{MaxRetries: tt.maxRetries, RetryDelay: 200 * time.Millisecond, MaxRetryDelay: time.Second})
			r, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"})
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if r.StatusCode != tt.wantStatus || r.Attempts != tt.wantAttempts || int(h.n.Load()) != tt.wantAttempts {
				t.Errorf("status %d after %d attempts (%d requests seen), want %d after %d", r.StatusCode, r.Attempts, h.n.Load(), tt.wantStatus, tt.wantAttempts)
			}
			if got := s.get(); fmt.Sprint(got) != fmt.Sprint(tt.wantSleeps) {
				t.Errorf("sleeps %v, want %v", got, tt.wantSleeps)
			}
			seen := map[string]bool{}
			for _, ts := range h.seen {
				if strings.Contains(ts, " ") || seen[ts] {
					t.Errorf("request not signed afresh: %q in %q", ts, h.seen)
				}
				seen[ts] = true
			}
		})
	}
}

func TestBackoffJitter(t *testing.T) {
	tests := []struct {
		name    string
		rand    float64
		attempt int
		want    time.Duration
	}{
		{"rand 0 gives half the delay", 0, 1, 100 * time.Millisecond},
		{"rand near 1 gives nearly the delay", 0.999, 1, 199900 * time.Microsecond},
		{"doubles", 0, 3, 400 * time.Millisecond},
		{"capped", 0, 10, 500 * time.Millisecond},
		{"huge attempt does not overflow", 0.5, 1000, 750 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Client{cfg: Config{RetryDelay: 200 * time.Millisecond, MaxRetryDelay: time.Second}, rand: func() float64 { return tt.rand }}
			if got := c.backoff(tt.attempt); got != tt.want {
				t.Fatalf("backoff(%d) = %s, want %s", tt.attempt, got, tt.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"99999999999999999", maxDuration, true},
		{"Fri, 27 Nov 2026 12:00:10 GMT", 10 * time.Second, true},
		{"Fri, 27 Nov 2026 11:00:00 GMT", 0, true},
		{"Friday, 27-Nov-26 12:00:01 GMT", time.Second, true},
		{"tomorrow", 0, false},
	}
	for _, tt := range tests {
		got, ok := retryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("retryAfter(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

// closedURL returns the URL of a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestConnectionRefusedRetriedThenFails(t *testing.T) {
	base := closedURL(t)
	c, s := newTestClient(t, base, Config{MaxRetries: 2})
	_, err := c.Invoke(context.Background(), Invocation{Package: "-", Action: "a"})
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T), want *TransportError", err, err)
	}
	host := strings.TrimPrefix(base, "http://")
	want := "POST " + base + "/api/v2/packages/-/actions/a: cannot connect (3 attempts; check the endpoint and the network), so the action did not run: dial tcp " + host + ": connect: connection refused"
	if err.Error() != want {
		t.Errorf("error\n got: %s\nwant: %s", err, want)
	}
	if te.MayHaveRun || te.Attempts != 3 || len(s.get()) != 2 {
		t.Errorf("MayHaveRun %v, Attempts %d, sleeps %v; want false, 3, two sleeps", te.MayHaveRun, te.Attempts, s.get())
	}
}

func TestBrokenConnectionAfterSendNotRetried(t *testing.T) {
	var n atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		io.Copy(io.Discard, r.Body) // the request was read in full
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	}))
	c, s := newTestClient(t, srv.URL, Config{MaxRetries: 3})
	_, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a", Body: []byte(`{"x":1}`)})
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T), want *TransportError", err, err)
	}
	want := "POST " + srv.URL + "/api/v2/packages/p/actions/a: no response after the request was sent, so the action may have run: EOF"
	if err.Error() != want {
		t.Errorf("error\n got: %s\nwant: %s", err, want)
	}
	if !te.MayHaveRun || te.Attempts != 1 || n.Load() != 1 || len(s.get()) != 0 {
		t.Errorf("MayHaveRun %v, Attempts %d, requests seen %d, sleeps %v; want true, 1, 1, none", te.MayHaveRun, te.Attempts, n.Load(), s.get())
	}
}

func TestBrokenBodyAfterHeaders(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: application/json\r\n\r\n{\"content\":")
		buf.Flush()
		conn.Close()
	}))
	c, _ := newTestClient(t, srv.URL, Config{MaxRetries: 3})
	_, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"})
	var te *TransportError
	if !errors.As(err, &te) || !te.MayHaveRun || te.Attempts != 1 {
		t.Fatalf("error %v, want a TransportError with MayHaveRun after 1 attempt", err)
	}
	if want := "the connection broke while reading the response, so the action may have run: unexpected EOF"; !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error %q does not end with %q", err, want)
	}
}

func TestResponseSizeCap(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush() // chunked: no Content-Length to check early
		io.WriteString(w, `{"content":{"x":"0123456789"}}`)
	}))
	c, _ := newTestClient(t, srv.URL, Config{MaxResponseBytes: 20, MaxRetries: 3})
	_, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"})
	var tooLarge *ResponseTooLargeError
	var te *TransportError
	if !errors.As(err, &tooLarge) || !errors.As(err, &te) || !te.MayHaveRun || tooLarge.Limit != 20 {
		t.Fatalf("error %v, want a TransportError (may have run) caused by ResponseTooLargeError{Limit: 20}", err)
	}
	want := "POST " + srv.URL + "/api/v2/packages/p/actions/a: the HTTP 200 response body is larger than the 20-byte cap (Config.MaxResponseBytes); raise the cap or make the action return less"
	if err.Error() != want {
		t.Errorf("error\n got: %s\nwant: %s", err, want)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	h := &script{steps: []func(http.ResponseWriter, *http.Request){reply(429, "", throttled)}}
	srv := serve(t, h)
	c, _ := newTestClient(t, srv.URL, Config{MaxRetries: 3, RetryDelay: time.Hour, MaxRetryDelay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.sleep = func(ctx context.Context, d time.Duration) error {
		cancel() // cancelled while the real sleep of an hour runs
		return sleepCtx(ctx, d)
	}
	_, err := c.Invoke(ctx, Invocation{Package: "p", Action: "a"})
	var te *TransportError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &te) || te.MayHaveRun || te.Attempts != 1 {
		t.Fatalf("error %v, want a TransportError wrapping context.Canceled, not MayHaveRun, 1 attempt", err)
	}
	want := "POST " + srv.URL + "/api/v2/packages/p/actions/a: cancelled while waiting to retry after HTTP 429 (errorCode 420: Rate Limited): context canceled"
	if err.Error() != want {
		t.Errorf("error\n got: %s\nwant: %s", err, want)
	}
}

func TestCancelDuringSlowResponse(t *testing.T) {
	got := make(chan struct{})
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // then the server notices a closed connection
		close(got)
		<-r.Context().Done() // slow: answers only when the client gives up
	}))
	c, _ := newTestClient(t, srv.URL, Config{MaxRetries: 3})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-got
		cancel()
	}()
	_, err := c.Invoke(ctx, Invocation{Package: "p", Action: "a"})
	var te *TransportError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &te) || !te.MayHaveRun || te.Attempts != 1 {
		t.Fatalf("error %v, want a TransportError wrapping context.Canceled with MayHaveRun after 1 attempt", err)
	}
	want := "POST " + srv.URL + "/api/v2/packages/p/actions/a: cancelled after the request was sent, so the action may have run: context canceled"
	if err.Error() != want {
		t.Errorf("error\n got: %s\nwant: %s", err, want)
	}
}

func TestCancelledBeforeSending(t *testing.T) {
	h := &script{steps: []func(http.ResponseWriter, *http.Request){reply(200, "", okBody)}}
	srv := serve(t, h)
	c, _ := newTestClient(t, srv.URL, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Invoke(ctx, Invocation{Package: "p", Action: "a"})
	var te *TransportError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &te) || te.MayHaveRun || h.n.Load() != 0 {
		t.Fatalf("error %v, %d requests seen; want context.Canceled, not MayHaveRun, none seen", err, h.n.Load())
	}
}

func TestTLSVerified(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, s := newTestClient(t, srv.URL, Config{MaxRetries: 3})
	_, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"})
	var te *TransportError
	if !errors.As(err, &te) || te.MayHaveRun || te.Attempts != 1 || len(s.get()) != 0 {
		t.Fatalf("error %v, want one attempt that could not be sent", err)
	}
	if !strings.Contains(err.Error(), "the request could not be sent: tls: failed to verify certificate") {
		t.Errorf("error %q does not say the certificate was refused", err)
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "120", "-5", "Fri, 27 Nov 2026 12:00:10 GMT", "Friday, 27-Nov-26 12:00:01 GMT", "Mon Jan  2 15:04:05 2006", "1e3"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := retryAfter(v, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("retryAfter(%q) = %s, %v", v, d, ok)
		}
	})
}

func TestCallersHTTPClientSignsEveryRequest(t *testing.T) {
	tests := []struct {
		name         string
		steps        []func(http.ResponseWriter, *http.Request)
		wantRequests int32
		wantAttempts int
		wantPath     string // of Response.Request
	}{
		// The caller's client follows redirects: the Signer signs the
		// redirected request too.
		{"redirect followed and signed", []func(http.ResponseWriter, *http.Request){reply(307, "Location: /api/v2/packages/p/actions/b", ""), reply(200, "", okBody)}, 2, 1, "/api/v2/packages/p/actions/b"},
		{"retry signed afresh", []func(http.ResponseWriter, *http.Request){reply(429, "", throttled), reply(200, "", okBody)}, 2, 2, "/api/v2/packages/p/actions/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &script{steps: tt.steps}
			srv := serve(t, h)
			c, _ := newTestClient(t, srv.URL, Config{HTTPClient: srv.Client(), MaxRetries: 1})
			r, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"})
			if err != nil || r.StatusCode != 200 || r.Attempts != tt.wantAttempts || h.n.Load() != tt.wantRequests {
				t.Fatalf("got %v, %v after %d requests; want 200 after %d attempts, %d requests", r, err, h.n.Load(), tt.wantAttempts, tt.wantRequests)
			}
			seen := map[string]bool{}
			for _, ts := range h.seen {
				if strings.Contains(ts, " ") || seen[ts] {
					t.Errorf("request not signed afresh: %q in %q", ts, h.seen)
				}
				seen[ts] = true
			}
			// The kept request is the last one as sent, signed.
			sent := r.Request.Clone(context.Background())
			sent.RequestURI = sent.URL.RequestURI()
			if p := checkSignature(sent, testCreds.AccessKey, testCreds.SecretKey); p != "" || sent.URL.Path != tt.wantPath {
				t.Errorf("Response.Request for %s: %s", sent.URL, p)
			}
		})
	}
}
