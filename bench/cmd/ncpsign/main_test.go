package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/specrun/specrun/bench"
	"github.com/specrun/specrun/emulator"
)

// TestHeadersAreAcceptedByTheEmulator signs a URI and sends the printed
// headers, as hey does, to the emulator over real TCP: it must run the
// action, and a second request with the same headers must run it too.
func TestHeadersAreAcceptedByTheEmulator(t *testing.T) {
	m, err := emulator.ParseManifest("manifest.yaml", bench.Manifest(0))
	if err != nil {
		t.Fatal(err)
	}
	emu := emulator.New(m, emulator.Options{AccessKey: "AK", SecretKey: "SK"})
	defer emu.Close()
	srv := httptest.NewServer(emu)
	defer srv.Close()

	const uri = "/api/v2/packages/bench/actions/fixed?timeout=30000"
	env := map[string]string{"NCLOUD_ACCESS_KEY": "AK", "NCLOUD_SECRET_KEY": "SK"}
	var out strings.Builder
	if err := run([]string{"POST", uri}, func(k string) string { return env[k] }, time.Now(), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 header lines, got %q", out.String())
	}
	for range 2 {
		req, _ := http.NewRequest("POST", srv.URL+uri, strings.NewReader(`{"i":1}`))
		for _, l := range lines {
			name, value, ok := strings.Cut(l, ": ")
			if !ok {
				t.Fatalf("not a header line: %q", l)
			}
			req.Header.Set(name, value)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"payload":"abc"`) {
			t.Fatalf("HTTP %d %s", resp.StatusCode, body)
		}
	}
}

func TestRunRefusesMissingKeysAndArgs(t *testing.T) {
	none := func(string) string { return "" }
	if err := run([]string{"POST", "/x"}, none, time.Now(), io.Discard); err == nil || !strings.Contains(err.Error(), "NCLOUD_ACCESS_KEY") {
		t.Errorf("no keys: err = %v", err)
	}
	if err := run([]string{"POST"}, none, time.Now(), io.Discard); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("one argument: err = %v", err)
	}
}
