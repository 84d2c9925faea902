package emulator_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/specrun/specrun/emulator"
	"go.uber.org/goleak"
)

const (
	testAK = "TestAccessKey"
	testSK = "TestSecretKey"
)

// testNow is the emulator's clock in these tests: every timestamp is exact.
var testNow = time.UnixMilli(1714021538088)

// sign is the tests' own signature v2 (NCP-API.md §1), independent of package client.
func sign(method, uri, ts, ak, sk string) string {
	mac := hmac.New(sha256.New, []byte(sk))
	mac.Write([]byte(method + " " + uri + "\n" + ts + "\n" + ak))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// seqIDs returns an activation id generator: 000…001, 000…002, …
func seqIDs() func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("%032x", n.Add(1)) }
}

type testServer struct {
	*httptest.Server
	emu *emulator.Server
}

func startServer(t *testing.T, manifest string, opts emulator.Options) *testServer {
	t.Helper()
	m, err := emulator.LoadManifest(manifest)
	if err != nil {
		t.Fatal(err)
	}
	if opts.AccessKey == "" {
		opts.AccessKey, opts.SecretKey = testAK, testSK
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	if opts.NewID == nil {
		opts.NewID = seqIDs()
	}
	emu := emulator.New(m, opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		if err := emu.Close(); err != nil {
			t.Error(err)
		}
	})
	return &testServer{Server: srv, emu: emu}
}

