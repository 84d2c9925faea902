package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// captured is what a handler saw of one request.
type captured struct {
	method, uri, contentType, body, problem string
}

func capture(t *testing.T, status int, body string) (string, *captured) {
	t.Helper()
	var got captured
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = captured{r.Method, r.RequestURI, r.Header.Get("Content-Type"), string(b), checkSignature(r, testCreds.AccessKey, testCreds.SecretKey)}
		reply(status, "", body)(w, r)
	}))
	return srv.URL, &got
}

func TestInvokeRequest(t *testing.T) {
	tests := []struct {
		name string
		inv  Invocation
		want captured
	}{
		{"nil body sends {}", Invocation{Package: "package003", Action: "action000", Platform: "classic", Timeout: 60 * time.Second},
			captured{"POST", "/api/v2/packages/package003/actions/action000?platform=classic&timeout=60000", "application/json", "{}", ""}},
		{"body sent as is, no package", Invocation{Package: "-", Action: "a b", Body: []byte(`{"k":[1,2]}`)},
			captured{"POST", "/api/v2/packages/-/actions/a%20b", "application/json", `{"k":[1,2]}`, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, got := capture(t, 200, okBody)
			c, _ := newTestClient(t, base, Config{})
			r, err := c.Invoke(context.Background(), tt.inv)
			if err != nil {
				t.Fatal(err)
			}
			if *got != tt.want {
				t.Errorf("request\n got: %+v\nwant: %+v", *got, tt.want)
			}
			if r.Request == nil || r.Request.Method != "POST" || string(r.RequestBody) != tt.want.body {
				t.Errorf("Response.Request %v, RequestBody %q", r.Request, r.RequestBody)
			}
			// The kept request is the one sent, signature headers included,
			// so that --verbose shows what went on the wire (redacted).
			if r.Request.Header.Get(HeaderSignature) == "" || r.Request.Header.Get(HeaderAccessKey) != "AK" {
				t.Errorf("the kept request lacks the signature headers it was sent with: %v", r.Request.Header)
			}
			// The test clock moves 1ms a reading: start, signer, end.
			if r.Duration != 2*time.Millisecond || r.Start.IsZero() {
				t.Errorf("Start %v, Duration %s; want 2ms", r.Start, r.Duration)
			}
			if r.ActivationID != "a1" || r.Pending || r.Error != nil {
				t.Errorf("ActivationID %q, Pending %v, Error %v", r.ActivationID, r.Pending, r.Error)
			}
		})
	}
}

func TestInvokeErrorBodies(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		wantError   APIError
		wantJSONErr bool
	}{
		{"non-JSON gateway page", 504, "<html>Gateway Timeout</html>", APIError{Message: "<html>Gateway Timeout</html>"}, true},
		{"errorCode as number", 401, `{"error":{"errorCode":210,"message":"Permission Denied"}}`, APIError{Code: "210", Message: "Permission Denied"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, _ := capture(t, tt.status, tt.body)
			c, _ := newTestClient(t, base, Config{MaxRetries: 2})
			r, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"})
			if err != nil {
				t.Fatal(err)
			}
			if r.StatusCode != tt.status || r.Error == nil || *r.Error != tt.wantError || (r.JSONErr != nil) != tt.wantJSONErr || string(r.Body) != tt.body {
				t.Fatalf("status %d, Error %+v, JSONErr %v, Body %q", r.StatusCode, r.Error, r.JSONErr, r.Body)
			}
		})
	}
}

func TestActivationRequest(t *testing.T) {
	base, got := capture(t, 200, `{"content":{"activationId":"x/y","logs":[]}}`)
	c, _ := newTestClient(t, base, Config{})
	r, err := c.Activation(context.Background(), "p", "a", "vpc", "x/y")
	if err != nil {
		t.Fatal(err)
	}
	want := captured{"GET", "/api/v2/packages/p/actions/a/activations/x%2Fy?platform=vpc", "", "", ""}
	if *got != want {
		t.Errorf("request\n got: %+v\nwant: %+v", *got, want)
	}
	if r.ActivationID != "x/y" || r.Pending || r.RequestBody != nil {
		t.Errorf("ActivationID %q, Pending %v, RequestBody %q", r.ActivationID, r.Pending, r.RequestBody)
	}
}

