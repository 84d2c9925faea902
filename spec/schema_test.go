package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

func TestSchemaCopiesAreIdentical(t *testing.T) {
	docs, err := os.ReadFile("../docs/spec.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(docs, Schema()) {
		t.Error("docs/spec.schema.json differs from spec/spec.schema.json: copy spec/spec.schema.json over it")
	}
}

// schemaKeys returns the property names of the schema object at path.
func schemaKeys(t *testing.T, doc map[string]any, path ...string) []string {
	t.Helper()
	var cur any = doc
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("schema has no %s", strings.Join(path, "."))
		}
		cur = m[p]
	}
	m, ok := cur.(map[string]any)
	if !ok {
		t.Fatalf("schema has no object at %s", strings.Join(path, "."))
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestSchemaKnowsEveryKey compares the schema's properties with the key
// tables the decoder uses, so neither can drift from the other.
func TestSchemaKnowsEveryKey(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		table []string
		path  []string
	}{
		{"suite", suiteKeys, []string{"properties"}},
		{"test", testKeys, []string{"$defs", "test", "properties"}},
		{"step", stepKeys, []string{"$defs", "step", "properties"}},
		{"defaults", defaultsKeys, []string{"$defs", "defaults", "properties"}},
		{"expect", expectKeys, []string{"$defs", "expect", "properties"}},
		{"retry", retryKeys, []string{"$defs", "retry", "properties"}},
		{"operators", operatorKeys, []string{"$defs", "operators", "properties"}},
		{"assert item", assertItemKeys, []string{"$defs", "assertItem", "properties"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := slices.Sorted(slices.Values(c.table))
			if got := schemaKeys(t, doc, c.path...); !slices.Equal(got, want) {
				t.Errorf("schema keys %v\nloader keys %v", got, want)
			}
		})
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://github.com/specrun/specrun/docs/spec.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// yamlToJSON reads a YAML file as the JSON-like value the schema validates.
func yamlToJSON(t *testing.T, file string) any {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var probs problems
	d := &rawDecoder{file: file, probs: &probs}
	v, _ := d.literal(doc.Content[0])
	if err := joinErrors(probs.list); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSpecsValidateAgainstSchema validates every example and every valid
// testdata spec with the JSON Schema.
func TestSpecsValidateAgainstSchema(t *testing.T) {
	s := compileSchema(t)
	files, err := filepath.Glob("testdata/valid/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir("../examples", func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := filepath.Ext(path); !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	var specs []string
	for _, f := range files {
		v := yamlToJSON(t, f)
		if m, ok := v.(map[string]any); ok {
			if _, isManifest := m["packages"]; isManifest {
				continue // the emulator's manifest is not a spec
			}
		}
		specs = append(specs, f)
		if err := s.Validate(v); err != nil {
			t.Errorf("%s does not validate against spec.schema.json: %v", f, err)
		}
	}
	if len(specs) == 0 {
		t.Fatal("no spec validated")
	}
	// And the loader accepts them all, together.
	if _, err := Load(specs, Options{LookupEnv: testEnv}); err != nil {
		t.Errorf("the specs that validate do not load: %v", err)
	}
}

// TestSchemaRejectsInvalidSpecs spot-checks that the schema is strict.
func TestSchemaRejectsInvalidSpecs(t *testing.T) {
	s := compileSchema(t)
	for _, f := range []string{"unknown_keys", "tests_mapping", "wrong_types", "structure", "empty_tests", "no_tests"} {
		v := yamlToJSON(t, "testdata/invalid/"+f+".yaml")
		if err := s.Validate(v); err == nil {
			t.Errorf("%s validates against the schema, want an error", f)
		}
	}
}