// call sends a request signed at testNow (or as edit changes it) and returns status and body.
func (ts *testServer) call(t *testing.T, method, uri, body string, edit func(h http.Header)) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+uri, rd)
	if err != nil {
		t.Fatal(err)
	}
	stamp := strconv.FormatInt(testNow.UnixMilli(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-ncp-apigw-timestamp", stamp)
	req.Header.Set("x-ncp-iam-access-key", testAK)
	req.Header.Set("x-ncp-apigw-signature-v2", sign(method, uri, stamp, testAK, testSK))
	if edit != nil {
		edit(req.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	return resp.StatusCode, string(b)
}

// content builds the expected body of a finished activation at testNow.
func content(id, name, status, result string, logs ...string) string {
	success := status == "success"
	s := fmt.Sprintf(`{"content":{"activationId":%q,"duration":0,"start":1714021538088,"end":1714021538088,"name":%q,"namespace":"ns1","subject":"ns1","response":{"result":%s,"status":%q,"success":%t}`,
		id, name, result, status, success)
	if logs != nil {
		var quoted []string
		for _, l := range logs {
			if l == "" {
				continue
			}
			quoted = append(quoted, strconv.Quote(l))
		}
		s += `,"logs":[` + strings.Join(quoted, ",") + `]`
	}
	return s + "}}"
}

func errBody(code, message, details string) string {
	return fmt.Sprintf(`{"error":{"errorCode":%q,"message":%q,"details":%q}}`, code, message, details)
}

func id(n int) string { return fmt.Sprintf("%032x", n) }

// logLine is a log line at testNow.
func logLine(stream, text string) string {
	return "2024-04-25T05:05:38.088000000Z " + stream + ": " + text
}

func TestInvoke(t *testing.T) {
	const inv = "/api/v2/packages/pkg/actions/"
	big := `{"x":"` + strings.Repeat("a", emulator.MaxBodyBytes) + `"}`
	tests := []struct {
		name       string
		method     string
		uri        string
		body       string
		wantStatus int
		wantBody   string
	}{
		{"fixed result succeeds", "POST", inv + "fixed", `{}`, 200,
			content(id(1), "fixed", "success", `{"payload":"abc","n":1}`)},
		{"empty body counts as no parameters", "POST", inv + "fixed", ``, 200,
			content(id(1), "fixed", "success", `{"payload":"abc","n":1}`)},
		{"v2.1 base path serves too", "POST", "/ncf/api/v2/packages/pkg/actions/fixed?platform=vpc", `{}`, 200,
			content(id(1), "fixed", "success", `{"payload":"abc","n":1}`)},
		{"result with an error key is an application error", "POST", inv + "fail", `{}`, 200,
			content(id(1), "fail", "application error", `{"error":"boom"}`)},
		{"invocation params win over action and package params", "POST", inv + "echo", `{"who":"invocation","n":[1,2]}`, 200,
			content(id(1), "echo", "success", `{"place":"NAVER Cloud","who":"invocation","extra":1,"n":[1,2]}`)},
		{"bound params merged with a spaced body come out compact", "POST", inv + "echo", `{ "n" : [ 1, 2 ], "o": {"a" : true} }`, 200,
			content(id(1), "echo", "success", `{"place":"NAVER Cloud","who":"action","extra":1,"n":[1,2],"o":{"a":true}}`)},
		{"echo of an error key is an application error", "POST", inv + "echo", `{"error":"x"}`, 200,
			content(id(1), "echo", "application error", `{"error":"x"}`)},
		{"package-less action lives in package -", "POST", "/api/v2/packages/-/actions/loose", `{}`, 200,
			content(id(1), "loose", "success", `{"loose":true}`)},
		{"timeout 0 answers 202 at once, as OpenWhisk does, even for a fast action", "POST", inv + "fixed?timeout=0", `{}`, 202,
			`{"content":{"activationId":"` + id(1) + `"}}`},
		{"delay past the action's limit is a developer error", "POST", inv + "too-slow", `{}`, 200,
			content(id(1), "too-slow", "action developer error", `{"error":"The action exceeded its time limits of 500 milliseconds."}`)},
		{"slow action outliving the wait answers 202", "POST", inv + "slow?timeout=10", `{}`, 202,
			`{"content":{"activationId":"` + id(1) + `"}}`},
		{"delayed action within the wait answers 200", "POST", inv + "slow?timeout=5000", `{}`, 200,
			content(id(1), "slow", "success", `{"slow":true}`)},
		{"exec gets params in argv and on stdin", "POST", inv + "sh-result", `{"k":"v"}`, 200,
			content(id(1), "sh-result", "success", `{"argv":{"k":"v","place":"NAVER Cloud","who":"package"},"stdin":{"k":"v","place":"NAVER Cloud","who":"package"}}`)},
		{"exec error key is an application error", "POST", inv + "sh-logs", `{}`, 200,
			content(id(1), "sh-logs", "application error", `{"error":"bad input"}`)},
		{"exec non-JSON last line is a developer error", "POST", inv + "sh-nonjson", `{}`, 200,
			content(id(1), "sh-nonjson", "action developer error", `{"error":"The action did not return a dictionary or array."}`)},
		{"exec crash is a developer error", "POST", inv + "sh-crash", `{}`, 200,
			content(id(1), "sh-crash", "action developer error", `{"error":"The action did not return a dictionary or array."}`)},
		{"exec past its limit is killed", "POST", inv + "sh-sleep", `{}`, 200,
			content(id(1), "sh-sleep", "action developer error", `{"error":"The action exceeded its time limits of 1000 milliseconds."}`)},
		{"exec gets the OpenWhisk context", "POST", inv + "sh-env", `{}`, 200,
			content(id(1), "sh-env", "success", `{"deadline":"1714021598088","id":"`+id(1)+`","name":"/ns1/pkg/sh-env","namespace":"ns1"}`)},
		{"unknown package", "POST", "/api/v2/packages/nope/actions/fixed", `{}`, 404,
			errBody("80101", "PACKAGE_NOT_FOUND", `Package "nope" does not exist in namespace "ns1".`)},
		{"unknown action", "POST", inv + "nope", `{}`, 404,
			errBody("80301", "ACTION_NOT_FOUND", `Action "nope" does not exist in package "pkg".`)},
		{"v2.0 defaults to classic", "POST", inv + "vpc-only", `{}`, 400,
			errBody("80302", "ACTION_PLATFORM_MISMATCH", `Action "vpc-only" of package "pkg" does not serve platform classic; it serves vpc.`)},
		{"v2.1 defaults to vpc", "POST", "/ncf/api/v2/packages/pkg/actions/classic-only", `{}`, 400,
			errBody("80302", "ACTION_PLATFORM_MISMATCH", `Action "classic-only" of package "pkg" does not serve platform vpc; it serves classic.`)},
		{"explicit platform is honoured", "POST", inv + "vpc-only?platform=vpc", `{}`, 200,
			content(id(1), "vpc-only", "success", `{"ok":true}`)},
		{"unknown platform", "POST", inv + "fixed?platform=gov", `{}`, 400,
			errBody("100", "Bad Request Exception", `The platform parameter must be classic or vpc, not "gov".`)},
		{"timeout not a number", "POST", inv + "fixed?timeout=abc", `{}`, 400,
			errBody("100", "Bad Request Exception", `The timeout parameter must be a whole number of milliseconds from 0 to 60000, not "abc".`)},
		{"timeout above 60000", "POST", inv + "fixed?timeout=60001", `{}`, 400,
			errBody("100", "Bad Request Exception", `The timeout parameter must be a whole number of milliseconds from 0 to 60000, not "60001".`)},
		{"negative timeout", "POST", inv + "fixed?timeout=-1", `{}`, 400,
			errBody("100", "Bad Request Exception", `The timeout parameter must be a whole number of milliseconds from 0 to 60000, not "-1".`)},
		{"body is an array", "POST", inv + "fixed", `[1]`, 400,
			errBody("80305", "ACTION_BODY_INVALID_TYPE", `The request body must be a JSON object (the action's parameters): it is JSON but not an object.`)},
		{"body is not JSON", "POST", inv + "fixed", `{"a":`, 400,
			errBody("80305", "ACTION_BODY_INVALID_TYPE", `The request body must be a JSON object (the action's parameters): it is not valid JSON.`)},
		{"body over 1 MB", "POST", inv + "fixed", big, 413,
			errBody("430", "Request Entity Too Large", `The request body exceeds 1048576 bytes.`)},
		{"unknown path", "POST", "/api/v2/namespaces/x", `{}`, 404,
			errBody("300", "Not Found Exception", `No API matches POST /api/v2/namespaces/x.`)},
		{"unknown base path", "POST", "/api/v3/packages/pkg/actions/fixed", `{}`, 404,
			errBody("300", "Not Found Exception", `No API matches POST /api/v3/packages/pkg/actions/fixed.`)},
		{"GET on the run route", "GET", inv + "fixed", ``, 405,
			errBody("300", "Not Found Exception", `GET is not allowed on /api/v2/packages/pkg/actions/fixed: use POST.`)},
		{"POST on the activation route", "POST", inv + "fixed/activations/" + id(9), `{}`, 405,
			errBody("300", "Not Found Exception", `POST is not allowed on /api/v2/packages/pkg/actions/fixed/activations/`+id(9)+`: use GET.`)},
		{"activation not found", "GET", inv + "fixed/activations/" + id(9), ``, 404,
			errBody("80322", "ACTION_ACTIVATION_NOT_FOUND", `Activation "`+id(9)+`" of action "pkg/fixed" was not found: it may still be running (poll again), or it was dropped (the emulator keeps the last 10000, in at most 128 MB).`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, "testdata/server.yaml", emulator.Options{})
			status, body := ts.call(t, tc.method, tc.uri, tc.body, nil)
			if status != tc.wantStatus || body != tc.wantBody {
				t.Errorf("%s %s:\n got %d %s\nwant %d %s", tc.method, tc.uri, status, body, tc.wantStatus, tc.wantBody)
			}
		})
	}
}

// TestPackageDashAlwaysExists checks that package "-", which holds the actions outside any
// package (NCP-API.md §2), exists even in a manifest that declares none: a missing action
// there is ACTION_NOT_FOUND, never PACKAGE_NOT_FOUND.
func TestPackageDashAlwaysExists(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(manifest, []byte("namespace: ns1\npackages: {pkg: {actions: {fixed: {result: {ok: true}}}}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, manifest, emulator.Options{})
	for _, tc := range []struct{ method, uri, want string }{
		{"POST", "/api/v2/packages/-/actions/nope",
			errBody("80301", "ACTION_NOT_FOUND", `Action "nope" does not exist in package "-".`)},
		{"GET", "/api/v2/packages/-/actions/nope/activations/" + id(1),
			errBody("80301", "ACTION_NOT_FOUND", `Action "nope" does not exist in package "-".`)},
		{"POST", "/api/v2/packages/other/actions/nope",
			errBody("80101", "PACKAGE_NOT_FOUND", `Package "other" does not exist in namespace "ns1".`)},
	} {
		status, body := ts.call(t, tc.method, tc.uri, "", nil)
		if status != 404 || body != tc.want {
			t.Errorf("%s %s:\n got %d %s\nwant 404 %s", tc.method, tc.uri, status, body, tc.want)
		}
	}
}

func TestActivationLogs(t *testing.T) {
	const inv = "/api/v2/packages/pkg/actions/"
	tests := []struct {
		name     string
		action   string
		wantBody string
	}{
		{"fixed result has no logs", "fixed",
			content(id(1), "fixed", "success", `{"payload":"abc","n":1}`, "")},
		{"stdout before the result line is logged", "sh-result",
			content(id(1), "sh-result", "success", `{"argv":{"place":"NAVER Cloud","who":"package"},"stdin":{"place":"NAVER Cloud","who":"package"}}`,
				logLine("stdout", "got params"))},
		{"a non-JSON last line stays in the logs", "sh-nonjson",
			content(id(1), "sh-nonjson", "action developer error", `{"error":"The action did not return a dictionary or array."}`,
				logLine("stdout", `{"a":1}`), logLine("stdout", "done, no result"))},
		{"stderr is logged", "sh-crash",
			content(id(1), "sh-crash", "action developer error", `{"error":"The action did not return a dictionary or array."}`,
				logLine("stderr", "about to crash"))},
		{"a killed action keeps its logs", "sh-sleep",
			content(id(1), "sh-sleep", "action developer error", `{"error":"The action exceeded its time limits of 1000 milliseconds."}`,
				logLine("stdout", "started"), logLine("stdout", "sleep pid PID"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, "testdata/server.yaml", emulator.Options{})
			if status, body := ts.call(t, "POST", inv+tc.action, `{}`, nil); status != 200 {
				t.Fatalf("run: %d %s", status, body)
			}
			status, body := ts.call(t, "GET", inv+tc.action+"/activations/"+id(1), ``, nil)
			body = regexp.MustCompile(`sleep pid \d+`).ReplaceAllString(body, "sleep pid PID")
			if status != 200 || body != tc.wantBody {
				t.Errorf("activation:\n got %d %s\nwant 200 %s", status, body, tc.wantBody)
			}
		})
	}
}

func TestLogsOfBothStreams(t *testing.T) {
	ts := startServer(t, "testdata/server.yaml", emulator.Options{})
	const uri = "/api/v2/packages/pkg/actions/sh-logs"
	if status, body := ts.call(t, "POST", uri, `{}`, nil); status != 200 {
		t.Fatalf("run: %d %s", status, body)
	}
	_, body := ts.call(t, "GET", uri+"/activations/"+id(1), ``, nil)
	// stdout and stderr are read concurrently: their relative order is not
	// fixed, but each stream keeps its own order.
	first := strings.Index(body, strconv.Quote(logLine("stdout", "first")))
	second := strings.Index(body, strconv.Quote(logLine("stdout", "second")))
	if first < 0 || second < 0 || second < first {
		t.Errorf("logs lack stdout's two lines in order:\n%s", body)
	}
	if !strings.Contains(body, strconv.Quote(logLine("stderr", "to stderr"))) {
		t.Errorf("logs lack stderr's line:\n%s", body)
	}
	if strings.Contains(body, `stdout: {\"error\"`) {
		t.Errorf("the result line is in the logs:\n%s", body)
	}
}

func TestTimeoutThenPoll(t *testing.T) {
	ts := startServer(t, "testdata/server.yaml", emulator.Options{})
	const uri = "/api/v2/packages/pkg/actions/slow"
	status, body := ts.call(t, "POST", uri+"?timeout=0", `{}`, nil)
	if want := `{"content":{"activationId":"` + id(1) + `"}}`; status != 202 || body != want {
		t.Fatalf("run: got %d %s, want 202 %s", status, body, want)
	}
	status, body = ts.call(t, "GET", uri+"/activations/"+id(1), ``, nil)
	if status != 404 || !strings.Contains(body, `"errorCode":"80322"`) {
		t.Fatalf("poll while running: got %d %s, want 404 80322", status, body)
	}
	want := content(id(1), "slow", "success", `{"slow":true}`, "")
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, body = ts.call(t, "GET", uri+"/activations/"+id(1), ``, nil)
		if status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no record after 5s: %d %s", status, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if body != want {
		t.Errorf("record:\n got %s\nwant %s", body, want)
	}
	// The record belongs to its action only.
	status, _ = ts.call(t, "GET", "/api/v2/packages/pkg/actions/fixed/activations/"+id(1), ``, nil)
	if status != 404 {
		t.Errorf("record under another action: got %d, want 404", status)
	}
}

func TestCounterCounts(t *testing.T) {
	ts := startServer(t, "testdata/server.yaml", emulator.Options{})
	for n := 1; n <= 3; n++ {
		_, body := ts.call(t, "POST", "/api/v2/packages/pkg/actions/counter", `{}`, nil)
		want := content(id(n), "counter", "success", fmt.Sprintf(`{"count":%d}`, n))
		if body != want {
			t.Errorf("call %d:\n got %s\nwant %s", n, body, want)
		}
	}
}

func TestKilledActionLeavesNoProcess(t *testing.T) {
	ts := startServer(t, "testdata/server.yaml", emulator.Options{})
	status, body := ts.call(t, "POST", "/api/v2/packages/pkg/actions/sh-sleep", `{}`, nil)
	want := content(id(1), "sh-sleep", "action developer error", `{"error":"The action exceeded its time limits of 1000 milliseconds."}`)
	if status != 200 || body != want {
		t.Errorf("got %d %s\nwant 200 %s", status, body, want)
	}
	checkGone(t, sleepPID(t, ts, "sh-sleep", id(1)))
}

// sleepPID reads the pid of the `sleep` child that actions/sleep.sh logs.
func sleepPID(t *testing.T, ts *testServer, action, activation string) int {
	t.Helper()
	_, body := ts.call(t, "GET", "/api/v2/packages/pkg/actions/"+action+"/activations/"+activation, ``, nil)
	m := regexp.MustCompile(`sleep pid (\d+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no sleep pid in the activation's logs: %s", body)
	}
	pid, _ := strconv.Atoi(m[1])
	return pid
}

// childrenOf lists the live (not zombie) child processes of pid named comm,
// from /proc.
func childrenOf(t *testing.T, pid int, comm string) []int {
	t.Helper()
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	var kids []int
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after it.
		i := bytes.LastIndexByte(b, ')')
		j := bytes.IndexByte(b, '(')
		fields := strings.Fields(string(b[i+1:]))
		if i < 0 || j < 0 || j > i || string(b[j+1:i]) != comm || len(fields) < 2 || fields[0] == "Z" {
			continue
		}
		if ppid, _ := strconv.Atoi(fields[1]); ppid == pid {
			child, _ := strconv.Atoi(strings.Fields(string(b))[0])
			kids = append(kids, child)
		}
	}
	return kids
}

// checkGone fails unless process pid is dead (or a zombie awaiting its
// reaper) within two seconds: the whole process group of a killed action
// must die, not only the process the emulator started.
func checkGone(t *testing.T, pid int) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		err := syscall.Kill(pid, 0)
		stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if errors.Is(err, syscall.ESRCH) || bytes.Contains(stat, []byte(") Z ")) {
			return
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the action's child process %d is still running: its process group was not killed", pid)
		}
	}
}

func TestAuthentication(t *testing.T) {
	const uri = "/api/v2/packages/pkg/actions/fixed?platform=%63lassic&timeout=1000"
	stamp := func(d time.Duration) string { return strconv.FormatInt(testNow.Add(d).UnixMilli(), 10) }
	resign := func(ts string) func(h http.Header) {
		return func(h http.Header) {
			h.Set("x-ncp-apigw-timestamp", ts)
			h.Set("x-ncp-apigw-signature-v2", sign("POST", uri, ts, testAK, testSK))
		}
	}
	authErr := func(details string) string { return errBody("200", "Authentication Failed", details) }
	tests := []struct {
		name       string
		edit       func(h http.Header)
		wantStatus int
		wantBody   string
	}{
		{"valid signature is accepted", nil, 200, content(id(1), "fixed", "success", `{"payload":"abc","n":1}`)},
		{"timestamp just under 5 minutes old is accepted", resign(stamp(-5*time.Minute + time.Millisecond)), 200,
			content(id(1), "fixed", "success", `{"payload":"abc","n":1}`)},
		{"missing timestamp", func(h http.Header) { h.Del("x-ncp-apigw-timestamp") }, 401,
			authErr("Authentication information are missing.")},
		{"missing access key", func(h http.Header) { h.Del("x-ncp-iam-access-key") }, 401,
			authErr("Authentication information are missing.")},
		{"missing signature", func(h http.Header) { h.Del("x-ncp-apigw-signature-v2") }, 401,
			authErr("Authentication information are missing.")},
		{"unknown access key", func(h http.Header) { h.Set("x-ncp-iam-access-key", "Other") }, 401,
			authErr(`The access key "Other" is not known: sign with the emulator's access key.`)},
		{"wrong secret", func(h http.Header) {
			h.Set("x-ncp-apigw-signature-v2", sign("POST", uri, stamp(0), testAK, "wrong"))
		}, 401, authErr(`The signature does not match: sign "POST ` + uri + `\n1714021538088\nTestAccessKey" with the secret key (HMAC-SHA256, standard Base64).`)},
		{"signature over another query", func(h http.Header) {
			h.Set("x-ncp-apigw-signature-v2", sign("POST", "/api/v2/packages/pkg/actions/fixed?timeout=1000&platform=classic", stamp(0), testAK, testSK))
		}, 401, authErr(`The signature does not match: sign "POST ` + uri + `\n1714021538088\nTestAccessKey" with the secret key (HMAC-SHA256, standard Base64).`)},
		{"the right signature cut short", func(h http.Header) {
			h.Set("x-ncp-apigw-signature-v2", sign("POST", uri, stamp(0), testAK, testSK)[:43])
		}, 401, ""},
		{"the right signature with a byte after it", func(h http.Header) {
			h.Set("x-ncp-apigw-signature-v2", sign("POST", uri, stamp(0), testAK, testSK)+"=")
		}, 401, ""},
		{"signature over the decoded query", func(h http.Header) {
			h.Set("x-ncp-apigw-signature-v2", sign("POST", "/api/v2/packages/pkg/actions/fixed?platform=classic&timeout=1000", stamp(0), testAK, testSK))
		}, 401, ""},
		{"signed timestamp differs from the header", func(h http.Header) { h.Set("x-ncp-apigw-timestamp", stamp(time.Second)) }, 401,
			authErr(`The signature does not match: sign "POST ` + uri + `\n1714021539088\nTestAccessKey" with the secret key (HMAC-SHA256, standard Base64).`)},
		{"timestamp exactly 5 minutes old", resign(stamp(-5 * time.Minute)), 401,
			authErr(`The timestamp 1714021238088 is 5m0s away from the server's clock (1714021538088): it must be less than 5m0s.`)},
		{"timestamp 5 minutes ahead", resign(stamp(5 * time.Minute)), 401,
			authErr(`The timestamp 1714021838088 is 5m0s away from the server's clock (1714021538088): it must be less than 5m0s.`)},
		{"timestamp in seconds", resign("1714021538"), 401,
			authErr(`The timestamp 1714021538 is 475640h58m36.55s away from the server's clock (1714021538088): it must be less than 5m0s.`)},
		{"timestamp not a number", resign("yesterday"), 401,
			authErr(`The timestamp "yesterday" is not Unix time in milliseconds.`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, "testdata/server.yaml", emulator.Options{})
			status, body := ts.call(t, "POST", uri, `{}`, tc.edit)
			if tc.wantBody == "" { // the details show the string to sign: no need to repeat it
				tc.wantBody = authErr(`The signature does not match: sign "POST ` + uri + `\n1714021538088\nTestAccessKey" with the secret key (HMAC-SHA256, standard Base64).`)
			}
			if status != tc.wantStatus || body != tc.wantBody {
				t.Errorf("got %d %s\nwant %d %s", status, body, tc.wantStatus, tc.wantBody)
			}
		})
	}
}

// TestSignatureFromOpenSSL checks the server against an independent HMAC implementation.
func TestSignatureFromOpenSSL(t *testing.T) {
	const uri = "/ncf/api/v2/packages/pkg/actions/fixed?platform=vpc&timeout=30000"
	stamp := strconv.FormatInt(testNow.UnixMilli(), 10)
	toSign := "POST " + uri + "\n" + stamp + "\n" + testAK
	var cmd *exec.Cmd
	if _, err := exec.LookPath("openssl"); err == nil {
		cmd = exec.Command("sh", "-c", `openssl dgst -sha256 -hmac "$1" -binary | base64`, "sh", testSK)
	} else if _, err := exec.LookPath("python3"); err == nil {
		cmd = exec.Command("python3", "-c", `import base64,hmac,hashlib,sys
print(base64.b64encode(hmac.new(sys.argv[1].encode(), sys.stdin.buffer.read(), hashlib.sha256).digest()).decode())`, testSK)
	} else {
		t.Skip("neither openssl nor python3 is on PATH: cannot compute an independent signature")
	}
	cmd.Stdin = strings.NewReader(toSign)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	sig := strings.TrimSpace(string(out))
	ts := startServer(t, "testdata/server.yaml", emulator.Options{})
	for _, tc := range []struct {
		name       string
		sig        string
		wantStatus int
	}{
		{"independent signature is accepted", sig, 200},
		{"one changed character is rejected", flip(sig), 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := ts.call(t, "POST", uri, `{}`, func(h http.Header) { h.Set("x-ncp-apigw-signature-v2", tc.sig) })
			if status != tc.wantStatus {
				t.Errorf("got %d %s, want %d", status, body, tc.wantStatus)
			}
		})
	}
}

func flip(s string) string {
	b := []byte(s)
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	return string(b)
}

func TestKnownAnswerVector(t *testing.T) {
	// NCP-API.md §1: the test helper must agree with the published vector, or every other
	// test here proves nothing.
	got := sign("GET", "/vserver/v2/getServerInstanceList?responseFormatType=json", "1234567890123", "TestAccessKey", "TestSecretKey")
	if want := "FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M="; got != want {
		t.Errorf("sign = %s, want %s", got, want)
	}
}

func TestConcurrentInvocationsRunConcurrently(t *testing.T) {
	ts := startServer(t, "testdata/server.yaml", emulator.Options{NewID: func() string { return "0123456789abcdef0123456789abcdef" }})
	const n = 10
	start := time.Now()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			status, body := ts.call(t, "POST", "/api/v2/packages/pkg/actions/slow", `{}`, nil)
			if status != 200 || !strings.Contains(body, `"result":{"slow":true}`) {
				t.Errorf("got %d %s", status, body)
			}
		})
	}
	wg.Wait()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("%d invocations of a 300ms action took %s: they did not run concurrently", n, d)
	}
}