func TestInvalidCalls(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1", Config{})
	ctx := context.Background()
	tests := []struct {
		name string
		call func() (*Response, error)
		want string
	}{
		{"empty package", func() (*Response, error) { return c.Invoke(ctx, Invocation{Action: "a"}) },
			`empty package name: use "-" for an action outside any package`},
		{"empty action", func() (*Response, error) { return c.Invoke(ctx, Invocation{Package: "p"}) }, "empty action name"},
		{"dot-dot action", func() (*Response, error) { return c.Invoke(ctx, Invocation{Package: "p", Action: ".."}) },
			`action name ".." is not allowed: it would change the URL path`},
		{"negative timeout", func() (*Response, error) { return c.Invoke(ctx, Invocation{Package: "p", Action: "a", Timeout: -1}) },
			"invoke p/a: timeout -1ns is negative"},
		{"empty activation id", func() (*Response, error) { return c.Activation(ctx, "p", "a", "", "") }, "empty activation id"},
		{"dot package in activation", func() (*Response, error) { return c.Activation(ctx, ".", "a", "", "id") },
			`package name "." is not allowed: it would change the URL path`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.call()
			if err == nil || err.Error() != tt.want || r != nil {
				t.Fatalf("got %v, %v; want error %q", r, err, tt.want)
			}
		})
	}
}

func TestRateLimiterConfigured(t *testing.T) {
	tests := []struct {
		rate      float64
		wantLimit rate.Limit
	}{
		{0, 0},
		{0.5, 0.5},
		{20, 20},
	}
	for _, tt := range tests {
		c, err := New(Config{Credentials: testCreds, Rate: tt.rate})
		if err != nil {
			t.Fatal(err)
		}
		if tt.wantLimit == 0 {
			if c.limiter != nil {
				t.Errorf("Rate 0: limiter %v, want none", c.limiter.Limit())
			}
			continue
		}
		if c.limiter == nil || c.limiter.Limit() != tt.wantLimit || c.limiter.Burst() != 1 {
			t.Errorf("Rate %g: limiter %v, want limit %v burst 1", tt.rate, c.limiter, tt.wantLimit)
		}
	}
}

func TestRateLimiterSharedByCallers(t *testing.T) {
	// A guaranteed lower bound only: 5 requests at 50/s with burst 1 cannot
	// all be sent in less than 4/50 s, whatever goroutine sends them.
	h := &script{steps: []func(http.ResponseWriter, *http.Request){reply(200, "", okBody)}}
	srv := serve(t, h)
	c, _ := newTestClient(t, srv.URL, Config{Rate: 50})
	start := time.Now()
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if elapsed := time.Since(start); elapsed < 80*time.Millisecond || h.n.Load() != 5 {
		t.Fatalf("5 requests at 50/s took %s (%d seen), want at least 80ms", elapsed, h.n.Load())
	}
}

func TestRateLimiterHonoursContext(t *testing.T) {
	h := &script{steps: []func(http.ResponseWriter, *http.Request){reply(200, "", okBody)}}
	srv := serve(t, h)
	c, _ := newTestClient(t, srv.URL, Config{Rate: 0.001}) // one request per 1000 s
	if _, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.Invoke(ctx, Invocation{Package: "p", Action: "a"})
	var te *TransportError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &te) || te.MayHaveRun || h.n.Load() != 1 {
		t.Fatalf("error %v (%d seen); want a prompt DeadlineExceeded before sending", err, h.n.Load())
	}
	want := "POST " + srv.URL + "/api/v2/packages/p/actions/a: waiting for the rate limit (0.001 requests a second): rate: Wait(n=1) would exceed context deadline: context deadline exceeded"
	if err.Error() != want {
		t.Errorf("error\n got: %s\nwant: %s", err, want)
	}
}

// A redirect is returned, not followed: a redirected POST would be re-sent
// (or turned into a GET) to a URL the spec never named.
func TestRedirectNotFollowed(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		var mu sync.Mutex
		var seen []string
		srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen = append(seen, r.Method+" "+r.URL.Path)
			mu.Unlock()
			if r.URL.Path == "/elsewhere" {
				reply(200, "", okBody)(w, r)
				return
			}
			reply(status, "Location: /elsewhere", `{"moved":true}`)(w, r)
		}))
		c, _ := newTestClient(t, srv.URL, Config{})
		r, err := c.Invoke(context.Background(), Invocation{Package: "p", Action: "a"})
		if err != nil {
			t.Fatalf("HTTP %d: %v", status, err)
		}
		if r.StatusCode != status || r.Header.Get("Location") != "/elsewhere" {
			t.Errorf("HTTP %d: got status %d, Location %q; want the redirect itself", status, r.StatusCode, r.Header.Get("Location"))
		}
		mu.Lock()
		if len(seen) != 1 || seen[0] != "POST /api/v2/packages/p/actions/a" {
			t.Errorf("HTTP %d: the server saw %q; want the one POST", status, seen)
		}
		mu.Unlock()
	}
}
