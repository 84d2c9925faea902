package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/specrun/specrun/internal/valuetext"
)

// ResponseTooLargeError is the cause of a TransportError when a response body
// is larger than Config.MaxResponseBytes. The request did reach the server.
type ResponseTooLargeError struct {
	StatusCode int
	Limit      int64
}

// Error names the cap and what to do about it.
func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("the HTTP %d response body is larger than the %d-byte cap (Config.MaxResponseBytes); raise the cap or make the action return less",
		e.StatusCode, e.Limit)
}

// Error returns "errorCode CODE: MESSAGE (DETAILS)", leaving out what is
// empty.
func (e *APIError) Error() string {
	var b strings.Builder
	if e.Code != "" {
		b.WriteString("errorCode ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Message)
	}
	if e.Details != "" {
		if b.Len() > 0 {
			b.WriteString(" (" + e.Details + ")")
		} else {
			b.WriteString(e.Details)
		}
	}
	if b.Len() == 0 {
		return "empty error"
	}
	return b.String()
}

// readBody reads and closes resp.Body, failing past limit bytes.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	defer resp.Body.Close()
	if resp.ContentLength > limit {
		return nil, &ResponseTooLargeError{StatusCode: resp.StatusCode, Limit: limit}
	}
	if n := resp.ContentLength; n >= 0 {
		// The usual case: read exactly the announced length into one
		// allocation, then make sure nothing follows.
		data := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, data); err != nil {
			return nil, err
		}
		var probe [1]byte
		if m, err := resp.Body.Read(probe[:]); m > 0 {
			return nil, fmt.Errorf("the body is longer than its Content-Length of %d bytes", n)
		} else if err != nil && err != io.EOF {
			return nil, err
		}
		return data, nil
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, &ResponseTooLargeError{StatusCode: resp.StatusCode, Limit: limit}
	}
	return buf.Bytes(), nil
}

// parseBody fills JSON, JSONErr, Error, ActivationID and Pending from
// r.StatusCode, r.Header and r.Body. It never panics, whatever the body.
//
// A non-2xx JSON body with an "error" object gives Error its errorCode
// (string or number, kept as text), message and details; an OpenWhisk body
// {"error": "...", "code": "..."} gives Message and Code. A non-2xx body
// that is not JSON gives an Error whose Message is the body's whole text
// (HTML tags are not removed), trimmed, invalid UTF-8 replaced: whole,
// because only the caller knows its secrets, and a text cut before they
// are redacted could keep a secret's prefix. A caller that shows it
// redacts it, then cuts it.
func parseBody(r *Response) {
	r.JSON, r.JSONErr = decodeJSON(r.Body)
	if r.JSONErr != nil {
		if ct := r.Header.Get("Content-Type"); ct != "" {
			if mt, _, err := mime.ParseMediaType(ct); err == nil {
				ct = mt
			}
			r.JSONErr = fmt.Errorf("the body (%s) is not JSON: %w", ct, r.JSONErr)
		} else {
			r.JSONErr = fmt.Errorf("the body is not JSON: %w", r.JSONErr)
		}
	}
	ok := r.StatusCode >= 200 && r.StatusCode < 300
	obj, _ := r.JSON.(map[string]any)
	if !ok {
		if obj != nil {
			r.Error = apiError(obj)
		} else if r.JSONErr != nil && len(bytes.TrimSpace(r.Body)) > 0 {
			r.Error = &APIError{Message: strings.ToValidUTF8(string(bytes.TrimSpace(r.Body)), "\uFFFD")}
		}
	}
	content, hasContent := obj["content"].(map[string]any)
	if !hasContent {
		content = obj // OpenWhisk answers without the content wrapper
	}
	if id, ok := content["activationId"].(string); ok {
		r.ActivationID = id
	}
	r.Pending = r.StatusCode == http.StatusAccepted ||
		(ok && r.ActivationID != "" && len(content) == 1)
}

