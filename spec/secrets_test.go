package spec

import (
	"path/filepath"
	"slices"
	"testing"
)

// A --secret variable holding a mapping or a list is a secret as its JSON
// text and leaf by leaf (strings and numbers, at any depth), from a var
// file and from a suite's vars alike; booleans and nulls are not.
func TestStructuredSecretsAreSecretLeafByLeaf(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"v.yaml": "creds: {user: bobby, pass: hunter2xyz, pin: 4711, on: true, no: null}\n" +
			"toks: [tokAAA111, [tokBBB222, {deep: tokCCC333}]]\n",
		"s.yaml": "vars: {suiteCreds: {key: suiteKey99}}\n" +
			"tests: [{name: t, action: p/a, params: {c: \"${creds}\", l: \"${toks}\", s: \"${suiteCreds}\"}}]\n",
	})
	p, err := Load([]string{filepath.Join(dir, "s.yaml")}, Options{
		VarFiles: []string{filepath.Join(dir, "v.yaml")},
		Secrets:  []string{"creds", "toks", "suiteCreds"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`{"no":null,"on":true,"pass":"hunter2xyz","pin":4711,"user":"bobby"}`, "bobby", "hunter2xyz", "4711",
		`["tokAAA111",["tokBBB222",{"deep":"tokCCC333"}]]`, "tokAAA111", "tokBBB222", "tokCCC333",
		`{"key":"suiteKey99"}`, "suiteKey99",
	} {
		if !slices.Contains(p.Secrets, want) {
			t.Errorf("Secrets lack %s: %q", want, p.Secrets)
		}
	}
	for _, not := range []string{"true", "null"} {
		if slices.Contains(p.Secrets, not) {
			t.Errorf("Secrets hold the JSON word %s: %q", not, p.Secrets)
		}
	}
}
