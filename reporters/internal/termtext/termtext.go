// Package termtext makes text from a run (action output, test names, skip
// reasons, messages) safe to write to a terminal: no control character in
// it reaches the terminal raw, so none can move the cursor, recolour the
// screen, ring the bell or rewrite what was written before.
package termtext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Visible returns s with every control character written as a visible
// escape: carriage return, tab and line feed as \r, \t and \n, the other
// C0 controls, DEL and the C1 controls (U+0080 to U+009F, among them the
// 8-bit CSI) as \xNN, and each byte of invalid UTF-8 as \xNN. With
// keepNewlines, a line feed stays a line feed (the caller indents each
// line). Everything else is kept as is; s comes back unchanged when it
// holds nothing to escape.
func Visible(s string, keepNewlines bool) string {
	if clean(s, keepNewlines) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' && keepNewlines:
			b.WriteByte('\n')
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case control(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

// clean reports whether s holds nothing Visible escapes.
func clean(s string, keepNewlines bool) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || (control(r) && !(r == '\n' && keepNewlines)) {
			return false
		}
		i += n
	}
	return true
}

// control reports whether r is a C0 control, DEL or a C1 control.
func control(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0)
}
