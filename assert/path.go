package assert

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/theory/jsonpath"
	"github.com/theory/jsonpath/spec"
)

// Path is a compiled RFC 9535 JSONPath query. A Path is read-only and safe
// for concurrent use.
type Path struct {
	text  string
	jp    *jsonpath.Path
	steps []step // the simple form of the query, when simple is true
	// simple is true when every segment is a child segment with one name,
	// index or wildcard selector; such paths are walked without allocating.
	simple   bool
	singular bool // simple and without wildcards
}

type stepKind uint8

const (
	stepName stepKind = iota
	stepIndex
	stepWildcard
)

type step struct {
	kind  stepKind
	name  string
	index int
}

// ParsePath compiles a JSONPath query. A query that does not start with "$"
// is read as "$." followed by it, so "content.response.result" works, and
// one that starts with "[" as "$" followed by it. The error names the path
// and says what is wrong; it wraps jsonpath.ErrPathParse for syntax errors.
func ParsePath(s string) (*Path, error) {
	q := strings.TrimSpace(s)
	switch {
	case q == "":
		return nil, errors.New("empty JSONPath: write a query such as content.response.result or $.content")
	case strings.HasPrefix(q, "$"):
	case strings.HasPrefix(q, "["):
		q = "$" + q
	default:
		q = "$." + q
	}
	jp, err := jsonpath.Parse(q)
	if err != nil {
		if q != s {
			return nil, fmt.Errorf("invalid JSONPath %q (read as %q): %w", s, q, err)
		}
		return nil, fmt.Errorf("invalid JSONPath %q: %w", s, err)
	}
	p := &Path{text: s, jp: jp}
	p.compileSteps()
	return p, nil
}

// compileSteps recognizes queries made of child segments with one name,
// index or wildcard selector each.
func (p *Path) compileSteps() {
	segs := p.jp.Query().Segments()
	steps := make([]step, 0, len(segs))
	singular := true
	for _, seg := range segs {
		sels := seg.Selectors()
		if seg.IsDescendant() || len(sels) != 1 {
			return
		}
		switch sel := sels[0].(type) {
		case spec.Name:
			steps = append(steps, step{kind: stepName, name: string(sel)})
		case spec.Index:
			steps = append(steps, step{kind: stepIndex, index: int(sel)})
		case spec.WildcardSelector:
			steps = append(steps, step{kind: stepWildcard})
			singular = false
		default:
			return
		}
	}
	p.steps, p.simple, p.singular = steps, true, singular
}

// selectInto appends the selected nodes to out, walking simple paths itself
// (in an unspecified order for wildcards over objects) and leaving the
// others to the library.
func (p *Path) selectInto(doc any, out []any) []any {
	if p.simple {
		if p.singular {
			if v, found, ok := walkSingular(doc, p.steps); ok {
				if found {
					out = append(out, v)
				}
				return out
			}
		} else if c := (collector{}); walkSteps(doc, p.steps, &c) {
			// c.out lives on the heap; out stays on the caller's stack.
			if len(out) == 0 {
				return c.out
			}
			return append(out, c.out...)
		}
	}
	return append(out, p.jp.Select(doc)...)
}

// isScalar reports whether v is a JSON scalar the walkers understand; other
// types (maps and slices of other element types) go to the library.
func isScalar(v any) bool {
	switch v.(type) {
	case nil, bool, string, json.Number, float64, int, int64:
		return true
	}
	return false
}

func walkSingular(v any, steps []step) (node any, found, ok bool) {
	for _, st := range steps {
		switch x := v.(type) {
		case map[string]any:
			if st.kind != stepName {
				return nil, false, true
			}
			if v, found = x[st.name]; !found {
				return nil, false, true
			}
		case []any:
			if st.kind != stepIndex {
				return nil, false, true
			}
			i := st.index
			if i < 0 {
				i += len(x)
			}
			if i < 0 || i >= len(x) {
				return nil, false, true
			}
			v = x[i]
		default:
			return nil, false, isScalar(v)
		}
	}
	return v, true, true
}

