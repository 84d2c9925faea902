package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func BenchmarkSign(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Sign("POST", "/api/v2/packages/package003/actions/action000?platform=classic&timeout=60000", "1714021538088", "AKIDEXAMPLE0000000000", "SECRETEXAMPLE000000000000000000000000000")
	}
}

// BenchmarkSignerSign is what each request pays: the signature headers of
// one request, by a Signer that keyed its HMAC once.
func BenchmarkSignerSign(b *testing.B) {
	s := NewSigner(Credentials{AccessKey: "AKIDEXAMPLE0000000000", SecretKey: "SECRETEXAMPLE000000000000000000000000000"}, nil, nil)
	req := httptest.NewRequest(http.MethodPost, "/api/v2/packages/package003/actions/action000?platform=classic&timeout=60000", nil)
	b.ReportAllocs()
	for b.Loop() {
		s.sign(req)
	}
}

// BenchmarkInvokeRoundTrip signs and runs one invocation of a fixed-result
// action against the emulator over loopback HTTP.
func BenchmarkInvokeRoundTrip(b *testing.B) {
	c, err := New(Config{Endpoint: startEmulator(b, testCreds) + "/api/v2", Credentials: testCreds})
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseIdleConnections()
	inv := Invocation{Package: "package003", Action: "fixed", Platform: "classic", Timeout: 10 * time.Second, Body: []byte(`{"name":"Kim"}`)}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r, err := c.Invoke(ctx, inv)
		if err != nil || r.StatusCode != 200 {
			b.Fatalf("Invoke: %v, %v", r, err)
		}
	}
}

// BenchmarkInvokeTrivialServer isolates the client's share: the same call
// against a handler that writes a fixed body.
func BenchmarkInvokeTrivialServer(b *testing.B) {
	body := []byte(okBody)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL + "/api/v2", Credentials: testCreds})
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseIdleConnections()
	inv := Invocation{Package: "package003", Action: "fixed", Platform: "classic", Timeout: 10 * time.Second, Body: []byte(`{"name":"Kim"}`)}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if r, err := c.Invoke(ctx, inv); err != nil || r.StatusCode != 200 {
			b.Fatalf("Invoke: %v, %v", r, err)
		}
	}
}
