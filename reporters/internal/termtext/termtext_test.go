package termtext

import (
	"testing"
	"unicode/utf8"
)

func TestVisible(t *testing.T) {
	for _, c := range []struct {
		in    string
		lines bool
		want  string
	}{
		{"plain › text ✓", false, "plain › text ✓"},
		{"\x1b[31mRED\x1b[0m \r\x07 done", false, `\x1b[31mRED\x1b[0m \r\x07 done`},
		{"a\nb\tc", false, `a\nb\tc`},
		{"a\nb\tc", true, "a\n" + `b\tc`},
		{"del\x7f c1\u009b[2J nul\x00", false, `del\x7f c1\x9b[2J nul\x00`},
		{"bad \xff\xfe utf8", false, `bad \xff\xfe utf8`},
		{"", true, ""},
	} {
		if got := Visible(c.in, c.lines); got != c.want {
			t.Errorf("Visible(%q, %v) = %q, want %q", c.in, c.lines, got, c.want)
		}
	}
}

// FuzzVisible: whatever the input, the output is valid UTF-8 without a
// control character (but the kept newlines).
func FuzzVisible(f *testing.F) {
	f.Add("\x1b[31mRED\x1b[0m \r\x07 done\n\u0085\xc2")
	f.Fuzz(func(t *testing.T, s string) {
		for _, lines := range []bool{false, true} {
			out := Visible(s, lines)
			if !utf8.ValidString(out) {
				t.Fatalf("Visible(%q) = %q: invalid UTF-8", s, out)
			}
			for _, r := range out {
				if control(r) && !(r == '\n' && lines) {
					t.Fatalf("Visible(%q, %v) = %q: holds %U", s, lines, out, r)
				}
			}
		}
	})
}
