// Package valuetext renders values for messages: the one formatter of a
// decoded JSON value as text, and the one cut of a long text, that
// assertions, the client's API errors and the runner's messages share.
//
// A text is hidden before it is cut: every function that cuts takes the
// hide function of the caller's secrets (a redactor's String) and applies
// it to the whole text first. Cut first, a secret would keep a visible
// prefix that no longer matches it.
package valuetext

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// CutMark begins what Cut writes where it cut a text: "…(+N bytes)".
const CutMark = "…(+"

// JSON returns the compact JSON text of v, object keys sorted, without
// HTML escaping, hidden and cut with Cut at max bytes. A value that is not
// JSON (a channel, NaN) is written with fmt's %v. It never changes v.
func JSON(v any, max int, hide func(string) string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	var s string
	if err := enc.Encode(v); err != nil {
		s = fmt.Sprintf("%v", v)
	} else {
		s = string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	return Cut(s, max, hide)
}

// Text is the whole JSON text of v (never cut: a caller that shows it
// redacts it whole) except for strings, which are written as they are (not
// quoted: they are the API's or the action's own words), and nil, which is
// "".
func Text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	return JSON(v, 0, nil)
}

// Cut returns hide(s) (s when hide is nil: nothing in it is secret) when
// that is at most max bytes (or max <= 0); otherwise its first max bytes,
// cut back to a UTF-8 boundary, followed by "…(+N bytes)" naming how many
// bytes were left out. The text is hidden whole before it is cut, so that
// no beginning of a secret is left at the cut.
func Cut(s string, max int, hide func(string) string) string {
	if hide != nil {
		s = hide(s)
	}
	if max <= 0 || len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + CutMark + strconv.Itoa(len(s)-cut) + " bytes)"
}
