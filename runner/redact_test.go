package runner

import (
	"encoding/json"
	"testing"

	"github.com/specrun/specrun/internal/redact"
)

// A captured value's leaves, strings and numbers at any depth, become
// secrets the redactor hides for the rest of the run.
func TestRedactorKeepsCapturedLeaves(t *testing.T) {
	captured := map[string]any{
		"token":  "tok-123456",
		"pin":    json.Number("12345678"),
		"nested": map[string]any{"k": []any{"s3cr3t-value"}},
	}
	e := &engine{redact: redact.New(nil)}
	e.addSecret(captured)
	red := e.redact
	if len(red.Secrets()) != 3 {
		t.Fatalf("secrets %q; want the three leaves", red.Secrets())
	}
	if got := red.String("a tok-123456 b 12345678 c s3cr3t-value"); got != "a *** b *** c ***" {
		t.Errorf("redacted %q", got)
	}
}
