package redact

import (
	"cmp"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// FuzzString checks, on random texts that hold two secrets as written,
// overlapping, base64-encoded at each alignment and hex-encoded, that no
// secret and no base64 or hex form of one survives String, and that String
// masks exactly the bytes that some occurrence of some form covers: those
// of a brute-force search, a run of them as one Mask; with an alias too,
// no secret survives.
func FuzzString(f *testing.F) {
	f.Add("hello-OVERLAP", "OVERLAPworld", "x", "u:", "&n=1")
	f.Add("abcab", "cabx", "", "", "")
	f.Add(`p"w<d>&x`, "tab\tx", "{}", "us:", "")
	f.Add("Hunter2Pass", "e", "a b", "use:", "=")
	f.Fuzz(func(t *testing.T, a, b, text, pre, post string) {
		if a == "" || b == "" || len(a)+len(b) > 96 || strings.Contains(a+b+text+pre+post, "*") {
			t.Skip()
		}
		in := strings.Join([]string{
			text, a, text, b, join(a, b), join(b, a),
			base64.StdEncoding.EncodeToString([]byte(pre + a + post)),
			base64.RawURLEncoding.EncodeToString([]byte(pre + b + post)),
			hex.EncodeToString([]byte(a)), strings.ToUpper(hex.EncodeToString([]byte(b))), text,
		}, text)
		red := New([]string{a, b})
		out := red.String(in)
		if red.find != nil {
			// Both ways of finding the risky forms find the same.
			one, all := (&finder{forms: red.find.forms}).eachForm(in), newFinder(red.find.forms, 0).occurrences(in)
			if !slices.Equal(sortSpans(one), sortSpans(all)) {
				t.Fatalf("in %q, the risky forms %q are at %v one by one, at %v in one pass", in, red.find.forms, one, all)
			}
		}
		for _, s := range []string{a, b} {
			for _, form := range append([]string{s}, Coded(s)...) {
				if strings.Contains(out, form) {
					t.Fatalf("String(%q) = %q holds %q, a form of the secret %q", in, out, form, s)
				}
			}
		}
		// With an alias whose key overlaps a secret (an access key that
		// ends where a secret starts), no secret survives either.
		key := pre + a[:len(a)/2+1]
		aliased := New([]string{a, b}, key, "…").String(in + key + b + a + key)
		for _, s := range []string{a, b} {
			if !strings.Contains("…", s) && strings.Contains(aliased, s) {
				t.Fatalf("with the alias %q, String(%q) = %q holds the secret %q", key, in, aliased, s)
			}
		}
		forms := append(append(Forms(a), Coded(a)...), append(Forms(b), Coded(b)...)...)
		if want := bruteMask(in, forms); maskRuns.ReplaceAllString(out, Mask) != want {
			t.Fatalf("String(%q) = %q, masks other bytes than %q", in, out, want)
		}
	})
}

func sortSpans(spans [][2]int) [][2]int {
	slices.SortFunc(spans, func(a, b [2]int) int { return cmp.Or(a[0]-b[0], a[1]-b[1]) })
	return spans
}

var maskRuns = regexp.MustCompile(`(\*\*\*)+`)

// join is a followed by b, sharing the longest end of a that begins b.
func join(a, b string) string {
	for k := min(len(a), len(b)) - 1; k > 0; k-- {
		if strings.HasSuffix(a, b[:k]) {
			return a + b[k:]
		}
	}
	return a + b
}

// bruteMask marks every byte of every occurrence of every form, and
// replaces each run of marked bytes by one Mask.
func bruteMask(s string, forms []string) string {
	marked := make([]bool, len(s))
	for _, f := range forms {
		for i := 0; i+len(f) <= len(s); i++ {
			if s[i:i+len(f)] == f {
				for j := i; j < i+len(f); j++ {
					marked[j] = true
				}
			}
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if !marked[i] {
			b.WriteByte(s[i])
		} else if i == 0 || !marked[i-1] {
			b.WriteString(Mask)
		}
	}
	return b.String()
}
