package client

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/specrun/specrun/internal/valuetext"
)

// Dump renders the request and the response of r as text: the request
// line, its headers sorted with the signature and Authorization as "***"
// and the access key shortened (ShortKey), a blank line and the body; then
// "HTTP STATUS", the headers and the body. The request is "" when r has
// none. redact (nil: none) hides the caller's own secrets: each body is
// redacted and then cut at maxBody bytes (cut first, a secret could keep a
// visible prefix), and then each whole text is redacted.
func (r *Response) Dump(maxBody int, redact func(string) string) (request, response string) {
	return dump(r.Request, r.RequestBody, r.StatusCode, r.Header, r.Body, maxBody, redact)
}

// Dump renders one transport try of a call as Response.Dump does; reqBody
// is the call's request body.
func (t Try) Dump(reqBody []byte, maxBody int, redact func(string) string) (request, response string) {
	return dump(t.Request, reqBody, t.StatusCode, t.Header, t.Body, maxBody, redact)
}

func dump(req *http.Request, reqBody []byte, status int, header http.Header, body []byte, maxBody int, redact func(string) string) (string, string) {
	if redact == nil {
		redact = func(s string) string { return s }
	}
	var b strings.Builder
	if req != nil {
		b.WriteString(req.Method + " " + req.URL.String() + "\n")
		writeHeaders(&b, req.Header)
		b.WriteString("\n")
		b.WriteString(valuetext.Cut(string(reqBody), maxBody, redact))
	}
	request := redact(b.String())
	b.Reset()
	b.WriteString("HTTP " + strconv.Itoa(status) + "\n")
	writeHeaders(&b, header)
	b.WriteString("\n")
	b.WriteString(valuetext.Cut(string(body), maxBody, redact))
	return request, redact(b.String())
}

// writeHeaders writes h sorted by name, one "Name: value" line per value,
// with the signature's secrets redacted.
func writeHeaders(b *strings.Builder, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			switch {
			case strings.EqualFold(k, HeaderSignature) || strings.EqualFold(k, "Authorization"):
				v = "***"
			case strings.EqualFold(k, HeaderAccessKey):
				v = ShortKey(v)
			}
			b.WriteString(k + ": " + v + "\n")
		}
	}
}

// ShortKey shortens an access key for messages: its first four characters
// and an ellipsis ("***" for a key of four characters or fewer).
func ShortKey(k string) string {
	if len(k) <= 4 {
		return "***"
	}
	return k[:4] + "…"
}
