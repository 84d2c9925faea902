// Package redact is specrun's one redactor: it replaces secret values with
// "***" in every form specrun's outputs can give them.
//
// A secret rarely appears as written. An action that echoes it returns it
// JSON-escaped; a secret in an action name is URL-encoded in the request
// line; an error message quotes it as Go does (%q); JUnit XML-escapes it,
// TAP's YAML quotes it, a failing node names it in a JSONPath or a JSON
// pointer. New computes each secret's forms once (every encoder, and every
// encoder applied to the output of another: a JSON body inside the JSON
// report, JSON inside XML), and one strings.Replacer replaces them all,
// longest first.
//
// Redact text before cutting it to a length: a cut secret has a visible
// prefix that no longer matches.
package redact

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/theory/jsonpath/spec"
	"go.yaml.in/yaml/v3"
)

// Mask is what every form of a secret becomes.
const Mask = "***"

// Redactor replaces secrets, in every form, with Mask. The zero value and a
// nil *Redactor redact nothing. It is safe for concurrent use.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
	forms   []string        // every form of every secret, longest first
	seen    map[string]bool // the members of forms
	aliases []string        // old, new pairs replaced as they are
	r       *strings.Replacer
}

// New returns a redactor of secrets (empty strings are ignored) that also
// replaces each aliases pair's first string, as written, by its second (the
// access key by its short form).
func New(secrets []string, aliases ...string) *Redactor {
	red := &Redactor{aliases: aliases}
	red.Add(secrets...)
	return red
}

// Add redacts values from now on too (a secret captured at run time).
func (red *Redactor) Add(values ...string) {
	red.mu.Lock()
	defer red.mu.Unlock()
	if red.seen == nil {
		red.seen = map[string]bool{}
	}
	added := false
	for _, v := range values {
		if v == "" || slices.Contains(red.secrets, v) {
			continue
		}
		red.secrets = append(red.secrets, v)
		for _, f := range Forms(v) {
			if !red.seen[f] {
				red.seen[f] = true
				red.forms = append(red.forms, f)
				added = true
			}
		}
	}
	if added || red.r == nil {
		red.build()
	}
}

// Secrets returns the secrets as given (not their forms).
func (red *Redactor) Secrets() []string {
	red.mu.RLock()
	defer red.mu.RUnlock()
	return slices.Clone(red.secrets)
}

// build makes the replacer of the forms and aliases; the caller holds mu
// for writing.
func (red *Redactor) build() {
	// Longer forms first: at one place in the text the replacer takes the
	// first pair that matches, so a secret that contains another, or a
	// form that extends another, is replaced whole.
	slices.SortStableFunc(red.forms, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(red.forms)+len(red.aliases))
	for _, f := range red.forms {
		pairs = append(pairs, f, Mask)
	}
	for i := 0; i+1 < len(red.aliases); i += 2 {
		if red.aliases[i] != "" {
			pairs = append(pairs, red.aliases[i], red.aliases[i+1])
		}
	}
	red.r = nil
	if len(pairs) > 0 {
		red.r = strings.NewReplacer(pairs...)
	}
}

// String returns s with every form of every secret replaced by Mask.
func (red *Redactor) String(s string) string {
	if red == nil || s == "" {
		return s
	}
	red.mu.RLock()
	r := red.r
	red.mu.RUnlock()
	if r == nil {
		return s
	}
	// A strings.Replacer of several pairs returns a new copy even when it
	// replaced nothing; what keeps the result (an attempt's action name)
	// keeps s itself then, not one more copy per test.
	if out := r.Replace(s); out != s {
		return out
	}
	return s
}

