package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestParseBody(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantJSONErr string // "" means JSON decoded
		wantError   *APIError
		wantID      string
		wantPending bool
	}{
		{name: "success", status: 200,
			body:   `{"content":{"activationId":"abc","duration":33,"response":{"result":{"payload":"abc"},"status":"success","success":true}}}`,
			wantID: "abc"},
		{name: "timeout outlived: 202 with only the id", status: 202,
			body: `{"content":{"activationId":"abc"}}`, wantID: "abc", wantPending: true},
		{name: "200 whose content holds only the id is pending", status: 200,
			body: `{"content":{"activationId":"abc"}}`, wantID: "abc", wantPending: true},
		{name: "OpenWhisk 202 without content wrapper", status: 202,
			body: `{"activationId":"ow1"}`, wantID: "ow1", wantPending: true},
		{name: "202 with an empty body is pending", status: 202, body: ``,
			wantJSONErr: "the body is not JSON: it is empty", wantPending: true},
		{name: "error code as string", status: 404,
			body:      `{"error":{"errorCode":"80301","message":"ACTION_NOT_FOUND","details":"no action"}}`,
			wantError: &APIError{Code: "80301", Message: "ACTION_NOT_FOUND", Details: "no action"}},
		{name: "error code as number kept as written", status: 401,
			body:      `{"error":{"errorCode":200,"message":"Authentication Failed","details":"Authentication information are missing."}}`,
			wantError: &APIError{Code: "200", Message: "Authentication Failed", Details: "Authentication information are missing."}},
		{name: "error code as big number not rounded", status: 500,
			body:      `{"error":{"errorCode":12345678901234567890,"message":"x","details":{"k":[1,true]}}}`,
			wantError: &APIError{Code: "12345678901234567890", Message: "x", Details: `{"k":[1,true]}`}},
		{name: "OpenWhisk error body", status: 502,
			body:      `{"error":"The action did not return a dictionary.","code":"a1b2"}`,
			wantError: &APIError{Code: "a1b2", Message: "The action did not return a dictionary."}},
		{name: "error status without error object", status: 500, body: `{"oops":1}`},
		{name: "HTML error page kept as text", status: 503, contentType: "text/html; charset=utf-8",
			body:        "<html><body>503 Service Unavailable</body></html>\n",
			wantJSONErr: "the body (text/html) is not JSON: invalid character '<' looking for beginning of value",
			wantError:   &APIError{Message: "<html><body>503 Service Unavailable</body></html>"}},
		{name: "plain text error", status: 429, contentType: "text/plain",
			body:        "Too Many Requests",
			wantJSONErr: "the body (text/plain) is not JSON: invalid character 'T' looking for beginning of value",
			wantError:   &APIError{Message: "Too Many Requests"}},
		{name: "trailing garbage is not JSON", status: 200, body: `{"content":{}} x`,
			wantJSONErr: "the body is not JSON: unexpected data after the JSON value at offset 14"},
		{name: "truncated JSON", status: 200, body: `{"content":`,
			wantJSONErr: "the body is not JSON: unexpected EOF"},
		{name: "2xx error key is not an API error", status: 200, body: `{"error":{"errorCode":"1"}}`},
		{name: "non-string activation id ignored", status: 200, body: `{"content":{"activationId":7}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Response{StatusCode: tt.status, Header: http.Header{}, Body: []byte(tt.body)}
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			parseBody(r)
			gotErr := ""
			if r.JSONErr != nil {
				gotErr = r.JSONErr.Error()
			}
			if gotErr != tt.wantJSONErr {
				t.Errorf("JSONErr = %q, want %q", gotErr, tt.wantJSONErr)
			}
			if (r.JSON == nil) != (tt.wantJSONErr != "") {
				t.Errorf("JSON = %v with JSONErr %v", r.JSON, r.JSONErr)
			}
			if !reflect.DeepEqual(r.Error, tt.wantError) {
				t.Errorf("Error = %#v, want %#v", r.Error, tt.wantError)
			}
			if r.ActivationID != tt.wantID || r.Pending != tt.wantPending {
				t.Errorf("ActivationID, Pending = %q, %v; want %q, %v", r.ActivationID, r.Pending, tt.wantID, tt.wantPending)
			}
		})
	}
}

func TestParseBodyUsesNumber(t *testing.T) {
	r := &Response{StatusCode: 200, Body: []byte(`{"content":{"duration":12345678901234567890}}`)}
	parseBody(r)
	d := r.JSON.(map[string]any)["content"].(map[string]any)["duration"]
	if n, ok := d.(json.Number); !ok || n != "12345678901234567890" {
		t.Fatalf("duration = %#v, want json.Number 12345678901234567890", d)
	}
}

func TestAPIErrorText(t *testing.T) {
	tests := []struct {
		e    APIError
		want string
	}{
		{APIError{Code: "80301", Message: "ACTION_NOT_FOUND", Details: "d"}, "errorCode 80301: ACTION_NOT_FOUND (d)"},
		{APIError{Message: "Too Many Requests"}, "Too Many Requests"},
		{APIError{Code: "200"}, "errorCode 200"},
		{APIError{Details: "only details"}, "only details"},
		{APIError{}, "empty error"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.e, got, tt.want)
		}
	}
}

// The text of an error body that is not JSON is kept whole, trimmed and
// valid UTF-8: the client does not know the caller's secrets, and a cut
// made before they are redacted could leave one's prefix.
func TestNonJSONErrorBodyIsKeptWhole(t *testing.T) {
	secret := "jwt_" + strings.Repeat("abcdefghij", 10)
	tests := []struct {
		name, in, want string
	}{
		{"trimmed", "  hello \n", "hello"},
		{"invalid UTF-8 replaced", "a\xffb", "a\uFFFDb"},
		{"long, a secret across the former 512-byte cut", strings.Repeat("x", 500) + " Cannot POST /" + secret, strings.Repeat("x", 500) + " Cannot POST /" + secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Response{StatusCode: 502, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(tt.in)}
			parseBody(r)
			if r.Error == nil || r.Error.Message != tt.want {
				t.Fatalf("Error = %+v, want the message %q", r.Error, tt.want)
			}
		})
	}
}

// A 429 whose body is not JSON is named by the kind of its body, never
// quoted in what the client says of it (the retry's Why, the Transport of
// the final answer): the client cannot redact it.
func TestA429BodyThatIsNotJSONIsNotQuoted(t *testing.T) {
	r := &Response{StatusCode: 429, Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, Body: []byte("slow down, S3cretTokenValue")}
	parseBody(r)
	what, safe := transportAnswer(r)
	if what != "HTTP 429 with a text/plain body" || !safe {
		t.Errorf("transportAnswer = %q, %v", what, safe)
	}
}

func TestReadBodyCap(t *testing.T) {
	tests := []struct {
		name          string
		body          string
		contentLength int64
		wantErr       string
	}{
		{"at the cap", "12345", -1, ""},
		{"past the cap without length", "123456", -1, "the HTTP 200 response body is larger than the 5-byte cap (Config.MaxResponseBytes); raise the cap or make the action return less"},
		{"past the cap by Content-Length", "123456", 6, "the HTTP 200 response body is larger than the 5-byte cap (Config.MaxResponseBytes); raise the cap or make the action return less"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: 200, ContentLength: tt.contentLength, Body: &closeCounter{Reader: strings.NewReader(tt.body)}}
			b, err := readBody(resp, 5)
			if resp.Body.(*closeCounter).n != 1 {
				t.Errorf("body closed %d times, want 1", resp.Body.(*closeCounter).n)
			}
			if tt.wantErr == "" {
				if err != nil || string(b) != tt.body {
					t.Fatalf("readBody = %q, %v", b, err)
				}
				return
			}
			var tooLarge *ResponseTooLargeError
			if !errors.As(err, &tooLarge) || err.Error() != tt.wantErr {
				t.Fatalf("error = %v, want %s", err, tt.wantErr)
			}
		})
	}
}

type closeCounter struct {
	*strings.Reader
	n int
}

func (c *closeCounter) Close() error { c.n++; return nil }

func FuzzParseBody(f *testing.F) {
	seeds := []struct {
		status int
		ct     string
		body   string
	}{
		{200, "application/json", `{"content":{"activationId":"abc","response":{"result":{"payload":"abc"}}}}`},
		{202, "application/json", `{"content":{"activationId":"abc"}}`},
		{404, "application/json", `{"error":{"errorCode":"80301","message":"ACTION_NOT_FOUND"}}`},
		{401, "application/json;charset=UTF-8", `{"error":{"errorCode":200,"message":"Authentication Failed"}}`},
		{502, "", `{"error":"x","code":5}`},
		{503, "text/html", "<html>503</html>"},
		{500, "bad/;;type", "\xff\xfe"},
		{200, "", `[1,2,3] `},
		{200, "", `{"content":null}`},
	}
	for _, s := range seeds {
		f.Add(s.status, s.ct, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		r := &Response{StatusCode: status, Header: http.Header{"Content-Type": {ct}}, Body: body}
		parseBody(r)
		if r.JSONErr != nil && r.JSON != nil {
			t.Fatalf("JSON %v and JSONErr %v for %q", r.JSON, r.JSONErr, body)
		}
		if valid := json.Valid(body); valid != (r.JSONErr == nil) {
			t.Fatalf("json.Valid = %v but JSONErr = %v for %q", valid, r.JSONErr, body)
		}
		if status >= 200 && status < 300 && r.Error != nil {
			t.Fatalf("2xx with Error %v", r.Error)
		}
		if r.Error != nil {
			_ = r.Error.Error()
			if r.JSONErr != nil && r.Error.Message != strings.ToValidUTF8(string(bytes.TrimSpace(body)), "\uFFFD") {
				t.Fatalf("error text %q is not the body's whole text", r.Error.Message)
			}
		}
		if r.Pending && status != 202 && r.ActivationID == "" {
			t.Fatalf("pending without an id: %q", body)
		}
		if what, safe := transportAnswer(r); safe && (what == "" || status != 429 && status != 503) {
			t.Fatalf("HTTP %d %q would be sent again as %q", status, body, what)
		}
	})
}
