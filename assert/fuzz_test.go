package assert

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
)

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{
		"content.response.result", "$", "$.a[0]", "['a b'][*]", "items[?@.price > 10]",
		"$..id", "a[-1:0:-1]", "$[?length(@.tags) >= 1]", "a..", "$.a[0", "", "$[?match(@.n, 'h.*')]",
		"content.response.result.items[*].id", `$["\u00e9"]`, "$[?@.a == 1.0e2 && !@.b]",
	} {
		f.Add(s)
	}
	doc := decode(f, sampleDoc)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			if p != nil {
				t.Fatal("ParsePath returned a path and an error")
			}
			return
		}
		if p.String() != s {
			t.Fatalf("String() = %q, want %q", p.String(), s)
		}
		sameNodes(t, p, doc)
		nodes := p.Select(doc)
		located := p.SelectLocated(doc)
		if len(nodes) != len(located) {
			t.Fatalf("Select found %d nodes, SelectLocated %d", len(nodes), len(located))
		}
		// The library writes some names (e.g. private-use runes) as \U
		// escapes that it does not read back; when the canonical form does
		// parse, it must select the same nodes.
		if q, err := ParsePath(p.Query()); err == nil && !slices.Equal(formatSorted(q.Select(doc)), formatSorted(nodes)) {
			t.Fatalf("canonical query %q selects other nodes than %q", p.Query(), s)
		}
		a, err := New(p, []Op{{"exists", true}, {"count", json.Number("1")}, {"type", "string"}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		_ = a.Check(doc, nil)
	})
}

func decodeBytes(b []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil, false
	}
	return v, true
}

var fuzzJSONSeeds = [][2]string{
	{`1`, `1.0`}, {`1e2`, `100`}, {`{"a":[1,{"b":null}]}`, `{"a":[1,{"b":null,"c":2}]}`},
	{`[1,2]`, `[2,1]`}, {`"x"`, `"x"`}, {`9007199254740993`, `9007199254740992`},
	{`{"errorCode":"1"}`, `{"errorCode":1}`}, {`-0`, `0e5`}, {`0.1`, `1e-1`}, {`1E400`, `1e400`},
}

func FuzzEqual(f *testing.F) {
	for _, s := range fuzzJSONSeeds {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, x, y []byte) {
		a, okA := decodeBytes(x)
		b, okB := decodeBytes(y)
		if !okA || !okB {
			return
		}
		if !Equal(a, a) || !Equal(b, b) {
			t.Fatal("Equal is not reflexive")
		}
		eq := Equal(a, b)
		if eq != Equal(b, a) {
			t.Fatal("Equal is not symmetric")
		}
		if _, ok := DiffEqual(a, b, nil); ok != eq {
			t.Fatalf("DiffEqual ok = %v, Equal = %v", ok, eq)
		}
		if eq && !Subset(a, b) {
			t.Fatal("equal values are not a subset of each other")
		}
		// Exact equality implies equality of the float64 approximations.
		na, isA := a.(json.Number)
		nb, isB := b.(json.Number)
		if isA && isB && eq {
			fa, errA := strconv.ParseFloat(string(na), 64)
			fb, errB := strconv.ParseFloat(string(nb), 64)
			if errA == nil && errB == nil && fa != fb {
				t.Fatalf("%s and %s are Equal but round to %v and %v", na, nb, fa, fb)
			}
			if c, ok := compareNumbers(a, b); !ok || c != 0 {
				t.Fatal("compareNumbers disagrees with Equal")
			}
		}
		if isA && isB && !eq {
			c1, ok1 := compareNumbers(a, b)
			c2, ok2 := compareNumbers(b, a)
			if !ok1 || !ok2 || c1 != -c2 || c1 == 0 {
				t.Fatalf("compareNumbers(%s, %s) = %d, reversed %d", na, nb, c1, c2)
			}
			fa, errA := strconv.ParseFloat(string(na), 64)
			fb, errB := strconv.ParseFloat(string(nb), 64)
			if errA == nil && errB == nil && fa != fb && (fa < fb) != (c1 < 0) {
				t.Fatalf("compareNumbers(%s, %s) = %d disagrees with float order", na, nb, c1)
			}
		}
	})
}

func FuzzSubset(f *testing.F) {
	for _, s := range fuzzJSONSeeds {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, x, y []byte) {
		e, okE := decodeBytes(x)
		a, okA := decodeBytes(y)
		if !okE || !okA {
			return
		}
		if !Subset(e, e) || !ErrorSubset(a, a) {
			t.Fatal("Subset is not reflexive")
		}
		sub := Subset(e, a)
		if sub && !ErrorSubset(e, a) {
			t.Fatal("ErrorSubset is stricter than Subset")
		}
		for _, code := range []bool{false, true} {
			want := sub
			if code {
				want = ErrorSubset(e, a)
			}
			d, ok := DiffSubset(e, a, code, nil)
			if ok != want {
				t.Fatalf("DiffSubset(errorCode=%v) ok = %v, want %v", code, ok, want)
			}
			if !ok && d.Diff == "" {
				t.Fatal("a failed subset match has an empty diff")
			}
		}
		if Subset(e, a) && Subset(a, e) && !Equal(e, a) {
			t.Fatal("mutual subsets are not Equal")
		}
	})
}
