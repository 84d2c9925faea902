package main

import (
	"strings"
	"testing"

	"github.com/specrun/specrun/internal/jsonltest"
)

// TestFormatJSONL: a real run's stream has run_start first, a test_start
// before each test's attempts and test_end, and run_end last with the
// shared counts; it never holds the --secret value.
func TestFormatJSONL(t *testing.T) {
	c := newCLI(t)
	o := c.run("--local", "testdata/manifest.yaml", "--format", "jsonl", "--secret", "token", "testdata/fail")
	if o.code != 1 {
		t.Fatalf("want exit 1: %s", o)
	}
	if strings.Contains(o.stdout, "tok-SECRET-123") {
		t.Fatal("the secret reached the stream")
	}
	lines := jsonltest.Lines(t, o.stdout)
	started := map[string]bool{}
	for i, l := range lines {
		name, _ := l["test"].(string)
		switch l["event"] {
		case "test_start":
			started[name] = true
		case "attempt", "test_end":
			if !started[name] {
				t.Errorf("line %d: %s of %q before its test_start", i+1, l["event"], name)
			}
		}
	}
	first, last := lines[0], lines[len(lines)-1]
	counts, _ := last["counts"].(map[string]any)
	if first["event"] != "run_start" || first["total"] != float64(4) || last["event"] != "run_end" || counts["total"] != float64(4) || counts["failed"] != float64(3) {
		t.Errorf("stream:\n%s", o.stdout)
	}
}
