package client

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/specrun/specrun/emulator"
)

const testManifest = `
namespace: local
packages:
  package003:
    params: {place: NAVER Cloud}
    actions:
      fixed:
        result: {payload: abc}
      echo:
        builtin: echo
      slow:
        result: {done: true}
        delay: 300ms
`

// startEmulator serves testManifest over loopback TCP with creds' keys.
func startEmulator(t testing.TB, creds Credentials) string {
	t.Helper()
	m, err := emulator.ParseManifest("manifest.yaml", []byte(testManifest))
	if err != nil {
		t.Fatal(err)
	}
	emu := emulator.New(m, emulator.Options{AccessKey: creds.AccessKey, SecretKey: creds.SecretKey})
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	return srv.URL
}

func TestEmulatorRoundTrip(t *testing.T) {
	base := startEmulator(t, testCreds)
	tests := []struct {
		name       string
		basePath   string
		creds      Credentials
		inv        Invocation
		wantStatus int
		wantError  *APIError
		wantResult map[string]any
	}{
		{name: "fixed result on /api/v2", basePath: "/api/v2", creds: testCreds,
			inv:        Invocation{Package: "package003", Action: "fixed", Platform: "classic", Timeout: 10 * time.Second},
			wantStatus: 200, wantResult: map[string]any{"payload": "abc"}},
		{name: "echo with nil body on /ncf/api/v2", basePath: "/ncf/api/v2/", creds: testCreds,
			inv:        Invocation{Package: "package003", Action: "echo", Platform: "vpc"},
			wantStatus: 200, wantResult: map[string]any{"place": "NAVER Cloud"}},
		{name: "echo merges the body over bound params", basePath: "/api/v2", creds: testCreds,
			inv:        Invocation{Package: "package003", Action: "echo", Body: []byte(`{"place":"here","n":1}`)},
			wantStatus: 200, wantResult: map[string]any{"place": "here", "n": json.Number("1")}},
		{name: "unknown action is 404 errorCode 80301", basePath: "/api/v2", creds: testCreds,
			inv:        Invocation{Package: "package003", Action: "nope"},
			wantStatus: 404, wantError: &APIError{Code: "80301", Message: "ACTION_NOT_FOUND"}},
		{name: "wrong secret is 401 errorCode 200", basePath: "/api/v2", creds: Credentials{AccessKey: testCreds.AccessKey, SecretKey: "wrong"},
			inv:        Invocation{Package: "package003", Action: "fixed"},
			wantStatus: 401, wantError: &APIError{Code: "200", Message: "Authentication Failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Config{Endpoint: base + tt.basePath, Credentials: tt.creds})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			r, err := c.Invoke(context.Background(), tt.inv)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if r.StatusCode != tt.wantStatus || r.Attempts != 1 || r.JSONErr != nil {
				t.Fatalf("status %d, attempts %d, JSONErr %v; want %d, 1, nil; body %s", r.StatusCode, r.Attempts, r.JSONErr, tt.wantStatus, r.Body)
			}
			if tt.wantError != nil {
				if r.Error == nil || r.Error.Code != tt.wantError.Code || r.Error.Message != tt.wantError.Message {
					t.Fatalf("Error = %+v, want code %s message %s", r.Error, tt.wantError.Code, tt.wantError.Message)
				}
				return
			}
			if r.Error != nil || r.Pending || len(r.ActivationID) != 32 {
				t.Fatalf("Error %v, Pending %v, ActivationID %q", r.Error, r.Pending, r.ActivationID)
			}
			got := r.JSON.(map[string]any)["content"].(map[string]any)["response"].(map[string]any)["result"]
			if !reflect.DeepEqual(got, tt.wantResult) {
				t.Fatalf("result %#v, want %#v", got, tt.wantResult)
			}
		})
	}
}

func TestEmulatorPendingThenActivation(t *testing.T) {
	for _, basePath := range []string{"/api/v2", "/ncf/api/v2"} {
		t.Run(basePath, func(t *testing.T) {
			c, err := New(Config{Endpoint: startEmulator(t, testCreds) + basePath, Credentials: testCreds})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			ctx := context.Background()
			r, err := c.Invoke(ctx, Invocation{Package: "package003", Action: "slow", Timeout: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if r.StatusCode != 202 || !r.Pending || r.ActivationID == "" {
				t.Fatalf("status %d, pending %v, id %q; want 202 pending with an id; body %s", r.StatusCode, r.Pending, r.ActivationID, r.Body)
			}
			// Poll as the runner would, bounded.
			deadline := time.Now().Add(10 * time.Second)
			for {
				a, err := c.Activation(ctx, "package003", "slow", "", r.ActivationID)
				if err != nil {
					t.Fatal(err)
				}
				if a.StatusCode == 200 {
					if a.ActivationID != r.ActivationID || a.Pending {
						t.Fatalf("activation %q pending %v, want %q done", a.ActivationID, a.Pending, r.ActivationID)
					}
					res := a.JSON.(map[string]any)["content"].(map[string]any)["response"].(map[string]any)["result"]
					if !reflect.DeepEqual(res, map[string]any{"done": true}) {
						t.Fatalf("result %v", res)
					}
					return
				}
				if a.StatusCode != 404 || a.Error == nil || a.Error.Code != "80322" {
					t.Fatalf("activation: status %d error %v, want 200, or 404 errorCode 80322 while running", a.StatusCode, a.Error)
				}
				if time.Now().After(deadline) {
					t.Fatal("activation never finished")
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