// decodeJSON decodes body as exactly one JSON value surrounded by optional
// whitespace, numbers as json.Number, with encoding/json's Decoder: an empty
// body and data after the value are errors.
func decodeJSON(body []byte) (any, error) {
	if len(trimJSONSpace(body)) == 0 {
		return nil, errors.New("it is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if rest := trimJSONSpace(body[dec.InputOffset():]); len(rest) > 0 {
		return nil, fmt.Errorf("unexpected data after the JSON value at offset %d", dec.InputOffset())
	}
	return v, nil
}

// trimJSONSpace trims JSON's whitespace (not bytes.TrimSpace's wider set).
func trimJSONSpace(b []byte) []byte { return bytes.Trim(b, " \t\r\n") }

// apiError reads the error object of an error body; nil when there is none.
func apiError(obj map[string]any) *APIError {
	switch e := obj["error"].(type) {
	case map[string]any:
		return &APIError{Code: valuetext.Text(e["errorCode"]), Message: valuetext.Text(e["message"]), Details: valuetext.Text(e["details"])}
	case string:
		return &APIError{Code: valuetext.Text(obj["code"]), Message: e}
	}
	return nil
}

// CodeActivationNotFound is the errorCode of a 404 to an activation poll
// when the activation is not recorded yet: the action is still running.
const CodeActivationNotFound = "80322"

// Reason says what the API's error body said, as
// "errorCode CODE MESSAGE: DETAILS" without the parts it lacks (a body that
// is not JSON has only a message, its text); "" when there is no error body.
func (r *Response) Reason() string {
	if r.Error == nil {
		return ""
	}
	var parts []string
	if r.Error.Code != "" {
		parts = append(parts, "errorCode "+r.Error.Code)
	}
	if r.Error.Message != "" {
		parts = append(parts, r.Error.Message)
	}
	s := strings.Join(parts, " ")
	if r.Error.Details != "" {
		if s != "" {
			s += ": "
		}
		s += r.Error.Details
	}
	return s
}

// MaxClockSkew is how far the gateway lets a request's timestamp be from
// its own clock.
const MaxClockSkew = 5 * time.Minute

// Blame is what the error body of a 401 names as the cause.
type Blame int

// What a 401's error body may blame.
const (
	BlameNothing Blame = iota // the body names neither
	BlameKeys                 // the signature or the access key
	BlameClock                // the timestamp or the clock
)

// AuthBlame says what r's error body names as the cause of a refused
// authentication: the signature or the key (checked first), or the
// timestamp or the clock.
func (r *Response) AuthBlame() Blame {
	if r.Error == nil {
		return BlameNothing
	}
	s := strings.ToLower(r.Error.Message + " " + r.Error.Details)
	switch {
	case strings.Contains(s, "signature") || strings.Contains(s, "access key"):
		return BlameKeys
	case strings.Contains(s, "timestamp") || strings.Contains(s, "clock"):
		return BlameClock
	}
	return BlameNothing
}

// ClockSkew is how far now is from the response's Date header (to its
// one-second precision), and whether the header was there.
func (r *Response) ClockSkew(now time.Time) (time.Duration, bool) {
	t, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil {
		return 0, false
	}
	d := now.Sub(t)
	if d < 0 {
		d = -d
	}
	return d.Truncate(time.Second), true
}

// Outcome says what the action did, from the body's content.response: its
// status and the `error` of its result, e.g. `the action ended with status
// "action developer error": The action did not return a dictionary.`. It
// is "" when the body has no such fields. The text is whole: a caller that
// redacts it redacts, then cuts it (a cut before redaction could leave a
// secret's prefix behind).
func (r *Response) Outcome() string {
	content, _ := field(r.JSON, "content").(map[string]any)
	response, _ := field(content, "response").(map[string]any)
	status, _ := response["status"].(string)
	if status == "" {
		return ""
	}
	s := "the action ended with status " + strconv.Quote(status)
	if msg := field(response["result"], "error"); msg != nil {
		s += ": " + valuetext.Text(msg)
	}
	return s
}

// field is v[key] when v is an object, nil otherwise.
func field(v any, key string) any {
	m, _ := v.(map[string]any)
	return m[key]
}
