package assert

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEqual(t *testing.T) {
	cases := []struct {
		name string
		a, b any
		want bool
	}{
		{"integer equals decimal", n("1"), n("1.0"), true},
		{"exponent equals integer", n("1e2"), n("100"), true},
		{"negative exponent", n("0.015"), n("15e-3"), true},
		{"leading zeros in fraction", n("0.0010"), n("1E-3"), true},
		{"json.Number equals int", n("42"), 42, true},
		{"json.Number equals int64", n("-42"), int64(-42), true},
		{"json.Number equals float64", n("0.1"), 0.1, true},
		{"float64 equals int", 3.0, 3, true},
		{"zero equals negative zero", n("0"), n("-0.0"), true},
		{"different numbers", n("1"), n("1.0000000000000001"), false},
		{"big integers exact", n("9007199254740993"), n("9007199254740992"), false},
		{"big integers equal", n("123456789012345678901234567890"), n("1.2345678901234567890123456789e29"), true},
		{"huge exponents differ", n("1e999999999"), n("1e999999998"), false},
		{"number is not a string", n("1"), "1", false},
		{"bool", true, true, true},
		{"bool differs", true, false, false},
		{"null", nil, nil, true},
		{"null is not false", nil, false, false},
		{"strings", "a", "a", true},
		{"arrays", []any{n("1"), "x"}, []any{1, "x"}, true},
		{"arrays of different length", []any{n("1")}, []any{n("1"), n("1")}, false},
		{"arrays in order", []any{n("1"), n("2")}, []any{n("2"), n("1")}, false},
		{"objects", map[string]any{"a": n("1.0")}, map[string]any{"a": 1}, true},
		{"objects with an extra key", map[string]any{"a": n("1")}, map[string]any{"a": n("1"), "b": nil}, false},
		{"objects with another key", map[string]any{"a": nil}, map[string]any{"b": nil}, false},
		{"object is not array", map[string]any{}, []any{}, false},
		{"NaN is not a number", n("1"), json.Number("NaN"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Equal(c.a, c.b); got != c.want {
				t.Errorf("Equal(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
			}
			if got := Equal(c.b, c.a); got != c.want {
				t.Errorf("Equal(%v, %v) (swapped) = %v, want %v", c.b, c.a, got, c.want)
			}
		})
	}
}

func TestCompareNumbers(t *testing.T) {
	cases := []struct {
		name string
		a, b any
		want int
	}{
		{"less", n("1"), n("2"), -1},
		{"greater by fraction", n("1.01"), n("1.001"), 1},
		{"negative less", n("-5"), n("-4.9"), -1},
		{"zero against negative", n("0"), n("-1e-9"), 1},
		{"zero against positive", n("0.0"), n("1e-9"), -1},
		{"exponent order", n("1e10"), n("9999999999"), 1},
		{"big integers", n("100000000000000000000001"), n("100000000000000000000000"), 1},
		{"int against json", 7, n("7.5"), -1},
		{"float against float", 2.5, 2.25, 1},
		{"equal", n("2.50"), 2.5, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := compareNumbers(c.a, c.b)
			if !ok || got != c.want {
				t.Errorf("compareNumbers(%v, %v) = %d, %v; want %d", c.a, c.b, got, ok, c.want)
			}
		})
	}
	for _, bad := range []any{"1", json.Number("1."), json.Number(".5"), json.Number("1e"), json.Number("--1"), json.Number("1x"), nil} {
		if _, ok := compareNumbers(bad, n("1")); ok {
			t.Errorf("compareNumbers(%#v, 1) accepted a non-number", bad)
		}
	}
}

