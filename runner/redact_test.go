package runner

import (
	"encoding/json"
	"testing"
	"unsafe"

	"github.com/specrun/specrun/internal/redact"
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
	e := &engine{redact: redact.New(nil)}
	e.addSecret(captured)
	red := e.redact
	if len(red.Secrets()) != 3 {
		t.Fatalf("secrets %q; want the three leaves", red.Secrets())
	}
	start := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	for _, s := range red.Secrets() {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); p >= start && p < start+uintptr(len(text)) {
			t.Errorf("the redactor keeps %q inside the response's text; want a copy", s)
		}
	}
	if got := red.String("a tok-123456 b 12345678 c s3cr3t-value"); got != "a *** b *** c ***" {
		t.Errorf("redacted %q", got)
	}
}
