package runner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/reporters/junit"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// longSecret is longer than every cut of a value in a message (the diff's
// 80 bytes, an operand's 60, an error body's 512 once padded).
var longSecret = "jwt_" + strings.Repeat("abcdefghij", 10)

// reports renders res as the JSON and the JUnit reports: every text of
// the result that a report shows.
func reports(t *testing.T, res *runner.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := jsonreport.Write(&b, res); err != nil {
		t.Fatal(err)
	}
	if err := junit.Write(&b, res); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// checkNoPrefix fails when text holds a beginning of secret of 8 bytes or
// more, the secret whole included.
func checkNoPrefix(t *testing.T, secret, text string) {
	t.Helper()
	for n := len(secret); n >= 8; n-- {
		if i := strings.Index(text, secret[:n]); i >= 0 {
			t.Fatalf("the first %d bytes of the secret (%q) are shown: …%s…", n, secret[:n], text[max(0, i-200):min(len(text), i+n+40)])
		}
	}
}

// A value is redacted before it is cut for a message: the diff of a
// mismatch, an operand a check cannot use, and the answer of a proxy that
// is not JSON, each holding a secret longer than the cut.
func TestALongSecretIsRedactedBeforeAnyCut(t *testing.T) {
	for _, tt := range []struct {
		name, spec string
		proxy      func(http.Handler) http.Handler
		want       string // what the result must show, so that the case ran
	}{
		{
			name: "diff of a mismatch",
			spec: `tests:
  - name: t
    action: pkg/echo
    params: {s: "${tok}"}
    expect: {result: {s: wrong}}
`,
			want: `/s: expected "wrong", got "***"`,
		},
		{
			name: "captured secret as an operand",
			spec: `tests:
  - name: t
    steps:
      - action: pkg/echo
        params: {s: "` + longSecret + `"}
        capture: {tok: content.response.result.s}
      - action: pkg/fixed
        expect:
          assert: [{path: content.response.result.n, lt: "${tok}"}]
`,
			want: `got a string ("***")`,
		},
		{
			name: "proxy page quoting the path",
			spec: `tests:
  - name: t
    action: "pkg/${tok}"
`,
			proxy: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusBadGateway)
					// The secret starts before the client's former 512-byte cut
					// and ends after it.
					io.WriteString(w, strings.Repeat("x", 460)+" Cannot POST "+r.URL.Path)
				})
			},
			want: "Cannot POST /api/v2/packages/pkg/actions/***",
		},
		{
			name: "a 429 page quoting the path, sent again",
			spec: `tests:
  - name: t
    action: "pkg/${tok}"
`,
			proxy: func(next http.Handler) http.Handler {
				var calls atomic.Int32
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if calls.Add(1) > 1 {
						next.ServeHTTP(w, r)
						return
					}
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusTooManyRequests)
					io.WriteString(w, strings.Repeat("x", 460)+" Slow down on "+r.URL.Path)
				})
			},
			want: "Slow down on /api/v2/packages/pkg/actions/***",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.proxy)
			p := e.load(map[string]string{"s.yaml": "vars: {tok: " + longSecret + "}\n" + tt.spec}, spec.Options{Secrets: []string{"tok"}})
			res := e.run(context.Background(), p, runner.Options{Secrets: append([]string{testSecret}, p.Secrets...)}, nil)
			text := reports(t, res)
			checkNoPrefix(t, longSecret, text)
			if !strings.Contains(text, tt.want) && !strings.Contains(text, jsonText(tt.want)) {
				t.Fatalf("the reports do not show %q:\n%s", tt.want, text)
			}
		})
	}
}

// jsonText is s as it stands inside a JSON string.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// loginToken is what the login action answers with: a token a capture of
// a --secret name selects.
var loginToken = "Tok_" + strings.Repeat("Ab3dE6gH9j", 10)

// login serves action pkg/login: the counter's answer with the token added
// to its result, under the key the call's number picks (key(n) "" adds
// none).
func login(key func(n int) string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/actions/login") {
				next.ServeHTTP(w, r)
				return
			}
			r.URL.Path = strings.TrimSuffix(r.URL.Path, "login") + "counter"
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			content, _ := body["content"].(map[string]any)
			resp, _ := content["response"].(map[string]any)
			result, _ := resp["result"].(map[string]any)
			if result == nil {
				http.Error(w, "no result in "+rec.Body.String(), http.StatusInternalServerError)
				return
			}
			n, _ := result["count"].(float64)
			if k := key(int(n)); k != "" {
				result[k] = loginToken
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			_ = json.NewEncoder(w).Encode(body)
		})
	}
}

// The value a capture of a --secret name selects is masked in the record
// of every attempt from the moment its response arrives: when the step's
// checks fail, and in the earlier attempts of a step that is retried.
func TestASecretCaptureIsMaskedFromItsResponseOn(t *testing.T) {
	for _, tt := range []struct {
		name  string
		retry string
		key   func(n int) string
		want  runner.Status
	}{
		{"the step fails", "", func(int) string { return "token" }, runner.Fail},
		{"retried, the token at the path each time", "    retry: {attempts: 3, delay: 10ms}\n",
			func(int) string { return "token" }, runner.Pass},
		{"retried, the token elsewhere before", "    retry: {attempts: 3, delay: 10ms}\n",
			func(n int) string {
				if n == 1 {
					return "note"
				}
				return "token"
			}, runner.Pass},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, login(tt.key))
			p := e.load(map[string]string{"c.yaml": `tests:
  - name: login
    action: pkg/login
    capture: {tok: content.response.result.token}
    expect: {assert: [{path: content.response.result.count, equals: 2}]}
` + tt.retry}, spec.Options{Secrets: []string{"tok"}})
			res := e.run(context.Background(), p, runner.Options{}, nil)
			tr := res.Suites[0].Tests[0]
			if tr.Status != tt.want {
				t.Fatalf("status %v, want %v", tr.Status, tt.want)
			}
			text := reports(t, res)
			checkNoPrefix(t, loginToken, text)
			if !strings.Contains(text, `\"count\":1`) {
				t.Fatalf("the first attempt's response is not in the reports:\n%s", text)
			}
		})
	}
}
