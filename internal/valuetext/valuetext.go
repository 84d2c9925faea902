// Package valuetext renders values for messages: the one formatter of a
// decoded JSON value as text, and the one cut of a long text, that
// assertions, the client's API errors and the runner's messages share.
package valuetext

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// JSON returns the compact JSON text of v, object keys sorted, without
// HTML escaping, cut with Cut at max bytes. A value that is not JSON (a
// channel, NaN) is written with fmt's %v. It never changes v.
func JSON(v any, max int) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	var s string
	if err := enc.Encode(v); err != nil {
		s = fmt.Sprintf("%v", v)
	} else {
		s = string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	return Cut(s, max)
}

// Text is JSON except for strings, which are written as they are (not
// quoted, never cut: they are the API's or the action's own words), and
// nil, which is "".
func Text(v any, max int) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	return JSON(v, max)
}

// Cut returns s when it is at most max bytes (or max <= 0); otherwise its
// first max bytes, cut back to a UTF-8 boundary, followed by "…(+N bytes)"
// naming how many bytes were left out.
func Cut(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…(+" + strconv.Itoa(len(s)-cut) + " bytes)"
}
