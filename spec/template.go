package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Template is a JSON-like value (nil, bool, string, json.Number, []any,
// map[string]any) in which ${NAME} references to captures remain to be
// substituted at run time. Everything known at load time (suite variables,
// --var, --var-file, ${env.NAME}) is already substituted. A Template is
// read-only and safe for concurrent use; a nil *Template resolves to nil.
type Template struct {
	static any
	dyn    tnode // nil when the template is static
}

// Static reports whether the template needs no run-time variables.
func (t *Template) Static() bool { return t == nil || t.dyn == nil }

// Resolve returns the value with every capture reference substituted from
// vars. A whole-scalar reference keeps the variable's type; inside a longer
// string the value is formatted as text (strings as they are, numbers as
// written, booleans as true/false, null as null, objects and arrays as
// compact JSON). A static template returns its value without allocating.
// The returned value is shared: callers must not modify it. A reference to a
// name that vars lacks is an error.
func (t *Template) Resolve(vars map[string]any) (any, error) {
	if t == nil {
		return nil, nil
	}
	if t.dyn == nil {
		return t.static, nil
	}
	return t.dyn.resolve(vars)
}

// String returns the template as text, for messages and listings: a static
// value formatted as text (strings as they are, other values as JSON); a
// dynamic one written back with its ${NAME} references (a string as it is,
// an object or array as JSON-like text).
func (t *Template) String() string {
	if t == nil {
		return ""
	}
	if t.dyn == nil {
		return formatText(t.static)
	}
	var b strings.Builder
	switch n := t.dyn.(type) {
	case concatNode:
		n.text(&b)
	default:
		n.source(&b)
	}
	return b.String()
}

// tnode is one precompiled part of a dynamic template.
type tnode interface {
	resolve(vars map[string]any) (any, error)
	source(b *strings.Builder)
}

// litNode is a constant subtree.
type litNode struct{ v any }

func (n litNode) resolve(map[string]any) (any, error) { return n.v, nil }
func (n litNode) source(b *strings.Builder) {
	j, err := marshalJSON(n.v)
	if err != nil {
		b.WriteString(formatText(n.v))
		return
	}
	b.Write(j)
}

// refNode is a whole-scalar reference: it keeps the variable's type.
type refNode struct{ name string }

func (n refNode) resolve(vars map[string]any) (any, error) { return lookupRun(vars, n.name) }
func (n refNode) source(b *strings.Builder)                { b.WriteString("${" + n.name + "}") }

// concatNode is a string with references inside.
type concatNode struct{ parts []strPart }

// strPart is a literal (ref == "") or a reference.
type strPart struct {
	lit string
	ref string
}

func (n concatNode) resolve(vars map[string]any) (any, error) {
	var b strings.Builder
	for _, p := range n.parts {
		if p.ref == "" {
			b.WriteString(p.lit)
			continue
		}
		v, err := lookupRun(vars, p.ref)
		if err != nil {
			return nil, err
		}
		b.WriteString(formatText(v))
	}
	return b.String(), nil
}

func (n concatNode) source(b *strings.Builder) {
	b.WriteByte('"')
	n.text(b)
	b.WriteByte('"')
}

// text writes the string with its references, unquoted.
func (n concatNode) text(b *strings.Builder) {
	for _, p := range n.parts {
		if p.ref == "" {
			b.WriteString(strings.ReplaceAll(p.lit, "${", "$${"))
		} else {
			b.WriteString("${" + p.ref + "}")
		}
	}
}

// mapNode is an object with at least one dynamic value.
type mapNode struct {
	keys []string
	vals []tnode
}

func (n mapNode) resolve(vars map[string]any) (any, error) {
	m := make(map[string]any, len(n.keys))
	for i, k := range n.keys {
		v, err := n.vals[i].resolve(vars)
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, nil
}

func (n mapNode) source(b *strings.Builder) {
	b.WriteByte('{')
	for i, k := range n.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(k) + ":")
		n.vals[i].source(b)
	}
	b.WriteByte('}')
}

// listNode is an array with at least one dynamic item.
type listNode struct{ items []tnode }