// Cut returns String(s), and also masks the start of a secret's form that
// stands right before mark in s: the remains of a value that was cut short,
// and marked so, before its secrets were known (a load error quotes a value
// cut to 40 bytes before the variables that make secrets are all read).
// Where the secrets are known first, redact, then cut, and use String.
func (red *Redactor) Cut(s, mark string) string {
	s = red.String(s)
	if red == nil || mark == "" || !strings.Contains(s, mark) {
		return s
	}
	red.mu.RLock()
	forms := red.forms
	red.mu.RUnlock()
	var b strings.Builder
	for {
		i := strings.Index(s, mark)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		k := longestFormStart(s[:i], forms)
		b.WriteString(s[:i-k])
		if k > 0 {
			b.WriteString(Mask)
		}
		b.WriteString(mark)
		s = s[i+len(mark):]
	}
}

// longestFormStart is the length of the longest proper beginning of one of
// forms that text ends with, 0 if none does.
func longestFormStart(text string, forms []string) int {
	best := 0
	for _, f := range forms {
		for k := min(len(f)-1, len(text)); k > best; k-- {
			if strings.HasSuffix(text, f[:k]) {
				best = k
				break
			}
		}
	}
	return best
}

// encoders are the ways specrun's outputs, and the services it talks to,
// write a string inside a larger text. Each returns the form without
// surrounding quotes.
var encoders = []func(string) string{
	jsonText(true), jsonText(false),
	func(s string) string { return unquote(strconv.Quote(s)) },
	func(s string) string { return unquote(strconv.QuoteToASCII(s)) },
	xmlText(true), xmlText(false),
	html.EscapeString,
	namedEntities.Replace, // &quot; and &apos;, as other XML writers do
	url.PathEscape,
	func(s string) string { return (&url.URL{Path: s}).EscapedPath() },
	url.QueryEscape,
	yamlText,
	func(s string) string { return strings.NewReplacer("'", "''").Replace(s) }, // YAML single-quoted
	normalizedPathText,
	func(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }, // JSON pointer
}

var namedEntities = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

// Forms returns the forms of secret that Redactor replaces: the secret
// itself, each encoding of it, and each encoding of an encoding, without
// duplicates.
func Forms(secret string) []string {
	if secret == "" {
		return nil
	}
	forms := []string{secret}
	if strings.TrimFunc(secret, plain) == "" {
		return forms // no encoder changes it: its only form is itself
	}
	seen := map[string]bool{secret: true}
	add := func(f string) bool {
		if f == "" || seen[f] {
			return false
		}
		seen[f] = true
		forms = append(forms, f)
		return true
	}
	var once []string
	for _, enc := range encoders {
		if f := enc(secret); add(f) {
			once = append(once, f)
		}
	}
	for _, f := range once {
		for _, outer := range encoders {
			add(outer(f))
		}
	}
	return forms
}

// plain reports whether r is left as it is by every encoder.
func plain(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
}

func unquote(q string) string {
	if len(q) >= 2 {
		return q[1 : len(q)-1]
	}
	return q
}

// jsonText is encoding/json's form, with or without its HTML escapes
// (\u003c for <).
func jsonText(escapeHTML bool) func(string) string {
	return func(s string) string {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		if err := enc.Encode(s); err != nil {
			return s
		}
		return unquote(strings.TrimSuffix(b.String(), "\n"))
	}
}

// xmlText is encoding/xml's escaping of attribute values (newlines as
// &#xA;) or, without escapeNewline, of character data.
func xmlText(escapeNewline bool) func(string) string {
	return func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		if escapeNewline {
			return b.String()
		}
		return strings.ReplaceAll(b.String(), "&#xA;", "\n")
	}
}

// yamlText is the scalar as YAML writes it, without its quotes when quoted.
func yamlText(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return s
	}
	t := strings.TrimSuffix(string(out), "\n")
	if len(t) >= 2 && (t[0] == '"' || t[0] == '\'') && t[len(t)-1] == t[0] {
		return unquote(t)
	}
	return t
}

// normalizedPathText is the name as a JSONPath normalized path writes it.
func normalizedPathText(s string) string {
	p := spec.NormalizedPath{spec.Name(s)}.String() // $['…']
	return strings.TrimSuffix(strings.TrimPrefix(p, "$['"), "']")
}
