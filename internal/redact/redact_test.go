package redact

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
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

// Overlapping secrets are masked whole: every byte of every occurrence of
// every secret, and a run of occurrences that overlap or touch is one Mask
// (audit S8: "hello-OVERLAPworld" came out as "***world").
func TestOverlappingSecretsMaskedWhole(t *testing.T) {
	for _, tc := range []struct {
		name     string
		secrets  []string
		aliases  []string
		in, want string
	}{
		{"suffix is prefix", []string{"hello-OVERLAP", "OVERLAPworld"}, nil, `{"s":"hello-OVERLAPworld"}`, `{"s":"***"}`},
		{"other order", []string{"OVERLAPworld", "hello-OVERLAP"}, nil, `{"s":"hello-OVERLAPworld"}`, `{"s":"***"}`},
		{"touching", []string{"hello-OVERLAP", "OVERLAPworld"}, nil, "a hello-OVERLAPworldhello-OVERLAP b", "a *** b"},
		{"chain of three", []string{"one-TWO", "TWO-three", "three-FOUR"}, nil, "x one-TWO-three-FOUR y", "x *** y"},
		{"itself", []string{"abcab"}, nil, "x abcabcab y abcab", "x *** y ***"},
		{"JSON-escaped", []string{`he"llo-OV`, `OV"world`}, nil, `"he\"llo-OV\"world"`, `"***"`},
		{"one holds a risky one", []string{"hello-OVERLAP", "OVERLAPworld", "xxOVERLAPworldxx"}, nil, "[xxOVERLAPworldxx]", "[***]"},
		{"apart", []string{"hello-OVERLAP", "OVERLAPworld"}, nil, "hello-OVERLAP, OVERLAPworld.", "***, ***."},
		{"alias beside", []string{"SECRETkey"}, []string{"AKIDSECRET", "AKID…"}, "AKIDSECRETkey AKIDSECRET", "AKID*** AKID…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			red := New(tc.secrets, tc.aliases...)
			if got := red.String(tc.in); got != tc.want {
				t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// Secrets that cannot overlap keep the one strings.Replacer: one that
// holds another is replaced whole by the longest-first rule.
func TestNoOverlapKeepsTheReplacer(t *testing.T) {
	for _, tc := range []struct {
		secrets []string
		risky   bool
	}{
		{[]string{"abc", "xabc"}, false},
		{[]string{"s3cr3t-value", "another-secret"}, false},
		{[]string{"hello-OVERLAP", "OVERLAPworld"}, true},
		{[]string{"abcab"}, true},
	} {
		red := New(tc.secrets)
		if got := red.find != nil; got != tc.risky {
			t.Errorf("%q: risky forms %v, want some: %v", tc.secrets, red.risky, tc.risky)
		}
	}
}

// An action or a tool that encodes a secret gives it back in base64 or hex
// (audit S10: SHVudGVyMlBhc3M8JiI+ was shown).
func TestCodedFormsMasked(t *testing.T) {
	const secret = `Hunter2Pass<&">`
	red := New([]string{secret})
	b64 := func(enc *base64.Encoding, s string) string { return enc.EncodeToString([]byte(s)) }
	for _, tc := range []struct{ name, in, want string }{
		{"base64", "v=SHVudGVyMlBhc3M8JiI+ ok", "v=*** ok"},
		{"base64 in JSON", `{"b":"SHVudGVyMlBhc3M8JiI+"}`, `{"b":"***"}`},
		{"base64 URL alphabet", "v=" + b64(base64.URLEncoding, secret), "v=***"},
		{"base64 in a query", "?v=SHVudGVyMlBhc3M8JiI%2B&x", "?v=***&x"},
		{"hex", "h=" + hex.EncodeToString([]byte(secret)) + ".", "h=***."},
		{"upper-case hex", "h=" + strings.ToUpper(hex.EncodeToString([]byte(secret))) + ".", "h=***."},
		{"basic auth, 1 byte before", "Basic " + b64(base64.StdEncoding, "u:"+secret), "Basic dTp***4="},
		{"2 bytes before", b64(base64.StdEncoding, "us:"+secret), "dXM6***"},
		{"3 bytes before", b64(base64.StdEncoding, "use:"+secret), "dXNlOk***g=="},
		{"bytes after", b64(base64.StdEncoding, "use:"+secret+"&more=1"), "dXNlOk***iZtb3JlPTE="},
	} {
		if got := red.String(tc.in); got != tc.want {
			t.Errorf("%s: String(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// A coded form shorter than 32 bits of the secret is no form: it would
// mask a piece of any encoded text (the base64 "ZQ" of "e").
func TestShortCodedFormsLeftOut(t *testing.T) {
	for _, tc := range []struct {
		secret string
		want   []string
	}{
		{"e", nil},
		{"abc", nil},
		{"abcd", []string{"YWJjZA==", "YWJjZA", "61626364"}},
		{"abcde", []string{"YWJjZGU=", "YWJjZGU", "YWJjZG", "FiY2Rl", "hYmNkZ", "6162636465"}},
	} {
		got := Coded(tc.secret)
		if len(tc.want) == 0 && len(got) > 0 {
			t.Errorf("Coded(%q) = %q, want none", tc.secret, got)
		}
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("Coded(%q) = %q, want %q among them", tc.secret, got, w)
			}
		}
		for _, f := range got {
			if len(strings.TrimRight(f, "=")) < 6 {
				t.Errorf("Coded(%q) has %q, shorter than 32 bits", tc.secret, f)
			}
		}
	}
	if got := New([]string{"e"}).String("ZQ== 65 ZQ e"); got != "ZQ== 65 ZQ ***" {
		t.Errorf("a 1-byte secret masked more than itself: %q", got)
	}
}

// Cut masks the start of a coded form before the mark from 8 characters.
func TestCutMasksACodedFormsStart(t *testing.T) {
	red := New([]string{`Hunter2Pass<&">`})
	for _, tt := range []struct{ in, want string }{
		{`got "SHVudGVyMlBh…"`, `got "***…"`},
		{`got "SHVudGV…"`, `got "SHVudGV…"`},
	} {
		if got := red.Cut(tt.in, "…"); got != tt.want {
			t.Errorf("Cut(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// What Python's json.dumps and JSON Schema errors make of a secret is
// replaced too (audit S10: Kx7\ud83d\ude00pw, 'Kx7\'\u00a0Qw').
func TestPythonJSONAndSchemaQuotes(t *testing.T) {
	red := New([]string{"Kx7\U0001F600pw", "Kx7'\u00a0Qw", "café-Ω-secret"})
	for _, tc := range []struct{ in, want string }{
		{`{"v": "Kx7\ud83d\ude00pw"}`, `{"v": "***"}`},
		{`'Kx7\'\u00a0Qw' does not match pattern`, `'***' does not match pattern`},
		{`"caf\u00e9-\u03a9-secret"`, `"***"`},
	} {
		if got := red.String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A run that captured many secrets finds their risky forms in one pass
// over the text, and masks what a brute-force search masks.
func TestManySecrets(t *testing.T) {
	var secrets []string
	var in strings.Builder
	for i := range 100 {
		s := fmt.Sprintf("tok%03d-%03d", i, (i*7)%1000)
		secrets = append(secrets, s)
		fmt.Fprintf(&in, "%s %s %s|", s, join(s, fmt.Sprintf("%03d-end%d", (i*7)%1000, i)), base64.StdEncoding.EncodeToString([]byte("u:"+s)))
	}
	secrets = append(secrets, "000-end0")
	red := New(secrets)
	if red.find == nil || red.find.at == nil {
		t.Fatal("the risky forms are not looked for in one pass")
	}
	var forms []string
	for _, s := range secrets {
		forms = append(append(forms, Forms(s)...), Coded(s)...)
	}
	if got, want := maskRuns.ReplaceAllString(red.String(in.String()), Mask), bruteMask(in.String(), forms); got != want {
		t.Errorf("String masks other bytes than a brute-force search:\n got %q\nwant %q", got, want)
	}
}

// Secrets captured while other goroutines redact (a parallel run): no
// race, and each String sees the secrets added before it.
func TestAddWhileRedacting(t *testing.T) {
	red := New([]string{"hello-OVERLAP"})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				tok := fmt.Sprintf("tok-%d-%03d-OVERLAP", g, i)
				red.Add(tok)
				if got := red.String("a " + tok + "world b"); got != "a ***world b" {
					t.Errorf("String = %q", got)
				}
				red.Cut("x tok-1-00…", "…")
			}
		}()
	}
	wg.Wait()
}

// A 1-byte secret inside the access key, among many secrets, is no form a
// finder looks for (it has no 2 first bytes).
func TestOneByteSecretInTheAccessKey(t *testing.T) {
	secrets := []string{"K"}
	for i := range 40 {
		secrets = append(secrets, fmt.Sprintf("ab%02dab", i))
	}
	red := New(secrets, "AKIDK123", "AKID…")
	if got := red.String("AKIDK123 K ab07ab07ab"); got != "AKID… *** ***" {
		t.Errorf("String = %q", got)
	}
}

// docs/spec-format.md states the rule of minCodedBits.
func TestDocsStateTheCodedMinimum(t *testing.T) {
	doc, err := os.ReadFile("../../docs/spec-format.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ")
	if want := fmt.Sprintf("at least %d bits of the secret", minCodedBits); !strings.Contains(text, want) {
		t.Errorf("docs/spec-format.md does not say %q", want)
	}
}
