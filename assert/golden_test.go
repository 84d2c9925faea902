package assert

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specrun/specrun/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestFailureGolden pins the full text of typical failures (String and Diff).
func TestFailureGolden(t *testing.T) {
	doc := decode(t, sampleDoc)
	const r = "content.response.result"
	items := []struct {
		path string
		ops  []Op
	}{
		{r, []Op{{"subset", map[string]any{
			"count": n("4"), "name": "hello", "missing": nil,
			"items": []any{map[string]any{"id": n("1")}, map[string]any{"id": n("3"), "tags": []any{"x"}}, map[string]any{}},
			"meta":  map[string]any{"b": []any{}},
		}}}},
		{r + ".items", []Op{{"equals", []any{map[string]any{"id": n("1")}}}}},
		{r + ".meta", []Op{{"equals", map[string]any{"a": n("1.0"), "b": map[string]any{"c": "x", "d": true}}}}},
		{r + ".items[*].id", []Op{{"count", map[string]any{"lt": n("3")}}, {"one_of", []any{n("1"), n("2")}}}},
		{r + ".missing", []Op{{"exists", true}, {"equals", "x"}, {"count", n("1")}}},
		{r + ".items[0]", []Op{{"schema", "item.schema.json"}, {"contains", map[string]any{"tags": []any{"a"}}}}},
	}
	var b strings.Builder
	for _, it := range items {
		a, err := New(MustParsePath(it.path), it.ops, Options{SchemaBase: "testdata"})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Check(doc, nil) {
			b.WriteString(f.String() + "\n")
			if f.Pointer != "" {
				b.WriteString("  pointer: " + f.Pointer + "\n")
			}
			for _, line := range strings.Split(f.Diff, "\n") {
				if line != "" {
					b.WriteString("  | " + line + "\n")
				}
			}
		}
	}
	golden.Check(t, filepath.Join("testdata", "failures.golden"), []byte(b.String()), *update)
}
