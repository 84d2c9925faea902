package emulator_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/specrun/specrun/emulator"
)

// TestActivationStoreIsBoundedInBytes: records of large results are dropped by their size,
// not only by their count (1 MB echo calls would otherwise keep 10,000 MB).
func TestActivationStoreIsBoundedInBytes(t *testing.T) {
	ts := startServer(t, "testdata/server.yaml", emulator.Options{MaxActivationBytes: 250 << 10})
	params := `{"blob":"` + strings.Repeat("x", 100<<10) + `"}`
	for range 3 {
		if status, body := ts.call(t, "POST", "/api/v2/packages/pkg/actions/echo", params, nil); status != 200 {
			t.Fatalf("echo: %d %.200s", status, body)
		}
	}
	for n, want := range map[int]int{1: 404, 2: 200, 3: 200} {
		status, _ := ts.call(t, "GET", "/api/v2/packages/pkg/actions/echo/activations/"+id(n), ``, nil)
		if status != want {
			t.Errorf("activation %d of 3 records of 100 KB under a 250 KB bound: got %d, want %d", n, status, want)
		}
	}
}

// TestStoreKeepsTheNewestWhateverItsSize: a bound smaller than one record still keeps the
// last activation, so that it can be fetched.
func TestStoreKeepsTheNewestWhateverItsSize(t *testing.T) {
	ts := startServer(t, "testdata/server.yaml", emulator.Options{MaxActivationBytes: 1})
	for range 2 {
		ts.call(t, "POST", "/api/v2/packages/pkg/actions/fixed", `{}`, nil)
	}
	for n, want := range map[int]int{1: 404, 2: 200} {
		if status, _ := ts.call(t, "GET", "/api/v2/packages/pkg/actions/fixed/activations/"+id(n), ``, nil); status != want {
			t.Errorf("activation %d: got %d, want %d", n, status, want)
		}
	}
}

// rawPost sends a signed POST over a new TCP connection the way Python's urllib does: the
// headers, then the whole body, with Connection: close, and only then reads the answer.
func rawPost(t *testing.T, addr, uri string, body []byte) (string, error) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute)) // a safety net against a hang, not a check
	stamp := strconv.FormatInt(testNow.UnixMilli(), 10)
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n"+
		"x-ncp-apigw-timestamp: %s\r\nx-ncp-iam-access-key: %s\r\nx-ncp-apigw-signature-v2: %s\r\n\r\n",
		uri, addr, len(body), stamp, testAK, sign("POST", uri, stamp, testAK, testSK))
	if _, err := conn.Write(append([]byte(head), body...)); err != nil {
		return "", fmt.Errorf("sending: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return "", fmt.Errorf("reading the answer: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("reading the answer's body: %w", err)
	}
	return resp.Status + " " + string(b), nil
}

// TestTooLargeBodyReachesAConnectionCloseClient: every one of 20 such requests gets the 413,
// none a connection reset.
func TestTooLargeBodyReachesAConnectionCloseClient(t *testing.T) {
	ts := startServer(t, "testdata/server.yaml", emulator.Options{})
	addr := strings.TrimPrefix(ts.URL, "http://")
	body := []byte(`{"blob":"` + strings.Repeat("x", 16<<20) + `"}`) // more than socket buffers hold
	want := "413 Request Entity Too Large " + errBody("430", "Request Entity Too Large", "The request body exceeds 1048576 bytes.")
	failed := 0
	for i := range 20 {
		got, err := rawPost(t, addr, "/api/v2/packages/pkg/actions/echo", body)
		if err != nil || got != want {
			failed++
			t.Errorf("request %d: %v %.200s", i+1, err, got)
		}
	}
	if failed > 0 {
		t.Errorf("%d of 20 requests did not get the 413", failed)
	}
}

// TestTooLargeBodyWithPythonURLLib: the same with the client the issue names.
func TestTooLargeBodyWithPythonURLLib(t *testing.T) {
	requireInterpreters(t)
	ts := startServer(t, "testdata/server.yaml", emulator.Options{})
	uri := "/api/v2/packages/pkg/actions/echo"
	stamp := strconv.FormatInt(testNow.UnixMilli(), 10)
	script := filepath.Join(t.TempDir(), "post.py")
	src := `import sys, urllib.request, urllib.error
url, stamp, ak, sig = sys.argv[1:5]
body = b'{"blob":"' + b"x" * (3 << 20) + b'"}'
codes = []
for _ in range(20):
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "x-ncp-apigw-timestamp": stamp,
        "x-ncp-iam-access-key": ak, "x-ncp-apigw-signature-v2": sig})
    try:
        urllib.request.urlopen(req)
        codes.append("200")
    except urllib.error.HTTPError as e:
        codes.append(str(e.code))
    except OSError as e:
        codes.append(type(e).__name__)
print(" ".join(codes))
`
	if err := os.WriteFile(script, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("python3", script, ts.URL+uri, stamp, testAK, sign("POST", uri, stamp, testAK, testSK)).CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), strings.TrimSpace(strings.Repeat("413 ", 20)); got != want {
		t.Errorf("urllib got:\n%s\nwant 20 times 413", got)
	}
}

