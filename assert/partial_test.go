package assert

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// A Partial compiles its fixed operators once; Complete compiles only the
// late ones, and checks exactly as New does with every operator known.
func TestPartial(t *testing.T) {
	path := MustParsePath("content.name")
	fixed := Op{"matches", "^[a-z]+$"}
	p, err := NewPartial(path, []Op{fixed, {Name: "not_equals"}}, []int{1}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{"content": map[string]any{"name": "kim"}}
	for _, late := range []any{"lee", "kim"} {
		got, err := p.Complete([]any{late}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := New(path, []Op{fixed, {"not_equals", late}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		g, w := got.Check(doc, nil), want.Check(doc, nil)
		if len(g) != len(w) || (len(g) > 0 && g[0].Op != w[0].Op) {
			t.Errorf("not_equals %v: Complete's assertion gives %+v, New's %+v", late, g, w)
		}
	}
	// The regexp is not compiled again: completing costs the copy of the
	// operators, the assertion and the late operator.
	if n := testing.AllocsPerRun(100, func() { _, _ = p.Complete([]any{"lee"}, nil) }); n > 4 {
		t.Errorf("Complete made %v allocations; want at most 4 (the fixed regexp compiled again?)", n)
	}
}

func TestPartialErrors(t *testing.T) {
	path := MustParsePath("a")
	if _, err := NewPartial(path, []Op{{Name: "equal"}}, []int{0}, Options{}); err == nil || !strings.HasPrefix(err.Error(), "equal: unknown operator; valid operators: ") {
		t.Errorf("an unknown late operator: %v", err)
	}
	p, err := NewPartial(path, []Op{{"exists", true}, {Name: "gte"}}, []int{1}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Complete([]any{"abc"}, nil)
	var oe *OpError
	if !errors.As(err, &oe) || oe.Index != 1 || !strings.HasPrefix(err.Error(), "gte: needs a number") {
		t.Errorf("a late value unfit for its operator: %v", err)
	}
	if _, err := p.Complete(nil, nil); err == nil {
		t.Error("Complete with a missing late value did not fail")
	}
	if a, err := p.Complete([]any{json.Number("1")}, nil); err != nil || len(a.Check(map[string]any{"a": json.Number("2")}, nil)) != 0 {
		t.Errorf("a good late value: %v", err)
	}
}
