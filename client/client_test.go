package client

import (
	"context"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/specrun/specrun/emulator"
)

var testCreds = Credentials{AccessKey: "AK", SecretKey: "SK-secret"}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no credentials", Config{}, "no NCP credentials: set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY (or put them in ~/.ncloud/configure)"},
		{"only the secret", Config{Credentials: Credentials{SecretKey: "SK-secret", Source: "test"}},
			"NCP credentials from test have a secret key but no access key: set NCLOUD_ACCESS_KEY"},
		{"only the access key", Config{Credentials: Credentials{AccessKey: "AK"}},
			"NCP credentials have an access key but no secret key: set NCLOUD_SECRET_KEY"},
		{"not a URL", Config{Credentials: testCreds, Endpoint: "http://[::1"},
			`endpoint "http://[::1" is not a URL: missing ']' in host`},
		{"ftp scheme", Config{Credentials: testCreds, Endpoint: "ftp://example.test/api/v2"},
			`endpoint "ftp://example.test/api/v2" must start with https:// (or http:// for a local emulator)`},
		{"no scheme", Config{Credentials: testCreds, Endpoint: "example.test/api/v2"},
			`endpoint "example.test/api/v2" must start with https:// (or http:// for a local emulator)`},
		{"no host", Config{Credentials: testCreds, Endpoint: "https:///api/v2"},
			`endpoint "https:///api/v2" has no host; expected a base URL such as https://cloudfunctions.apigw.ntruss.com/api/v2`},
		{"user info", Config{Credentials: testCreds, Endpoint: "https://u:SK-secret@example.test/api/v2"},
			"endpoint https://u:xxxxx@example.test/api/v2 must not hold user info; credentials come from Config.Credentials"},
		{"no API path", Config{Credentials: testCreds, Endpoint: "https://cloudfunctions.apigw.ntruss.com/"},
			`endpoint "https://cloudfunctions.apigw.ntruss.com/" has no API path: append /api/v2 (or /ncf/api/v2 for Cloud Functions v2.1), as in https://cloudfunctions.apigw.ntruss.com/api/v2`},
		{"query", Config{Credentials: testCreds, Endpoint: "https://example.test/api/v2?platform=vpc"},
			`endpoint "https://example.test/api/v2?platform=vpc" must not have a query or a fragment; expected a base URL such as https://cloudfunctions.apigw.ntruss.com/api/v2`},
		{"negative parallelism", Config{Credentials: testCreds, Parallelism: -1}, "parallelism -1 is negative; use 0 for the default 8"},
		{"negative retries", Config{Credentials: testCreds, MaxRetries: -1}, "max retries -1 is negative; use 0 for no retries"},
		{"negative delay", Config{Credentials: testCreds, RetryDelay: -time.Second}, "retry delays -1s and 0s must not be negative; use 0 for the defaults"},
		{"negative rate", Config{Credentials: testCreds, Rate: -1}, "rate -1 must be a positive number of requests a second, or 0 for no limit"},
		{"negative cap", Config{Credentials: testCreds, MaxResponseBytes: -1}, "max response bytes -1 is negative; use 0 for the default 10485760"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if err == nil {
				c.CloseIdleConnections()
				t.Fatalf("New() succeeded, want error %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Fatalf("error\n got: %s\nwant: %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "SK-secret") {
				t.Fatalf("error holds the secret: %s", err)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(Config{Credentials: testCreds})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	if c.Endpoint() != DefaultEndpoint {
		t.Errorf("endpoint = %s, want %s", c.Endpoint(), DefaultEndpoint)
	}
	cfg := c.cfg
	if cfg.Parallelism != 8 || cfg.MaxRetries != 0 || cfg.RetryDelay != 200*time.Millisecond ||
		cfg.MaxRetryDelay != 10*time.Second || cfg.MaxResponseBytes != 10<<20 || c.limiter != nil {
		t.Errorf("defaults = %v, limiter %v", cfg, c.limiter)
	}
	// The client signs its own requests in place, over its own transport.
	if c.transport == nil || c.hc != nil || c.signer == nil || c.signer.base != c.transport {
		t.Fatalf("transport %v, http.Client %v, signer %v; want the client's own transport, signed by the client", c.transport, c.hc, c.signer)
	}
	checkTransport(t, c.transport, 8)
}

func TestNewTransport(t *testing.T) {
	for _, p := range []int{1, 8, 64, 300} {
		checkTransport(t, NewTransport(p), p)
	}
	checkTransport(t, NewTransport(0), DefaultParallelism)
}

func checkTransport(t *testing.T, tr *http.Transport, parallelism int) {
	t.Helper()
	if tr.MaxIdleConnsPerHost < parallelism || tr.MaxIdleConns < parallelism {
		t.Errorf("parallelism %d: MaxIdleConnsPerHost %d, MaxIdleConns %d", parallelism, tr.MaxIdleConnsPerHost, tr.MaxIdleConns)
	}
	if tr.DisableKeepAlives || !tr.ForceAttemptHTTP2 || tr.Proxy == nil || tr.DialContext == nil {
		t.Errorf("keep-alive %v, HTTP/2 %v, proxy set %v, dialer set %v", !tr.DisableKeepAlives, tr.ForceAttemptHTTP2, tr.Proxy != nil, tr.DialContext != nil)
	}
	if tr.TLSClientConfig == nil || tr.TLSClientConfig.InsecureSkipVerify || tr.TLSClientConfig.MinVersion < 0x0303 {
		t.Errorf("TLS config %+v", tr.TLSClientConfig)
	}
}

func TestActionURLAllocations(t *testing.T) {
	c, err := New(Config{Credentials: testCreds, Endpoint: "https://h.test/api/v2"})
	if err != nil {
		t.Fatal(err)
	}
	// The URL, its path and its query; nothing more on the hot path.
	if n := testing.AllocsPerRun(100, func() { c.actionURL("package003", "action000", "", "classic", time.Minute) }); n != 3 {
		t.Errorf("actionURL makes %v allocations, want 3", n)
	}
}

func TestNewKeepsCallersHTTPClient(t *testing.T) {
	mine := &http.Client{Timeout: time.Second}
	c, err := New(Config{Credentials: testCreds, HTTPClient: mine})
	if err != nil {
		t.Fatal(err)
	}
	if mine.Transport != nil {
		t.Fatalf("the caller's HTTPClient.Transport was set to %T", mine.Transport)
	}
	if c.hc.Timeout != time.Second {
		t.Errorf("timeout %s not kept", c.hc.Timeout)
	}
	if s, ok := c.hc.Transport.(*Signer); !ok || s.base != http.DefaultTransport || c.transport != nil {
		t.Errorf("transport = %T, own transport %v; want a Signer over http.DefaultTransport", c.hc.Transport, c.transport)
	}
}

func TestActionURL(t *testing.T) {
	tests := []struct {
		name, endpoint            string
		pkg, action, id, platform string
		timeout                   time.Duration
		want                      string
	}{
		{"v2.0 base", "https://h.test/api/v2", "package003", "action000", "", "classic", 60 * time.Second,
			"https://h.test/api/v2/packages/package003/actions/action000?platform=classic&timeout=60000"},
		{"v2.1 base with trailing slash", "https://h.test/ncf/api/v2/", "p", "a", "", "vpc", -1,
			"https://h.test/ncf/api/v2/packages/p/actions/a?platform=vpc"},
		{"no package, no platform", "http://127.0.0.1:8080/api/v2", "-", "a", "", "", 1500 * time.Millisecond,
			"http://127.0.0.1:8080/api/v2/packages/-/actions/a?timeout=1500"},
		{"no query at all", "http://h.test/api/v2", "p", "a", "", "", -1, "http://h.test/api/v2/packages/p/actions/a"},
		{"timeout 0 is sent", "http://h.test/api/v2", "p", "a", "", "", 0, "http://h.test/api/v2/packages/p/actions/a?timeout=0"},
		{"escaped segments", "http://h.test/api/v2", "a/b c", "x?y#z%", "", "vp c&", -1,
			"http://h.test/api/v2/packages/a%2Fb%20c/actions/x%3Fy%23z%25?platform=vp+c%26"},
		{"escaped base path kept", "http://h.test/my%2Fbase/api/v2", "p", "a", "", "", -1,
			"http://h.test/my%2Fbase/api/v2/packages/p/actions/a"},
		{"sub-millisecond timeout rounds up", "http://h.test/api/v2", "p", "a", "", "", time.Microsecond,
			"http://h.test/api/v2/packages/p/actions/a?timeout=1"},
		{"activation", "http://h.test/api/v2", "p", "a", "0123abc", "vpc", -1,
			"http://h.test/api/v2/packages/p/actions/a/activations/0123abc?platform=vpc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Config{Credentials: testCreds, Endpoint: tt.endpoint})
			if err != nil {
				t.Fatal(err)
			}
			u := c.actionURL(tt.pkg, tt.action, tt.id, tt.platform, tt.timeout)
			if got := u.String(); got != tt.want {
				t.Fatalf("URL\n got: %s\nwant: %s", got, tt.want)
			}
			if want := strings.TrimPrefix(tt.want, tt.endpoint[:strings.Index(tt.endpoint[8:], "/")+8]); u.RequestURI() != want {
				t.Fatalf("RequestURI = %s, want %s", u.RequestURI(), want)
			}
		})
	}
}

// The client's own transport speaks HTTP/2 to a TLS server that offers it,
// and keeps one connection alive for calls made one after another. The
// server is the emulator, which checks each signature with its own code;
// the handler around it only notes the protocol.
func TestTransportHTTP2AndKeepAlive(t *testing.T) {
	m, err := emulator.ParseManifest("manifest.yaml", []byte(testManifest))
	if err != nil {
		t.Fatal(err)
	}
	emu := emulator.New(m, emulator.Options{AccessKey: testCreds.AccessKey, SecretKey: testCreds.SecretKey})
	t.Cleanup(func() { emu.Close() })
	var mu sync.Mutex
	var protos []int
	conns := 0
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		protos = append(protos, r.ProtoMajor)
		mu.Unlock()
		emu.ServeHTTP(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			conns++
			mu.Unlock()
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	c, err := New(Config{Credentials: testCreds, Endpoint: srv.URL + "/api/v2"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	// Trust the test server's certificate, and nothing else changes:
	// verification stays on.
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	c.transport.TLSClientConfig.RootCAs = roots

	for range 5 {
		r, err := c.Invoke(context.Background(), Invocation{Package: "package003", Action: "fixed"})
		if err != nil || r.StatusCode != 200 {
			t.Fatalf("invoke over TLS: %v, %v", r, err)
		}
		if r.Request == nil || r.Request.URL.Scheme != "https" {
			t.Fatalf("the request went to %v; want https", r.Request.URL)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for i, p := range protos {
		if p != 2 {
			t.Errorf("call %d arrived over HTTP/%d; want HTTP/2", i+1, p)
		}
	}
	if conns != 1 {
		t.Errorf("5 calls one after another opened %d connections; want 1 kept alive", conns)
	}
}
