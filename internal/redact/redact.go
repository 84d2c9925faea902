// Package redact is specrun's one redactor: it replaces secret values with
// "***" in every form specrun's outputs can give them.
//
// A secret rarely appears as written. An action that echoes it returns it
// JSON-escaped; a secret in an action name is URL-encoded in the request
// line; an error message quotes it as Go does (%q); JUnit XML-escapes it,
// TAP's YAML quotes it, a failing node names it in a JSONPath or a JSON
// pointer. New computes each secret's forms once (every encoder, and every
// encoder applied to the output of another: a JSON body inside the JSON
// report, JSON inside XML), and its encodings by an action or a tool
// (base64, hex: Coded). One strings.Replacer replaces them all, longest
// first; where two forms can overlap, which its matches never do, the
// occurrences of those are found one by one and their union masked first.
//
// Redact text before cutting it to a length: a cut secret has a visible
// prefix that no longer matches.
package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

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
	coded   map[string]bool // the forms that are a base64 or hex encoding
	aliases []string        // old, new pairs replaced as they are
	r       *strings.Replacer
	// risky are the forms that can share bytes with a form (or with
	// itself, or with an alias) without one holding the other, as
	// "hello-OVERLAP" and "OVERLAPworld" do in "hello-OVERLAPworld", and
	// the forms that hold one of them. r, whose matches never overlap,
	// would leave a tail visible: String finds every occurrence of these
	// and masks their union before r replaces the rest.
	risky map[string]bool
	// find finds the occurrences of the risky forms, built with r.
	find *finder
}

// New returns a redactor of secrets (empty strings are ignored) that also
// replaces each aliases pair's first string, as written, by its second (the
// access key by its short form). Each of secrets is masked in all its forms
// and encodings, overlaps with the others included.
func New(secrets []string, aliases ...string) *Redactor {
	red := &Redactor{aliases: aliases}
	red.add(secrets, true)
	return red
}

// Add redacts values from now on too: a secret captured at run time. Its
// forms are masked as the secrets given to New are, but not its base64 or
// hex encodings, and an occurrence of it that shares bytes with another
// secret's (neither holding the other) may leave the other's tail
// visible: checking that for every value captured would cost time in the
// square of their number, and a run may capture one for each test.
func (red *Redactor) Add(values ...string) {
	red.add(values, false)
}

// add adds values; all says to add their encodings too and to look for
// overlaps with every form (New).
func (red *Redactor) add(values []string, all bool) {
	red.mu.Lock()
	defer red.mu.Unlock()
	if red.seen == nil {
		red.seen, red.coded, red.risky = map[string]bool{}, map[string]bool{}, map[string]bool{}
	}
	before := len(red.forms)
	for _, v := range values {
		if v == "" || slices.Contains(red.secrets, v) {
			continue
		}
		red.secrets = append(red.secrets, v)
		for _, f := range Forms(v) {
			red.addForm(f)
		}
		if !all {
			continue
		}
		for _, f := range Coded(v) {
			if red.addForm(f) {
				red.coded[f] = true
			}
		}
	}
	if len(red.forms) == before && red.r != nil {
		return
	}
	if all {
		red.markRisky(red.forms[before:])
	} else {
		// A form that holds a risky one must be found whole, or masking
		// the risky part first would leave the rest of it visible.
		red.growRisky(slices.Clone(red.forms[before:]))
	}
	red.build()
}

// addForm adds f to forms unless it is there; the caller holds mu.
func (red *Redactor) addForm(f string) bool {
	if red.seen[f] {
		return false
	}
	red.seen[f] = true
	red.forms = append(red.forms, f)
	return true
}