func (n listNode) resolve(vars map[string]any) (any, error) {
	l := make([]any, len(n.items))
	for i, it := range n.items {
		v, err := it.resolve(vars)
		if err != nil {
			return nil, err
		}
		l[i] = v
	}
	return l, nil
}

func (n listNode) source(b *strings.Builder) {
	b.WriteByte('[')
	for i, it := range n.items {
		if i > 0 {
			b.WriteByte(',')
		}
		it.source(b)
	}
	b.WriteByte(']')
}

func lookupRun(vars map[string]any, name string) (any, error) {
	v, ok := vars[name]
	if !ok {
		return nil, fmt.Errorf("variable %s has no value: the step that captures it did not run or did not capture it", name)
	}
	return v, nil
}

// newTemplate wraps a compiled node: a literal becomes a static template.
func newTemplate(n tnode) *Template {
	if l, ok := n.(litNode); ok {
		return &Template{static: l.v}
	}
	return &Template{dyn: n}
}

// firstRef returns the first run-time reference of a node, or "".
func firstRef(n tnode) string {
	switch n := n.(type) {
	case refNode:
		return n.name
	case concatNode:
		for _, p := range n.parts {
			if p.ref != "" {
				return p.ref
			}
		}
	case mapNode:
		for _, v := range n.vals {
			if r := firstRef(v); r != "" {
				return r
			}
		}
	case listNode:
		for _, v := range n.items {
			if r := firstRef(v); r != "" {
				return r
			}
		}
	}
	return ""
}

// tpart is one piece of a parsed "${...}" string: a literal, a variable
// reference, or an environment reference with an optional default.
type tpart struct {
	lit    string
	name   string // variable or environment name; "" for a literal
	env    bool
	hasDef bool
	def    string
	off    int // byte offset of the reference in the source string
}

// parseTemplate splits s into literals and references. "$${" is a literal
// "${". The literal parts are merged, so a string without references yields
// at most one part.
func parseTemplate(s string) ([]tpart, error) {
	if !strings.Contains(s, "${") {
		if s == "" {
			return nil, nil
		}
		return []tpart{{lit: s}}, nil
	}
	var parts []tpart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, tpart{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "$${") {
			lit.WriteString("${")
			i += 3
			continue
		}
		if !strings.HasPrefix(s[i:], "${") {
			lit.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			return nil, fmt.Errorf("unterminated reference %q: close it with }, or write $${ for a literal ${", clip(s[i:]))
		}
		inner := s[i+2 : i+2+end]
		p := tpart{off: i}
		ref := inner
		if rest, ok := strings.CutPrefix(inner, "env."); ok {
			p.env = true
			ref = rest
			if name, def, ok := strings.Cut(rest, ":-"); ok {
				ref, p.def, p.hasDef = name, def, true
			}
		}
		if !validName(ref) {
			what := "a variable"
			if p.env {
				what = "an environment variable"
			}
			return nil, fmt.Errorf("invalid reference ${%s}: %s name is a letter or _ followed by letters, digits or _ (write ${NAME}, ${env.NAME} or ${env.NAME:-default})", clip(inner), what)
		}
		p.name = ref
		flush()
		parts = append(parts, p)
		i += 2 + end + 1
	}
	flush()
	return parts, nil
}

// clipMark ends a value that clip cut short; Load masks a secret's start
// that stands before it (redact.Redactor.Cut).
const clipMark = "…"

// clip shortens s for messages, to 40 bytes and clipMark.
func clip(s string) string {
	if len(s) > 40 {
		for i := 40; i > 0; i-- {
			if i < len(s) && (s[i]&0xC0) != 0x80 {
				return s[:i] + clipMark
			}
		}
	}
	return s
}

// validName reports whether s is a variable name: [A-Za-z_][A-Za-z0-9_]*.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// formatText formats a value as it appears inside a longer string.
func formatText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return strconv.FormatFloat(v, 'g', -1, 64)
		}
		if v == math.Trunc(v) && math.Abs(v) < 1e21 {
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	default: // objects and arrays as compact JSON
		b, err := marshalJSON(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
}

// marshalJSON encodes v compactly, without HTML escaping and without a
// trailing newline. Object keys come out sorted.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
