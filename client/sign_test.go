package client

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSign(t *testing.T) {
	tests := []struct {
		name                                   string
		method, uri, timestamp, access, secret string
		want                                   string
	}{
		{
			name:   "known answer from NCP-API.md",
			method: "GET", uri: "/vserver/v2/getServerInstanceList?responseFormatType=json",
			timestamp: "1234567890123", access: "TestAccessKey", secret: "TestSecretKey",
			want: "FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M=",
		},
		{
			name:   "another method changes the signature",
			method: "POST", uri: "/vserver/v2/getServerInstanceList?responseFormatType=json",
			timestamp: "1234567890123", access: "TestAccessKey", secret: "TestSecretKey",
			want: "", // only differs from the known answer
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sign(tt.method, tt.uri, tt.timestamp, tt.access, tt.secret)
			if tt.want == "" {
				if got == tests[0].want {
					t.Fatalf("Sign(%s ...) = the GET signature %s", tt.method, got)
				}
				return
			}
			if got != tt.want {
				t.Fatalf("Sign() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestSignLongURIMatchesShort(t *testing.T) {
	// A request URI longer than Sign's stack buffer must still sign the
	// whole string.
	long := "/api/v2/packages/p/actions/" + strings.Repeat("a", 400)
	if Sign("GET", long, "1", "k", "s") == Sign("GET", long[:len(long)-1], "1", "k", "s") {
		t.Fatal("the last byte of a long request URI does not change the signature")
	}
}

// checkSignature verifies the signature v2 headers of r as a gateway would.
func checkSignature(r *http.Request, access, secret string) string {
	ts := r.Header.Get(HeaderTimestamp)
	switch {
	case ts == "":
		return "no timestamp"
	case r.Header.Get(HeaderAccessKey) != access:
		return "access key " + r.Header.Get(HeaderAccessKey)
	case r.Header.Get(HeaderSignature) != Sign(r.Method, r.RequestURI, ts, access, secret):
		return "bad signature over " + r.Method + " " + r.RequestURI + " " + ts
	}
	return ""
}

func TestSignerSignsWhatIsSent(t *testing.T) {
	var got struct{ uri, ts, problem string }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.uri, got.ts = r.RequestURI, r.Header.Get(HeaderTimestamp)
		got.problem = checkSignature(r, "AK", "SK")
	}))
	defer srv.Close()
	now := time.UnixMilli(1714021538088)
	hc := &http.Client{Transport: NewSigner(Credentials{AccessKey: "AK", SecretKey: "SK"}, srv.Client().Transport, func() time.Time { return now })}
	defer hc.CloseIdleConnections()

	u, err := url.Parse(srv.URL + "/api/v2/packages/a%2Fb/actions/x%20y?platform=vpc&timeout=1000")
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, u.String(), strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Caller", "kept")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	if got.problem != "" {
		t.Errorf("server: %s", got.problem)
	}
	if want := "/api/v2/packages/a%2Fb/actions/x%20y?platform=vpc&timeout=1000"; got.uri != want {
		t.Errorf("request URI = %s, want %s", got.uri, want)
	}
	if got.ts != "1714021538088" {
		t.Errorf("timestamp header = %s, want 1714021538088 (Unix ms of the clock)", got.ts)
	}
	for _, h := range []string{HeaderTimestamp, HeaderAccessKey, HeaderSignature} {
		if v := req.Header.Get(h); v != "" {
			t.Errorf("the caller's request was modified: %s: %s", h, v)
		}
	}
	if req.Header.Get("X-Caller") != "kept" || len(req.Header) != 1 {
		t.Errorf("caller's headers changed: %v", req.Header)
	}
}

func TestSignerDefaults(t *testing.T) {
	s := NewSigner(Credentials{AccessKey: "AK", SecretKey: "SK"}, nil, nil)
	if s.base != http.DefaultTransport {
		t.Errorf("nil base = %v, want http.DefaultTransport", s.base)
	}
	if d := time.Since(s.now()); d < 0 || d > time.Minute {
		t.Errorf("nil now is not time.Now: off by %s", d)
	}
}

// TestSignerKeyedOnceSignsEveryRequestAlike: a Signer keys its HMAC once
// and signs each request with a clone, so many requests signed at once,
// and each signed again, must all carry Sign's signature (a clone that
// wrote into the shared keyed state would spoil the ones after it).
func TestSignerKeyedOnceSignsEveryRequestAlike(t *testing.T) {
	const ak, sk = "AKIDEXAMPLE", "a secret key longer than one SHA-256 block: " +
		"0123456789abcdef0123456789abcdef0123456789abcdef"
	now := time.UnixMilli(1714021538088)
	s := NewSigner(Credentials{AccessKey: ak, SecretKey: sk}, nil, func() time.Time { return now })
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				uri := fmt.Sprintf("/api/v2/packages/p%d/actions/a%d?timeout=%d", g, i, i)
				req := httptest.NewRequest(http.MethodPost, uri, nil)
				for range 2 {
					s.sign(req)
					if got, want := req.Header.Get(HeaderSignature), Sign(http.MethodPost, uri, "1714021538088", ak, sk); got != want {
						t.Errorf("%s: signature %s, want %s", uri, got, want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