func TestActivationStoreIsBounded(t *testing.T) {
	ts := startServer(t, "testdata/server.yaml", emulator.Options{MaxActivations: 2})
	for range 3 {
		ts.call(t, "POST", "/api/v2/packages/pkg/actions/fixed", `{}`, nil)
	}
	for n, want := range map[int]int{1: 404, 2: 200, 3: 200} {
		status, _ := ts.call(t, "GET", "/api/v2/packages/pkg/actions/fixed/activations/"+id(n), ``, nil)
		if status != want {
			t.Errorf("activation %d: got %d, want %d", n, status, want)
		}
	}
}

func TestCloseKillsRunningActions(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	m, err := emulator.LoadManifest("testdata/server.yaml")
	if err != nil {
		t.Fatal(err)
	}
	emu := emulator.New(m, emulator.Options{AccessKey: testAK, SecretKey: testSK, Now: func() time.Time { return testNow }, NewID: seqIDs()})
	srv := httptest.NewServer(emu)
	ts := &testServer{Server: srv, emu: emu}
	type answer struct {
		status int
		body   string
	}
	got := make(chan answer, 1)
	go func() {
		status, body := ts.call(t, "POST", "/api/v2/packages/pkg/actions/sh-long", `{}`, nil)
		got <- answer{status, body}
	}()
	// The action is actions/sleep.sh, a child of this process, with a
	// sleep child of its own: wait for both.
	var sleeps []int
	for deadline := time.Now().Add(5 * time.Second); len(sleeps) == 0; time.Sleep(20 * time.Millisecond) {
		for _, sh := range childrenOf(t, os.Getpid(), "sleep.sh") {
			sleeps = append(sleeps, childrenOf(t, sh, "sleep")...)
		}
		if time.Now().After(deadline) {
			t.Fatal("the action's sleep never started")
		}
	}
	if err := emu.Close(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range sleeps {
		checkGone(t, pid)
	}
	a := <-got
	want := content(id(1), "sh-long", "whisk internal error", `{"error":"The emulator shut down while the action was running."}`)
	if a.status != 200 || a.body != want {
		t.Errorf("in-flight call:\n got %d %s\nwant 200 %s", a.status, a.body, want)
	}
	status, body := ts.call(t, "POST", "/api/v2/packages/pkg/actions/fixed", `{}`, nil)
	if wantBody := errBody("500", "Endpoint Error", "The emulator is shut down."); status != 503 || body != wantBody {
		t.Errorf("after Close: got %d %s, want 503 %s", status, body, wantBody)
	}
	if err := emu.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	srv.Close()
	http.DefaultClient.CloseIdleConnections()
}

func TestNewRequiresCredentials(t *testing.T) {
	m, err := emulator.ParseManifest("m.yaml", []byte("packages: {p: {actions: {a: {result: {}}}}}"))
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []emulator.Options{{}, {AccessKey: "a"}, {SecretKey: "s"}} {
		func() {
			defer func() {
				if r := recover(); r != "emulator.New: Options.AccessKey and Options.SecretKey are required" {
					t.Errorf("New(%+v) panic = %v", opts, r)
				}
			}()
			emulator.New(m, opts)
		}()
	}
}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(int) { http.DefaultClient.CloseIdleConnections() }))
}
