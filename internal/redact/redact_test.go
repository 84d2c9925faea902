package redact

import (
	"strings"
	"testing"
	"unsafe"
)

func TestStringReplacesEveryForm(t *testing.T) {
	red := New([]string{`p"w<d>&x`, "tab\tx"}, "AKIDLONGKEY", "AKID…")
	for _, tc := range []struct{ in, want string }{
		{`raw p"w<d>&x.`, `raw ***.`},
		{`json {"v":"p\"w<d>&x"}`, `json {"v":"***"}`},
		{`json-html p\"w\u003cd\u003e\u0026x`, `json-html ***`},
		{`json twice p\\\"w<d>&x`, `json twice ***`},
		{`xml p&#34;w&lt;d&gt;&amp;x`, `xml ***`},
		{`html p&#34;w&lt;d&gt;&amp;x p&quot;w&lt;d&gt;&amp;x`, `html *** ***`},
		{`path /p%22w%3Cd%3E&x`, `path /***`},
		{`query ?a=p%22w%3Cd%3E%26x`, `query ?a=***`},
		{`go "tab\tx"`, `go "***"`},
		{"yaml 'tab\tx'", "yaml '***'"},
		{`key AKIDLONGKEY`, `key AKID…`},
		{`nothing here`, `nothing here`},
	} {
		if got := red.String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A secret that contains another is replaced whole, not as its part.
func TestLongestFormFirst(t *testing.T) {
	red := New([]string{"abc", "abcdef"})
	if got := red.String("xabcdefx abc"); got != "x***x ***" {
		t.Errorf("got %q", got)
	}
	red.Add("zz")
	if got := red.String("zz abc"); got != "*** ***" {
		t.Errorf("after Add: got %q", got)
	}
}

func TestNilAndEmptyRedactNothing(t *testing.T) {
	var red *Redactor
	if red.String("a") != "a" || New(nil).String("a") != "a" || New([]string{""}).String("a") != "a" {
		t.Error("a redactor with no secret changed the text")
	}
	if Forms("") != nil {
		t.Error("the empty secret has forms")
	}
	for _, f := range Forms("s3cr3t") {
		if !strings.Contains(f, "s3cr3t") {
			t.Errorf("form %q of a plain secret is not the secret", f)
		}
	}
}

// A value cut short before its secrets were known keeps no start of a
// secret before the cut's mark, in any form; text elsewhere is kept.
func TestCutMasksASecretsStartBeforeTheMark(t *testing.T) {
	red := New([]string{`pa"ss\word`})
	for _, tt := range []struct{ in, want string }{
		{`timeout: "xx pa\"ss\\wo…" is not a duration`, `timeout: "xx ***…" is not a duration`}, // Go-quoted start
		{`key "xx pa"ss…" and "pa"ss\word"`, `key "xx ***…" and "***"`},                         // raw start, and a whole one
		{`no mark: pa"ss`, `no mark: pa"ss`},                                                    // not cut: a prefix alone is no secret
		{`cut elsewhere: abc…`, `cut elsewhere: abc…`},
	} {
		if got := red.Cut(tt.in, "…"); got != tt.want {
			t.Errorf("Cut(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var none *Redactor
	if got := none.Cut("a…", "…"); got != "a…" {
		t.Errorf("nil redactor: %q", got)
	}
}

// TestStringKeepsTextWithoutSecrets: text in which nothing is redacted
// comes back as the same string, not a copy, so that results holding it
// (every attempt's package, action and platform) share the spec's.
func TestStringKeepsTextWithoutSecrets(t *testing.T) {
	red := New([]string{"s3cr3t-value", "another-secret"}, "AKIDEXAMPLE", "AKID…")
	in := strings.Repeat("package003/action000 ", 2)
	if out := red.String(in); unsafe.StringData(out) != unsafe.StringData(in) {
		t.Error("String copied text that has no secret in it")
	}
	if out := red.String("x s3cr3t-value y"); out != "x *** y" {
		t.Errorf("String = %q, want the secret masked", out)
	}
}
