package assert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Format returns the compact JSON text of v for messages. When the text is
// longer than max bytes it is cut (on a UTF-8 boundary) at max bytes and
// followed by "…(+N bytes)" naming how many bytes were left out; max <= 0
// means no limit. Object keys are sorted. A value that is not JSON (a
// channel, NaN) is written with fmt's %v. Format never changes v.
func Format(v any, max int) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	var s string
	if err := enc.Encode(v); err != nil {
		s = fmt.Sprintf("%v", v)
	} else {
		s = string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	return Truncate(s, max)
}

// Truncate cuts s to at most max bytes, at a rune boundary, and says how
// many bytes were cut: "…(+N bytes)". A max of zero or less keeps s whole.
func Truncate(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…(+" + strconv.Itoa(len(s)-cut) + " bytes)"
}
