package runner

import (
	"encoding/json"
	"testing"
	"unsafe"
)

// A captured secret is kept by the redactor for the rest of the run: it must
// keep copies, not substrings that keep each response body's text alive.
func TestRedactorKeepsCopiesOfCapturedSecrets(t *testing.T) {
	text := `{"token":"tok-123456","pin":12345678,"nested":{"k":["s3cr3t-value"]}}`
	sub := func(v string) string {
		for i := range len(text) - len(v) + 1 {
			if text[i:i+len(v)] == v {
				return text[i : i+len(v)] // shares text's memory
			}
		}
		t.Fatalf("%q not in the text", v)
		return ""
	}
	captured := map[string]any{
		"token":  sub("tok-123456"),
		"pin":    json.Number(sub("12345678")),
		"nested": map[string]any{"k": []any{sub("s3cr3t-value")}},
	}
	red := newRedactor(nil, "")
	red.add(captured)
	if len(red.secrets) != 3 {
		t.Fatalf("secrets %q; want the three leaves", red.secrets)
	}
	start := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	for _, s := range red.secrets {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); p >= start && p < start+uintptr(len(text)) {
			t.Errorf("the redactor keeps %q inside the response's text; want a copy", s)
		}
	}
	if got := red.text("a tok-123456 b 12345678 c s3cr3t-value"); got != "a *** b *** c ***" {
		t.Errorf("redacted %q", got)
	}
}
