package jsontext

import (
	"bytes"
	"encoding/json"
	"testing"
)

// stdString is what encoding/json writes for s with HTML escaping off.
func stdString(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

var cases = []string{
	"", "plain", `quote " and backslash \`, "\b\f\n\r\t", "\x00\x01\x1f\x7f", "<a href='x'>&amp;</a>",
	"é ü 日本 😀", "\u2028\u2029", "bad \xff utf8 \xc3", "\xed\xa0\x80", "ends in \xe2\x82",
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range cases {
		if got, want := string(AppendString(nil, s)), stdString(t, s); got != want {
			t.Errorf("%q: got %s, encoding/json %s", s, got, want)
		}
	}
	if got := string(AppendString([]byte("x:"), "y")); got != `x:"y"` {
		t.Errorf("appending to a prefix gave %s", got)
	}
	// Like append, it writes into dst's spare capacity when there is enough.
	base := make([]byte, 2, 64)
	copy(base, "a:")
	if out := AppendString(base, "one"); string(out) != `a:"one"` || &out[0] != &base[0] {
		t.Errorf("appending into spare capacity gave %s (same array: %v)", out, &out[0] == &base[0])
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range cases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(AppendString(nil, s)), stdString(t, s); got != want {
			t.Fatalf("%q: got %s, encoding/json %s", s, got, want)
		}
	})
}

// BenchmarkAppendString is information on the cost of one short string (a
// variable's value in a request body, a name in an emulator answer).
func BenchmarkAppendString(b *testing.B) {
	buf := make([]byte, 0, 256)
	for b.Loop() {
		buf = AppendString(buf[:0], "order-12345 \"quoted\"")
	}
}
