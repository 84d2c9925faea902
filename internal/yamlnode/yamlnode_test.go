package yamlnode

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func parse(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func TestKindAndDescribe(t *testing.T) {
	tests := []struct{ src, kind, describe string }{
		{"{a: 1}", "a mapping", "a mapping"},
		{"[1]", "a list", "a list"},
		{"~", "null", "null"},
		{"true", "a boolean", "the boolean true"},
		{"42", "a number", "the number 42"},
		{"1.5", "a number", "the number 1.5"},
		{`"x"`, "a string", `the string "x"`},
		{"2001-01-01", "a string", `the string "2001-01-01"`},
	}
	for _, tt := range tests {
		n := parse(t, tt.src)
		if got := Kind(n); got != tt.kind {
			t.Errorf("Kind(%s) = %q, want %q", tt.src, got, tt.kind)
		}
		if got := Describe(n); got != tt.describe {
			t.Errorf("Describe(%s) = %q, want %q", tt.src, got, tt.describe)
		}
	}
	if got := Kind(nil); got != "nothing" {
		t.Errorf("Kind(nil) = %q", got)
	}
}

func TestDerefFollowsAliases(t *testing.T) {
	root := parse(t, "a: &x [1]\nb: *x\n")
	alias := root.Content[3]
	if alias.Kind != yaml.AliasNode {
		t.Fatalf("b is %v, want an alias", alias.Kind)
	}
	if got := Deref(alias); got != root.Content[1] {
		t.Errorf("Deref(*x) = %v, want the anchored list", got)
	}
	if got := Kind(alias); got != "a list" {
		t.Errorf("Kind(*x) = %q", got)
	}
	if Deref(nil) != nil {
		t.Error("Deref(nil) is not nil")
	}
}

func TestErrorLine(t *testing.T) {
	var doc yaml.Node
	err := Decode(yaml.NewDecoder(bytes.NewReader([]byte("a: 1\nb: [\n"))), &doc)
	if err == nil {
		t.Fatal("no error for an unclosed list")
	}
	line, text := ErrorLine(err)
	if line == 0 || strings.HasPrefix(text, "yaml:") || strings.Contains(text, "line ") {
		t.Errorf("ErrorLine(%q) = %d, %q; want a line and the text alone", err, line, text)
	}
	if line, text := ErrorLine(errors.New("yaml: something")); line != 0 || text != "something" {
		t.Errorf("ErrorLine without a line = %d, %q", line, text)
	}
}