// markRisky adds to risky each of added that can share bytes with a form
// or an alias (added among them, itself included) without one holding the
// other, and each form that holds a risky one. Decided once per Add, so
// that String knows which forms to look for one by one.
func (red *Redactor) markRisky(added []string) {
	var keys []string
	for i := 0; i+1 < len(red.aliases); i += 2 {
		keys = append(keys, red.aliases[i])
	}
	changed := slices.Clone(added)
	for _, a := range added {
		for _, b := range red.forms {
			if borders(a, b) || borders(b, a) {
				red.risky[a] = true
				if !red.risky[b] {
					red.risky[b] = true
					changed = append(changed, b)
				}
			}
		}
		for _, k := range keys {
			// A form of 1 byte in the key is left to the replacer: it
			// has no part to overlap with, and a finder's forms have 2.
			if borders(a, k) || borders(k, a) || len(a) > 1 && strings.Contains(k, a) {
				red.risky[a] = true
			}
		}
	}
	red.growRisky(changed)
}

// growRisky adds to risky every form that holds a risky one, until none
// is left to add (masking the part alone would break the whole): each of
// changed (the forms added or made risky now) that holds a risky form, and
// each form that holds one of changed that is risky.
func (red *Redactor) growRisky(changed []string) {
	var queue []string
	for _, a := range changed {
		if red.risky[a] || red.holdsRisky(a) {
			red.risky[a] = true
			queue = append(queue, a)
		}
	}
	for len(queue) > 0 {
		g := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, f := range red.forms {
			if !red.risky[f] && len(f) > len(g) && strings.Contains(f, g) {
				red.risky[f] = true
				queue = append(queue, f)
			}
		}
	}
}

// holdsRisky reports whether f holds a risky form.
func (red *Redactor) holdsRisky(f string) bool {
	for g := range red.risky {
		if strings.Contains(f, g) {
			return true
		}
	}
	return false
}

// borders reports whether a proper suffix of a is a proper prefix of b:
// then "a" ending where "b" begins can share those bytes in a text.
func borders(a, b string) bool {
	if b == "" {
		return false
	}
	for i := 1; i < len(a); i++ {
		j := strings.IndexByte(a[i:], b[0])
		if j < 0 {
			return false
		}
		i += j
		if rest := a[i:]; len(rest) < len(b) && strings.HasPrefix(b, rest) {
			return true
		}
	}
	return false
}

// Secrets returns the secrets as given (not their forms).
func (red *Redactor) Secrets() []string {
	red.mu.RLock()
	defer red.mu.RUnlock()
	return slices.Clone(red.secrets)
}

// build makes the replacers of the forms and aliases; the caller holds mu
// for writing.
func (red *Redactor) build() {
	// Longer forms first: at one place in the text the replacer takes the
	// first pair that matches, so a secret that contains another, or a
	// form that extends another, is replaced whole.
	// A new slice: String and Cut read the one they took without the lock.
	red.forms = slices.Clone(red.forms)
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
	var risky []string
	for _, f := range red.forms {
		if red.risky[f] {
			risky = append(risky, f)
		}
	}
	red.find = newFinder(risky, fewForms)
}

// String returns s with every form of every secret replaced by Mask; a run
// of occurrences that overlap or touch becomes one Mask.
func (red *Redactor) String(s string) string {
	if red == nil || s == "" {
		return s
	}
	red.mu.RLock()
	r, find := red.r, red.find
	red.mu.RUnlock()
	if r == nil {
		return s
	}
	out := mask(s, find, r)
	// A strings.Replacer of several pairs returns a new copy even when it
	// replaced nothing; what keeps the result (an attempt's action name)
	// keeps s itself then, not one more copy per test.
	if out == s {
		return s
	}
	return out
}

// mask replaces each run of overlapping or touching occurrences of risky
// in s by one Mask, then, with r, every form and alias in the text between.
// An occurrence of a form that is not risky lies inside a run or wholly
// outside, and no match of r can hide a part of it: r masks it whole.
func mask(s string, find *finder, r *strings.Replacer) string {
	// Most texts hold no secret: one pass of r says so, and then no
	// risky form is there either.
	out := r.Replace(s)
	if out == s || find == nil {
		return out
	}
	spans := find.occurrences(s)
	if len(spans) == 0 {
		return out
	}
	var b strings.Builder
	b.Grow(len(s))
	at := 0
	for i := 0; i < len(spans); {
		start, end := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] <= end; i++ {
			end = max(end, spans[i][1])
		}
		b.WriteString(r.Replace(s[at:start]))
		b.WriteString(Mask)
		at = end
	}
	b.WriteString(r.Replace(s[at:]))
	return b.String()
}

