package assert

import (
	"slices"
	"testing"
)

// sameNodes reports whether the fast walker and the library select the same
// nodes (as multisets: wildcards over objects have no order) and count them
// alike.
func sameNodes(t testing.TB, p *Path, doc any) {
	t.Helper()
	got, want := formatSorted(p.Select(doc)), formatSorted(p.jp.Select(doc))
	if !slices.Equal(got, want) {
		t.Fatalf("%s: Select = %q, library selects %q", p, got, want)
	}
	if n := p.count(doc); n != len(want) {
		t.Fatalf("%s: count = %d, library selects %d", p, n, len(want))
	}
}

func TestFastWalkMatchesLibrary(t *testing.T) {
	doc := decode(t, sampleDoc)
	odd := map[string]any{"m": map[string]string{"a": "x"}, "l": []string{"p", "q"}, "n": []any{map[string]int{"z": 1}}}
	cases := []struct {
		name   string
		path   string
		simple bool
	}{
		{"names", "content.response.status", true},
		{"missing name", "content.nope.x", true},
		{"name on an array", "content.response.result.items.id", true},
		{"index on an object", "content.response[0]", true},
		{"negative index", "content.response.result.items[-1].id", true},
		{"index out of range", "content.response.result.items[-4]", true},
		{"wildcard on an array", "content.response.result.items[*].tags[*]", true},
		{"wildcard on an object", "content.response.result.meta.*", true},
		{"wildcard at the end", "content.response.result.items[*]", true},
		{"wildcard on a scalar", "content.duration.*", true},
		{"root", "$", true},
		{"descendant goes to the library", "$..id", false},
		{"union goes to the library", "content.response['status','success']", false},
		{"slice goes to the library", "content.response.result.items[0:2]", false},
		{"filter goes to the library", "content.response.result.items[?@.id > 1]", false},
		{"other map types", "m.a", true},
		{"other slice types", "l[1]", true},
		{"other types under a wildcard", "n[*].z", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := MustParsePath(c.path)
			if p.simple != c.simple {
				t.Errorf("simple = %v, want %v", p.simple, c.simple)
			}
			sameNodes(t, p, doc)
			sameNodes(t, p, odd)
		})
	}
}

func TestWildcardOverObjectIsStable(t *testing.T) {
	doc := decode(t, `{"m": {"e": 5, "a": 1, "c": 3, "b": 2, "d": 4}}`)
	a, err := New(MustParsePath("m.*"), []Op{{"lt", n("3")}, {"exists", false}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"lt: not less than 3 (node 3 of 5) @$['m']['c'] actual=3",
		"exists: 5 nodes selected @$['m']['a'] actual=1",
	}
	for i := 0; i < 20; i++ {
		var got []string
		for _, f := range a.Check(doc, nil) {
			got = append(got, summary(f))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Check = %q, want %q", got, want)
		}
	}
	loc := a.Path().SelectLocated(doc)
	if len(loc) != 5 || loc[0].Path != "$['m']['a']" || loc[4].Path != "$['m']['e']" {
		t.Errorf("SelectLocated is not sorted: %+v", loc)
	}
}

// formatSorted formats nodes and sorts them, to compare node lists as
// multisets (wildcards over objects select in no particular order).
func formatSorted(nodes []any) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = Format(n, 0, nil)
	}
	slices.Sort(out)
	return out
}
