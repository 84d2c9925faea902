package spec

import (
	"encoding/json"
	"testing"

	"github.com/specrun/specrun/assert"
)

// TestAssertKeysDifferForDifferentOperands: identical checks share one
// compiled assertion, so two operands that are not equal must never get
// the same key (the check would assert the other's value).
func TestAssertKeysDifferForDifferentOperands(t *testing.T) {
	path, err := assert.ParsePath("$.a")
	if err != nil {
		t.Fatal(err)
	}
	operands := []any{
		"1", json.Number("1"), json.Number("1.0"), "true", true, false, nil, "null", "",
		"{}", map[string]any{}, "[]", []any{}, []any{"a"}, map[string]any{"a": "b"},
		"a\x00equals\x00b", "a\"", `s"a"`,
	}
	seen := map[string]any{}
	for _, v := range operands {
		k, ok := appendAssertKey(nil, path, "/dir", []assert.Op{{Name: "equals", Expected: v}})
		key := string(k)
		if !ok {
			t.Fatalf("%#v: no key", v)
		}
		if prev, dup := seen[key]; dup {
			t.Errorf("%#v and %#v share the key %q", prev, v, key)
		}
		seen[key] = v
	}
	// Two operators split differently must not meet either.
	k1, _ := appendAssertKey(nil, path, "/dir", []assert.Op{{Name: "equals", Expected: "a\x00equals\x00sb"}})
	k2, _ := appendAssertKey(nil, path, "/dir", []assert.Op{{Name: "equals", Expected: "a"}, {Name: "equals", Expected: "b"}})
	if string(k1) == string(k2) {
		t.Errorf("one operand and two share the key %q", k1)
	}
	// The same operand gets the same key, so that it is shared.
	a, _ := appendAssertKey(nil, path, "/dir", []assert.Op{{Name: "count", Expected: json.Number("2")}})
	b, _ := appendAssertKey(nil, path, "/dir", []assert.Op{{Name: "count", Expected: json.Number("2")}})
	if string(a) != string(b) {
		t.Errorf("equal operands: %q and %q", a, b)
	}
}

// TestPlainTextMatchesCheckText: the ASCII shortcut accepts only what the
// rune-by-rune check accepts.
func TestPlainTextMatchesCheckText(t *testing.T) {
	for c := range 256 {
		data := []byte{'a', ':', ' ', byte(c), '\n'}
		if plainText(data) {
			if _, msg, ok := checkRunes(data); !ok {
				t.Errorf("byte 0x%02x: plainText accepts what checkText rejects (%s)", c, msg)
			}
		}
	}
}