// finder finds every occurrence of a set of forms in a text, overlapping
// ones included. A few forms are each looked for with strings.Index; many
// (a run that captured a thousand tokens) in one pass over the text, where
// a table of the forms' first two bytes skips most places at once.
type finder struct {
	forms []string // by their first two bytes, then longest first
	// firsts has the bit of each two first bytes (big-endian) a form has;
	// at[two] are the forms that start with them, as forms[lo:hi].
	firsts [1 << 16 / 64]uint64
	at     map[uint16][2]int
}

// fewForms is the most forms a finder looks for one by one.
const fewForms = 16

// newFinder is the finder of forms, each at least 2 bytes long (a form of
// 1 byte has no proper part to overlap with), that looks for up to few of
// them one by one; nil when there is none.
func newFinder(forms []string, few int) *finder {
	if len(forms) == 0 {
		return nil
	}
	f := &finder{forms: forms}
	if len(forms) <= few {
		return f
	}
	f.forms = slices.Clone(forms)
	slices.SortStableFunc(f.forms, func(a, b string) int { return strings.Compare(a[:2], b[:2]) })
	f.at = map[uint16][2]int{}
	for lo := 0; lo < len(f.forms); {
		hi := lo + 1
		for hi < len(f.forms) && f.forms[hi][:2] == f.forms[lo][:2] {
			hi++
		}
		two := uint16(f.forms[lo][0])<<8 | uint16(f.forms[lo][1])
		f.firsts[two/64] |= 1 << (two % 64)
		f.at[two] = [2]int{lo, hi}
		lo = hi
	}
	return f
}

// occurrences are the spans [start, end) of every occurrence of every form
// in s, by start.
func (f *finder) occurrences(s string) [][2]int {
	if f == nil {
		return nil
	}
	if f.at == nil {
		return f.eachForm(s)
	}
	var spans [][2]int
	for i := 0; i+1 < len(s); i++ {
		two := uint16(s[i])<<8 | uint16(s[i+1])
		if f.firsts[two/64]&(1<<(two%64)) == 0 {
			continue
		}
		r := f.at[two]
		for _, form := range f.forms[r[0]:r[1]] {
			if strings.HasPrefix(s[i:], form) {
				spans = append(spans, [2]int{i, i + len(form)})
			}
		}
	}
	return spans
}

// eachForm is occurrences, a form at a time.
func (f *finder) eachForm(s string) [][2]int {
	var spans [][2]int
	for _, form := range f.forms {
		for at := 0; ; {
			i := strings.Index(s[at:], form)
			if i < 0 {
				break
			}
			spans = append(spans, [2]int{at + i, at + i + len(form)})
			at += i + 1
		}
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	return spans
}

// minCodedCut is the shortest start of a base64 or hex form that Cut masks
// before a mark: 8 characters, 32 bits of the secret in hex, 48 in base64.
// A shorter start is as likely to be some other value's.
const minCodedCut = 8

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
	red.mu.RLock() // for coded, a map Add writes
	defer red.mu.RUnlock()
	forms, coded := red.forms, red.coded
	var b strings.Builder
	for {
		i := strings.Index(s, mark)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		k := longestFormStart(s[:i], forms, coded)
		b.WriteString(s[:i-k])
		if k > 0 {
			b.WriteString(Mask)
		}
		b.WriteString(mark)
		s = s[i+len(mark):]
	}
}

