// Package jsonltest checks JSON Lines output against the documented
// schema, docs/jsonl.schema.json. It is imported by tests only.
package jsonltest

import (
	"encoding/json"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Lines validates every line of out against docs/jsonl.schema.json and
// returns them decoded.
func Lines(t testing.TB, out string) []map[string]any {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	sch, err := jsonschema.NewCompiler().Compile(filepath.Join(filepath.Dir(self), "..", "..", "docs", "jsonl.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []map[string]any
	for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(l))
		if err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("line %d does not match docs/jsonl.schema.json: %v\n%s", i+1, err, l)
		}
		var m map[string]any
		_ = json.Unmarshal([]byte(l), &m)
		lines = append(lines, m)
	}
	return lines
}