// collector receives the nodes of walkSteps; it only counts them when
// countOnly is set.
type collector struct {
	out       []any
	n         int
	countOnly bool
}

func (c *collector) add(v any) {
	c.n++
	if !c.countOnly {
		c.out = append(c.out, v)
	}
}

func walkSteps(v any, steps []step, c *collector) bool {
	for si, st := range steps {
		var done, ok bool
		switch x := v.(type) {
		case map[string]any:
			v, done, ok = mapStep(x, st, steps[si+1:], c)
		case []any:
			v, done, ok = arrayStep(x, st, steps[si+1:], c)
		default:
			return isScalar(v)
		}
		if done {
			return ok
		}
	}
	c.add(v)
	return true
}

// mapStep applies st to the object x. A name step moves to the member it
// names (done when there is none); a wildcard walks rest from every member
// and is done with that walk's result; any other step selects nothing.
func mapStep(x map[string]any, st step, rest []step, c *collector) (next any, done, ok bool) {
	switch st.kind {
	case stepName:
		if next, found := x[st.name]; found {
			return next, false, true
		}
		return nil, true, true
	case stepWildcard:
		for _, e := range x {
			if !walkSteps(e, rest, c) {
				return nil, true, false
			}
		}
		return nil, true, true
	default:
		return nil, true, true
	}
}

// arrayStep applies st to the array x. An index step (negative from the
// end) moves to that element (done when out of range); a wildcard collects
// every element when it is the last step, else walks rest from each and is
// done with that walk's result; any other step selects nothing.
func arrayStep(x []any, st step, rest []step, c *collector) (next any, done, ok bool) {
	switch st.kind {
	case stepIndex:
		i := st.index
		if i < 0 {
			i += len(x)
		}
		if i < 0 || i >= len(x) {
			return nil, true, true
		}
		return x[i], false, true
	case stepWildcard:
		if len(rest) == 0 {
			c.n += len(x)
			if !c.countOnly {
				c.out = append(c.out, x...)
			}
			return nil, true, true
		}
		for _, e := range x {
			if !walkSteps(e, rest, c) {
				return nil, true, false
			}
		}
		return nil, true, true
	default:
		return nil, true, true
	}
}

// count returns the number of nodes the path selects in doc.
func (p *Path) count(doc any) int {
	if p.simple {
		if p.singular {
			if _, found, ok := walkSingular(doc, p.steps); ok {
				if found {
					return 1
				}
				return 0
			}
		} else if c := (collector{countOnly: true}); walkSteps(doc, p.steps, &c) {
			return c.n
		}
	}
	return len(p.jp.Select(doc))
}

// MustParsePath is ParsePath that panics on error, for tests and constants.
func MustParsePath(s string) *Path {
	p, err := ParsePath(s)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the path as the user wrote it.
func (p *Path) String() string { return p.text }

// Query returns the compiled query in the library's canonical form, e.g.
// $["content"]["id"] for content.id; it is for display (the library writes
// some runes as \U escapes that it does not read back).
func (p *Path) Query() string { return p.jp.String() }

// Select returns the nodes the path selects in doc: in document order for
// arrays, in an unspecified order for the members of an object selected by a
// wildcard or filter. The returned slice is new; the nodes are doc's own
// values (not copies).
func (p *Path) Select(doc any) []any { return p.selectInto(doc, nil) }

// Node is a selected value with its location.
type Node struct {
	// Path is the normalized path of the value, e.g. $['content']['id'].
	Path string
	// Value is the selected value (doc's own, not a copy).
	Value any
}

// SelectLocated returns the nodes the path selects in doc with their
// normalized paths, sorted by normalized path (document order for arrays,
// key order for objects), so the order is the same on every call.
func (p *Path) SelectLocated(doc any) []Node {
	located := p.jp.SelectLocated(doc)
	located.Sort()
	out := make([]Node, len(located))
	for i, n := range located {
		out[i] = Node{Path: n.Path.String(), Value: n.Node}
	}
	return out
}
