package runner_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// A proxy's non-JSON error page that echoes the request reaches the result
// redacted before it is cut: a secret straddling the client's cut of the
// page's text must not leave its prefix behind. Both paths are covered: an
// expected http_status that does not match (a status failure) and a 5xx a
// proxy answered (an error).
func TestProxyPageEchoingASecretIsRedactedBeforeTheCut(t *testing.T) {
	const secret = "S3CRET-PROXY-VALUE"
	for _, tt := range []struct {
		name, status, expect string
	}{
		{"status failure", "400", "    expect: {http_status: 200}\n"},
		{"proxy error", "502", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					body, _ := io.ReadAll(r.Body)
					w.Header().Set("Content-Type", "text/html")
					code := 400
					if tt.status == "502" {
						code = 502
					}
					w.WriteHeader(code)
					// The secret starts 500 bytes in, across the client's 512-byte cut.
					io.WriteString(w, strings.Repeat("x", 500)+string(body))
				})
			})
			p := e.load(map[string]string{"s.yaml": "suite: s\ntests:\n  - name: t\n    action: p/a\n    params: {v: \"" + secret + "\"}\n" + tt.expect}, spec.Options{})
			res := e.run(context.Background(), p, runner.Options{Secrets: []string{secret}}, nil)
			tr := res.Suites[0].Tests[0]
			text := tr.Reason
			for _, st := range tr.Steps {
				for _, a := range st.Attempts {
					text += "\n" + a.Err
					for _, f := range a.Failures {
						text += "\n" + f.Reason
					}
				}
			}
			if text == "" {
				t.Fatalf("no reason or error in the result: %+v", tr)
			}
			for _, leak := range []string{secret, secret[:6]} {
				if strings.Contains(text, leak) {
					t.Errorf("the result holds %q:\n%s", leak, text)
				}
			}
		})
	}
}