// longestFormStart is the length of the longest proper beginning of one of
// forms that text ends with, 0 if none does; of a coded form, a beginning
// of at least minCodedCut bytes.
func longestFormStart(text string, forms []string, coded map[string]bool) int {
	best := 0
	for _, f := range forms {
		least := 1
		if coded[f] {
			least = minCodedCut
		}
		for k := min(len(f)-1, len(text)); k > best && k >= least; k-- {
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
	jsonASCII,
	schemaQuote,
	func(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }, // JSON pointer
}

var namedEntities = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

// Forms returns the forms of secret that specrun's outputs write and
// Redactor replaces: the secret itself, each encoding of it, and each
// encoding of an encoding, without duplicates. Redactor also replaces
// Coded(secret).
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

// minCodedBits is how much of a secret a base64 or hex form must carry to
// be masked: 32 bits, a secret of 4 bytes or more (5 inside a longer base64
// text). A shorter form is a common piece of any encoded text: the base64
// of 1 byte, "ZQ" for "e", would mask every "ZQ" of every token.
const minCodedBits = 32

// base64Encodings are the alphabets an action or a tool encodes with.
var base64Encodings = []*base64.Encoding{base64.StdEncoding, base64.URLEncoding}

// Coded returns the forms of secret encoded as an action or a tool encodes
// it, each also in the forms the encoders give (a base64 text in a URL
// query): base64 in the standard and the URL alphabets, padded and not, as
// the whole encoded text and inside a longer one (for each of the three
// places the secret can start in a group of three bytes, the characters
// that depend on the secret alone, as GitHub Actions masks them), and
// lower- and upper-case hex. A form that carries fewer than minCodedBits
// bits of the secret is left out.
func Coded(secret string) []string {
	var forms []string
	for _, enc := range base64Encodings {
		forms = append(forms, base64Forms(secret, enc)...)
	}
	if 8*len(secret) >= minCodedBits {
		h := hex.EncodeToString([]byte(secret))
		forms = append(forms, h, strings.ToUpper(h))
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range forms {
		for _, g := range append([]string{f}, encodeEach(f)...) {
			if !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	return out
}

func encodeEach(s string) []string {
	out := make([]string, 0, len(encoders))
	for _, enc := range encoders {
		out = append(out, enc(s))
	}
	return out
}

// base64Forms are secret's forms in enc's alphabet: the whole encoding,
// padded and not, and, for 0, 1 and 2 bytes before the secret, the
// characters of the encoding that no byte before or after it changes.
func base64Forms(secret string, enc *base64.Encoding) []string {
	var out []string
	raw := enc.WithPadding(base64.NoPadding)
	if 8*len(secret) >= minCodedBits {
		out = append(out, enc.EncodeToString([]byte(secret)), raw.EncodeToString([]byte(secret)))
	}
	for before := range 3 {
		text := raw.EncodeToString(append(make([]byte, before), secret...))
		from := (8*before + 5) / 6           // the first character of the secret's bits alone
		to := 8 * (before + len(secret)) / 6 // past the last one
		if 6*(to-from) >= minCodedBits {
			out = append(out, text[from:to])
		}
	}
	return out
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

// jsonASCII is JSON as Python's json.dumps writes it by default: every
// character past ASCII as \uXXXX, one outside the Basic Multilingual Plane
// as its UTF-16 surrogate pair (\ud83d\ude00).
func jsonASCII(s string) string {
	var b strings.Builder
	for _, r := range jsonText(false)(s) {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		for _, u := range utf16.Encode([]rune{r}) {
			fmt.Fprintf(&b, "\\u%04x", u)
		}
	}
	return b.String()
}

// schemaQuote is a string as JSON Schema errors quote it: Go's %q without
// the escapes of ", and ' escaped ('it\'s').
func schemaQuote(s string) string {
	q := unquote(strconv.Quote(s))
	return strings.ReplaceAll(strings.ReplaceAll(q, `\"`, `"`), `'`, `\'`)
}

// normalizedPathText is the name as a JSONPath normalized path writes it.
func normalizedPathText(s string) string {
	p := spec.NormalizedPath{spec.Name(s)}.String() // $['…']
	return strings.TrimSuffix(strings.TrimPrefix(p, "$['"), "']")
}
