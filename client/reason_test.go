package client

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestResponseReason(t *testing.T) {
	tests := []struct {
		err  *APIError
		want string
	}{
		{nil, ""},
		{&APIError{Code: "80301", Message: "ACTION_NOT_FOUND", Details: `Action "x" does not exist.`}, `errorCode 80301 ACTION_NOT_FOUND: Action "x" does not exist.`},
		{&APIError{Code: "80301"}, "errorCode 80301"},
		{&APIError{Message: "<html>Bad Gateway</html>"}, "<html>Bad Gateway</html>"}, // a body that is not JSON
		{&APIError{Message: "Too Many Requests", Details: "retry later"}, "Too Many Requests: retry later"},
		{&APIError{Details: "only details"}, "only details"},
	}
	for _, tt := range tests {
		if got := (&Response{StatusCode: 502, Error: tt.err}).Reason(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestResponseAuthBlame(t *testing.T) {
	tests := []struct {
		err  *APIError
		want Blame
	}{
		{nil, BlameNothing},
		{&APIError{Code: "200", Message: "Authentication Failed", Details: "Invalid timestamp"}, BlameClock},
		{&APIError{Code: "200", Message: "Authentication Failed", Details: "The clock is off"}, BlameClock},
		{&APIError{Code: "200", Message: "Authentication Failed", Details: "Signature mismatch; the timestamp may be wrong"}, BlameKeys},
		{&APIError{Code: "200", Message: "Access key not found"}, BlameKeys},
		{&APIError{Code: "210", Message: "Permission Denied"}, BlameNothing},
	}
	for _, tt := range tests {
		if got := (&Response{StatusCode: 401, Error: tt.err}).AuthBlame(); got != tt.want {
			t.Errorf("%+v: %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestResponseClockSkew(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 600e6, time.UTC)
	r := &Response{Header: http.Header{"Date": {"Fri, 02 Jan 2026 03:10:05 GMT"}}}
	if d, ok := r.ClockSkew(now); !ok || d != 5*time.Minute+59*time.Second {
		t.Errorf("ClockSkew = %v, %v; want 5m59s, true", d, ok)
	}
	if _, ok := (&Response{Header: http.Header{}}).ClockSkew(now); ok {
		t.Error("ClockSkew without a Date header says it has one")
	}
}

// The header redaction of Dump: the signature and Authorization hidden, the
// access key shortened, whatever the case of the header name.
func TestDumpRedactsSignatureHeaders(t *testing.T) {
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/api/v2/packages/p/actions/a", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header[HeaderSignature] = []string{"c2lnbmF0dXJl"}
	req.Header[HeaderAccessKey] = []string{"AKIDEXAMPLE"}
	req.Header["authorization"] = []string{"Bearer tok"}
	r := &Response{Request: req, RequestBody: []byte(`{"x":1}`), StatusCode: 200,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte("éé")}
	reqText, respText := r.Dump(3, nil)
	wantReq := "POST http://127.0.0.1:1/api/v2/packages/p/actions/a\n" +
		"X-Ncp-Apigw-Signature-V2: ***\nX-Ncp-Iam-Access-Key: AKID…\nauthorization: ***\n\n{\"x…(+4 bytes)"
	if reqText != wantReq {
		t.Errorf("request:\n%s\nwant:\n%s", reqText, wantReq)
	}
	if want := "HTTP 200\nContent-Type: application/json\n\né…(+2 bytes)"; respText != want {
		t.Errorf("response:\n%q\nwant:\n%q", respText, want)
	}
}

// A body is redacted before it is cut, so that a secret across the cut
// leaves no visible prefix.
func TestDumpRedactsBeforeCutting(t *testing.T) {
	r := &Response{StatusCode: 200, Header: http.Header{}, Body: []byte("ab-SECRET-cd")}
	redact := func(s string) string { return strings.ReplaceAll(s, "SECRET", "***") }
	_, resp := r.Dump(5, redact)
	if strings.Contains(resp, "SEC") || !strings.Contains(resp, "ab-**…") {
		t.Errorf("response %q: want the secret redacted, then the body cut", resp)
	}
}

func TestResponseOutcome(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"content":{"response":{"status":"success","result":{}}}}`, `the action ended with status "success"`},
		{`{"content":{"response":{"status":"action developer error","result":{"error":"The action did not return a dictionary."}}}}`,
			`the action ended with status "action developer error": The action did not return a dictionary.`},
		{`{"content":{"response":{"status":"application error","result":{"error":{"code":7}}}}}`,
			`the action ended with status "application error": {"code":7}`},
		{`{"content":{"activationId":"x"}}`, ""},
		{`[1]`, ""},
	}
	for _, tt := range tests {
		r := &Response{StatusCode: 200, Body: []byte(tt.body)}
		parseBody(r)
		if got := r.Outcome(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.body, got, tt.want)
		}
	}
}