var traceRE = regexp.MustCompile(`^[0-9a-z]{26}$`)

// TestTraceHeaderOnEveryAnswer: the gateway's request id comes with successes and errors of
// every kind, and reaches the action as __OW_TRANSACTION_ID.
func TestTraceHeaderOnEveryAnswer(t *testing.T) {
	ts := startServer(t, "testdata/conformance/manifest.yaml", emulator.Options{})
	signed := func(method, uri, body string, edit func(*http.Request)) *http.Response {
		req, err := http.NewRequest(method, ts.URL+uri, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		stamp := strconv.FormatInt(testNow.UnixMilli(), 10)
		req.Header.Set("x-ncp-apigw-timestamp", stamp)
		req.Header.Set("x-ncp-iam-access-key", testAK)
		req.Header.Set("x-ncp-apigw-signature-v2", sign(method, uri, stamp, testAK, testSK))
		if edit != nil {
			edit(req)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	env := "/api/v2/packages/native/actions/env"
	cases := []struct {
		name, method, uri, body string
		status                  int
		edit                    func(*http.Request)
	}{
		{"success", "POST", env, `{}`, 200, nil},
		{"unknown route", "GET", "/nope", ``, 404, nil},
		{"bad signature", "POST", env, `{}`, 401, func(r *http.Request) { r.Header.Set("x-ncp-apigw-signature-v2", "bad") }},
		{"wrong method", "GET", env, ``, 405, nil},
		{"bad timeout", "POST", env + "?timeout=x", `{}`, 400, nil},
		{"body too large", "POST", env, strings.Repeat(" ", 2<<20), 413, nil},
		{"unknown action", "POST", "/api/v2/packages/native/actions/nope", `{}`, 404, nil},
		{"missing activation", "GET", env + "/activations/" + id(99), ``, 404, nil},
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		resp := signed(tc.method, tc.uri, tc.body, tc.edit)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		trace := resp.Header.Get(emulator.TraceHeader)
		if resp.StatusCode != tc.status || !traceRE.MatchString(trace) {
			t.Errorf("%s: got %d with %s %q, want %d with 26 characters of [0-9a-z]: %.200s",
				tc.name, resp.StatusCode, emulator.TraceHeader, trace, tc.status, b)
		}
		if seen[trace] {
			t.Errorf("%s: the request id %q was seen before", tc.name, trace)
		}
		seen[trace] = true
		if tc.name == "success" {
			var rec struct {
				Content struct {
					Response struct {
						Result map[string]string `json:"result"`
					} `json:"response"`
				} `json:"content"`
			}
			if err := json.Unmarshal(b, &rec); err != nil || rec.Content.Response.Result["__OW_TRANSACTION_ID"] != trace {
				t.Errorf("__OW_TRANSACTION_ID is not the request id %q: %v %.300s", trace, err, b)
			}
		}
	}
}

// TestConcurrencyLimit: past the manifest's concurrency, an invocation answers OpenWhisk's 429
// until an activation in flight ends.
func TestConcurrencyLimit(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "m.yaml")
	src := "namespace: ns1\nconcurrency: 1\npackages:\n  pkg:\n    actions:\n" +
		"      slow: {result: {slow: true}, delay: 300ms}\n      fixed: {result: {ok: true}}\n"
	if err := os.WriteFile(manifest, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, manifest, emulator.Options{})
	if status, body := ts.call(t, "POST", "/api/v2/packages/pkg/actions/slow?timeout=0", `{}`, nil); status != 202 {
		t.Fatalf("first call: %d %s, want 202 (still running)", status, body)
	}
	want := errBody("429", "Too Many Requests", "Too many concurrent requests in flight (count: 1, allowed: 1).")
	if status, body := ts.call(t, "POST", "/api/v2/packages/pkg/actions/fixed", `{}`, nil); status != 429 || body != want {
		t.Errorf("second call while the first runs:\n got %d %s\nwant 429 %s", status, body, want)
	}
	for status := 0; status != 200; {
		status, _ = ts.call(t, "GET", "/api/v2/packages/pkg/actions/slow/activations/"+id(1), ``, nil)
	}
	if status, body := ts.call(t, "POST", "/api/v2/packages/pkg/actions/fixed", `{}`, nil); status != 200 {
		t.Errorf("a call after the first ended: %d %s, want 200", status, body)
	}
}
