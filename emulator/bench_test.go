package emulator_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/specrun/specrun/emulator"
)

// rereader is a request body that can be rewound without allocating.
type rereader struct{ bytes.Reader }

func (*rereader) Close() error { return nil }

// discardWriter is a ResponseWriter that keeps only the status: the handler's own cost.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

func BenchmarkInvokeFixed(b *testing.B) {
	m, err := emulator.ParseManifest("bench.yaml", []byte("namespace: bench\npackages:\n  p:\n    actions:\n      fixed:\n        result: {payload: abc}\n"))
	if err != nil {
		b.Fatal(err)
	}
	emu := emulator.New(m, emulator.Options{AccessKey: testAK, SecretKey: testSK, Now: func() time.Time { return testNow }, MaxActivations: 1000})
	b.Cleanup(func() { emu.Close() })
	const uri = "/api/v2/packages/p/actions/fixed?timeout=60000"
	stamp := strconv.FormatInt(testNow.UnixMilli(), 10)
	sig := sign("POST", uri, stamp, testAK, testSK)
	body := []byte(`{"name":"bench"}`)
	setHeaders := func(h http.Header) {
		h.Set("Content-Type", "application/json")
		h.Set("x-ncp-apigw-timestamp", stamp)
		h.Set("x-ncp-iam-access-key", testAK)
		h.Set("x-ncp-apigw-signature-v2", sig)
	}

	b.Run("recorder", func(b *testing.B) {
		b.ReportAllocs()
		req := httptest.NewRequest("POST", uri, nil)
		setHeaders(req.Header)
		rd := &rereader{}
		for b.Loop() {
			rd.Reset(body)
			req.Body = rd
			rec := httptest.NewRecorder()
			emu.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
		}
	})

	b.Run("handler-only", func(b *testing.B) {
		b.ReportAllocs()
		req := httptest.NewRequest("POST", uri, nil)
		setHeaders(req.Header)
		rd := &rereader{}
		w := &discardWriter{h: http.Header{}}
		for b.Loop() {
			rd.Reset(body)
			req.Body = rd
			emu.ServeHTTP(w, req)
			if w.status != 200 {
				b.Fatalf("status %d", w.status)
			}
		}
	})

	b.Run("tcp", func(b *testing.B) {
		b.ReportAllocs()
		srv := httptest.NewServer(emu)
		defer srv.Close()
		client := srv.Client()
		for b.Loop() {
			req, err := http.NewRequest("POST", srv.URL+uri, bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			setHeaders(req.Header)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}
