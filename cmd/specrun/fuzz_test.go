package main

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplitTagWord: the head and the word put back together are the
// expression, and the word is made of tag characters only.
func FuzzSplitTagWord(f *testing.F) {
	for _, s := range []string{"", "smoke", "smoke and ", "(a or b) and n", "'smoke and not f", "a\tb", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		head, word := splitTagWord(expr)
		if head+word != expr {
			t.Fatalf("splitTagWord(%q) = %q + %q", expr, head, word)
		}
		if strings.IndexFunc(word, func(r rune) bool { return !isTagRune(r) }) >= 0 {
			t.Fatalf("splitTagWord(%q): word %q holds a character of no tag name", expr, word)
		}
		if word != "" && utf8.ValidString(expr) && !utf8.ValidString(head) {
			t.Fatalf("splitTagWord(%q) cut a character in two: %q", expr, head)
		}
		_ = operandExpected(head)
	})
}

// FuzzWholeNumberFlag: --parallel takes exactly the whole numbers ≥ 1,
// and a value it refuses leaves the flag as it was.
func FuzzWholeNumberFlag(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "8", " 4", "abc", "1e3", "99999999999999999999", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var n int
		v := atLeast(&n, 8, 1)
		err := v.Set(s)
		want, perr := strconv.Atoi(strings.TrimSpace(s))
		ok := perr == nil && want >= 1
		switch {
		case ok && (err != nil || n != want):
			t.Fatalf("Set(%q) = %v, n %d; want %d", s, err, n, want)
		case !ok && (err == nil || n != 8):
			t.Fatalf("Set(%q) took the value: n %d, err %v", s, n, err)
		}
	})
}