func TestSubset(t *testing.T) {
	cases := []struct {
		name          string
		exp, act      string
		subset, error bool
	}{
		{"extra keys allowed", `{"a":1}`, `{"a":1.0,"b":2}`, true, true},
		{"nested objects recurse", `{"a":{"b":[1,{"c":2}]}}`, `{"a":{"b":[1,{"c":2,"d":3}],"x":0}}`, true, true},
		{"missing key", `{"a":1}`, `{"b":1}`, false, false},
		{"array length differs", `[1]`, `[1,2]`, false, false},
		{"array order matters", `[1,2]`, `[2,1]`, false, false},
		{"errorCode string matches number only in error mode", `{"errorCode":"80301"}`, `{"errorCode":80301}`, false, true},
		{"errorCode number matches string only in error mode", `{"errorCode":80301}`, `{"errorCode":"80301.0"}`, false, true},
		{"errorCode other value", `{"errorCode":"80301"}`, `{"errorCode":80302}`, false, false},
		{"errorCode non-numeric string", `{"errorCode":"abc"}`, `{"errorCode":0}`, false, false},
		{"nested errorCode", `{"error":{"errorCode":1}}`, `{"error":{"errorCode":"1"}}`, false, true},
		{"scalar against object", `1`, `{}`, false, false},
		{"null matches null", `null`, `null`, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, a := decode(t, c.exp), decode(t, c.act)
			if got := Subset(e, a); got != c.subset {
				t.Errorf("Subset = %v, want %v", got, c.subset)
			}
			if got := ErrorSubset(e, a); got != c.error {
				t.Errorf("ErrorSubset = %v, want %v", got, c.error)
			}
			if _, ok := DiffSubset(e, a, false, nil); ok != c.subset {
				t.Errorf("DiffSubset ok = %v, want %v", ok, c.subset)
			}
			if _, ok := DiffSubset(e, a, true, nil); ok != c.error {
				t.Errorf("DiffSubset(errorCode) ok = %v, want %v", ok, c.error)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	cases := []struct {
		name     string
		equal    bool // DiffEqual instead of DiffSubset
		exp, act string
		ptr      string
		diff     string
	}{
		{"scalar at the root", true, `3`, `4`, "", "expected 3, got 4"},
		{"nested array element", false, `{"items":[{"id":3}]}`, `{"items":[{"id":4,"x":1}]}`, "/items/0/id", "/items/0/id: expected 3, got 4"},
		{"missing key", false, `{"name":"a","b":1}`, `{"b":1}`, "/name", "/name: missing"},
		{"array length", false, `{"tags":["a","b"]}`, `{"tags":["a","b","c"]}`, "/tags", "/tags: expected 2 elements, got 3"},
		{"one element", true, `[1]`, `[]`, "", "expected 1 element, got 0"},
		{"type mismatch", false, `{"a":{"b":1}}`, `{"a":[1]}`, "/a", `/a: expected {"b":1}, got [1]`},
		{"escaped keys", false, `{"a/b":{"c~d":1}}`, `{"a/b":{"c~d":2}}`, "/a~1b/c~0d", "/a~1b/c~0d: expected 1, got 2"},
		{"empty key", false, `{"":1}`, `{"":2}`, "/", "/: expected 1, got 2"},
		{"several differences sorted by key", false, `{"b":1,"a":2,"c":3}`, `{"a":3,"b":1}`, "/a", "/a: expected 2, got 3\n/c: missing"},
		{"unexpected key under equals", true, `{"a":1}`, `{"a":1,"z":[1,2]}`, "/z", "/z: unexpected, got [1,2]"},
		{"long values are truncated", true, `"short"`, `"` + repeat("x", 100) + `"`, "",
			`expected "short", got "` + repeat("x", 79) + `…(+22 bytes)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, a := decode(t, c.exp), decode(t, c.act)
			var d Difference
			var ok bool
			if c.equal {
				d, ok = DiffEqual(e, a, nil)
			} else {
				d, ok = DiffSubset(e, a, false, nil)
			}
			if ok {
				t.Fatal("no difference found")
			}
			if d.Pointer != c.ptr || d.Diff != c.diff {
				t.Errorf("diff:\n got %q %q\nwant %q %q", d.Pointer, d.Diff, c.ptr, c.diff)
			}
		})
	}
}

func TestDiffCapsLines(t *testing.T) {
	exp := map[string]any{}
	for i := 0; i < 13; i++ {
		exp[string(rune('a'+i))] = n("1")
	}
	d, ok := DiffSubset(exp, map[string]any{}, false, nil)
	want := "/a: missing\n/b: missing\n/c: missing\n/d: missing\n/e: missing\n/f: missing\n/g: missing\n/h: missing\n/i: missing\n/j: missing\n… and 3 more"
	if ok || d.Diff != want || d.Pointer != "/a" {
		t.Errorf("diff = %q %q, want %q", d.Pointer, d.Diff, want)
	}
	if d, ok := DiffEqual(decode(t, `{"a":[1,{"b":2}]}`), decode(t, `{"a":[1.0,{"b":2e0}]}`), nil); !ok || d != (Difference{}) {
		t.Errorf("DiffEqual of equal values = %+v, %v", d, ok)
	}
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }

func TestFormat(t *testing.T) {
	big := map[string]any{"data": repeat("a", 20000)}
	cases := []struct {
		name string
		v    any
		max  int
		want string
	}{
		{"compact with sorted keys", map[string]any{"b": []any{n("1"), "x<y"}, "a": nil}, 0, `{"a":null,"b":[1,"x<y"]}`},
		{"fits exactly", "abc", 5, `"abc"`},
		{"truncated with a marker", big, 20, `{"data":"aaaaaaaaaaa…(+19991 bytes)`},
		{"cut on a rune boundary", "ééé", 4, `"é…(+5 bytes)`},
		{"no limit", n("12345678901234567890"), -1, "12345678901234567890"},
		{"not JSON", json.Number("x"), 0, "x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Format(c.v, c.max, nil); got != c.want {
				t.Errorf("Format = %q, want %q", got, c.want)
			}
		})
	}
	if got := len(big["data"].(string)); got != 20000 {
		t.Errorf("Format changed the value: length %d", got)
	}
}
