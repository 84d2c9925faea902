package assert

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestSchema(t *testing.T) {
	doc := decode(t, `{"items": [{"id": 1, "tags": ["a"]}, {"id": 0, "tags": []}, {"id": 2, "tags": [3]}], "n": 1.5}`)
	inline := map[string]any{"type": "object", "required": []any{"id"}, "properties": map[string]any{"id": map[string]any{"type": "integer"}}}
	cases := []struct {
		name   string
		path   string
		schema any
		want   []string
	}{
		{"inline schema holds", "items[*]", inline, nil},
		{"inline schema fails on a number", "n", inline,
			[]string{"schema: does not match the schema: got number, want object @$['n'] actual=1.5"}},
		{"boolean schema true holds", "n", true, nil},
		{"file schema fails on the first bad node", "items[*]", "item.schema.json",
			[]string{"schema: does not match the schema at /id: minimum: got 0, want 1 (node 2 of 3) @$['items'][1] ptr=/id actual={\"id\":0,\"tags\":[]}"}},
		{"file schema holds", "items[0]", "item.schema.json", nil},
		{"absolute file path", "items[0]", mustAbs(t, "testdata/item.schema.json"), nil},
		{"file schema on no node", "zz", "item.schema.json", []string{"schema: no node selected actual=null"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := New(MustParsePath(c.path), []Op{{"schema", c.schema}}, Options{SchemaBase: "testdata"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range a.Check(doc, nil) {
				got = append(got, summary(f))
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Check:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func TestSchemaFileErrors(t *testing.T) {
	abs := mustAbs(t, "testdata")
	cases := []struct {
		name, file, want string
	}{
		{"missing file", "nope.json", `schema: schema file "nope.json" was not found (looked for ` + abs + `/nope.json): a relative path starts from the spec file's directory`},
		{"not JSON", "broken.schema.json", `schema: schema file "broken.schema.json" is not valid JSON: unexpected EOF`},
		{"invalid schema", "invalid.schema.json", `schema: schema file "invalid.schema.json" is not a valid JSON Schema: `},
		{"a directory", ".", `schema: schema file "." is not a regular file (` + abs + `): it is a directory; give the path of a JSON Schema file`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, cache := range []*SchemaCache{nil, {}} {
				_, err := New(MustParsePath("a"), []Op{{"schema", c.file}}, Options{SchemaBase: "testdata", Schemas: cache})
				if err == nil || !strings.HasPrefix(err.Error(), c.want) {
					t.Errorf("New error = %v, want prefix %q", err, c.want)
				}
			}
		})
	}
}

func TestSchemaCacheCompilesOnce(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.json")
	if err := os.WriteFile(file, []byte(`{"type": "string"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cache := &SchemaCache{}
	var wg sync.WaitGroup
	as := make([]*Assertion, 8)
	errs := make([]error, 8)
	for i := range as {
		wg.Add(1)
		go func() {
			defer wg.Done()
			as[i], errs[i] = New(MustParsePath("a"), []Op{{"schema", "s.json"}}, Options{SchemaBase: dir, Schemas: cache})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// The file changes, but the cache keeps the compiled schema.
	if err := os.WriteFile(file, []byte(`{"type": "number"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	again, err := New(MustParsePath("a"), []Op{{"schema", "./s.json"}}, Options{SchemaBase: dir, Schemas: cache})
	if err != nil {
		t.Fatal(err)
	}
	if cache.Len() != 1 {
		t.Errorf("cache holds %d schemas, want 1", cache.Len())
	}
	for _, a := range append(as, again) {
		if a.ops[0].check.(schemaOp).sch != as[0].ops[0].check.(schemaOp).sch {
			t.Fatal("assertions do not share the cached schema")
		}
		if f := a.Check(map[string]any{"a": "s"}, nil); f != nil {
			t.Errorf("cached schema did not hold: %v", f)
		}
	}
	// Without a cache, the file is read again.
	fresh, err := New(MustParsePath("a"), []Op{{"schema", "s.json"}}, Options{SchemaBase: dir})
	if err != nil {
		t.Fatal(err)
	}
	if f := fresh.Check(map[string]any{"a": "s"}, nil); len(f) != 1 {
		t.Errorf("uncached schema held on the changed file: %v", f)
	}
}

func TestCheckConcurrent(t *testing.T) {
	doc := decode(t, sampleDoc)
	a, err := New(MustParsePath("content.response.result.items[*]"), []Op{
		{"schema", "item.schema.json"}, {"count", n("3")}, {"contains", map[string]any{"id": n("9")}},
	}, Options{SchemaBase: "testdata"})
	if err != nil {
		t.Fatal(err)
	}
	want := summary(a.Check(doc, nil)[0])
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				f := a.Check(doc, nil)
				if len(f) != 1 || summary(f[0]) != want {
					t.Errorf("concurrent Check = %v", f)
					return
				}
			}
		}()
	}
	wg.Wait()
}
