package assert

import (
	"errors"
	"testing"
)

func TestNewErrors(t *testing.T) {
	cases := []struct {
		name string
		op   Op
		want string
	}{
		{"unknown operator lists the valid ones", Op{"equal", n("1")},
			"equal: unknown operator; valid operators: equals, not_equals, exists, type, matches, not_matches, contains, not_contains, one_of, lt, lte, gt, gte, len, count, empty, schema, subset, error_subset"},
		{"exists needs a boolean", Op{"exists", "yes"}, `exists: takes true or false, got a string ("yes")`},
		{"empty needs a boolean", Op{"empty", nil}, "empty: takes true or false, got null"},
		{"type needs a known type", Op{"type", "int"}, `type: takes one of string, number, integer, boolean, object, array, null; got a string ("int")`},
		{"type needs a string", Op{"type", n("1")}, `type: takes one of string, number, integer, boolean, object, array, null; got a number (1)`},
		{"matches needs a string", Op{"matches", []any{"a"}}, "matches: needs a string (an RE2 regular expression), got a list"},
		{"matches needs a valid RE2", Op{"matches", "a(b"}, "matches: invalid regular expression: error parsing regexp: missing closing ): `a(b`"},
		{"not_matches rejects lookahead", Op{"not_matches", "a(?=b)"}, "not_matches: invalid regular expression: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"},
		{"one_of needs a list", Op{"one_of", "a"}, `one_of: needs a list of values, got a string ("a")`},
		{"lt needs a number or a timestamp, got a list", Op{"lt", []any{}}, "lt: needs a number or an RFC 3339 timestamp, got a list"},
		{"gte rejects a string that is no timestamp", Op{"gte", "yesterday"}, `gte: needs a number or an RFC 3339 timestamp, got a string ("yesterday")`},
		{"gt rejects a boolean", Op{"gt", true}, "gt: needs a number or an RFC 3339 timestamp, got a boolean (true)"},
		{"lte rejects an object", Op{"lte", map[string]any{}}, "lte: needs a number or an RFC 3339 timestamp, got an object"},
		{"len needs a number or an operator map", Op{"len", "3"}, `len: takes a number or an operator map (lt, lte, gt, gte, equals, not_equals), got a string ("3")`},
		{"len rejects an unknown key", Op{"len", map[string]any{"min": n("1")}}, `len: takes a number or an operator map (lt, lte, gt, gte, equals, not_equals); "min" is not one of them`},
		{"len rejects an empty map", Op{"len", map[string]any{}}, "len: takes a number or an operator map (lt, lte, gt, gte, equals, not_equals), got an empty map"},
		{"count needs numbers in the map", Op{"count", map[string]any{"gte": "1"}}, `count: gte needs a number, got a string ("1")`},
		{"count rejects a list", Op{"count", []any{n("1")}}, "count: takes a number or an operator map (lt, lte, gt, gte, equals, not_equals), got a list"},
		{"schema needs an object or a path", Op{"schema", n("1")}, "schema: needs an inline schema (an object) or a file path, got a number (1)"},
		{"schema rejects an empty path", Op{"schema", ""}, "schema: needs an inline schema (an object) or a file path, got an empty string"},
		{"schema rejects an invalid inline schema", Op{"schema", map[string]any{"type": n("12")}},
			"schema: invalid inline schema: \"urn:specrun:inline-schema#\" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'; - at '': 'allOf' failed; - at '/type': 'anyOf' failed; - at '/type': value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'; - at '/type': got number, want array"},
	}
	p := MustParsePath("a")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(p, []Op{{"equals", n("1")}, c.op}, Options{SchemaBase: "testdata"})
			if err == nil {
				t.Fatalf("New succeeded, want %q", c.want)
			}
			if err.Error() != c.want {
				t.Errorf("New error:\n got %q\nwant %q", err.Error(), c.want)
			}
			var oe *OpError
			if !errors.As(err, &oe) || oe.Index != 1 || oe.Op != c.op.Name {
				t.Errorf("error %#v is not an *OpError for index 1", err)
			}
		})
	}
}

func TestNewJoinsEveryOpError(t *testing.T) {
	_, err := New(MustParsePath("a"), []Op{{"lt", "x"}, {"equals", nil}, {"bogus", nil}}, Options{})
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %v does not join", err)
	}
	var idx []int
	for _, e := range joined.Unwrap() {
		var oe *OpError
		if errors.As(e, &oe) {
			idx = append(idx, oe.Index)
		}
	}
	if len(idx) != 2 || idx[0] != 0 || idx[1] != 2 {
		t.Errorf("OpError indexes = %v, want [0 2]", idx)
	}
}

func TestNewNeedsPathAndOps(t *testing.T) {
	cases := []struct {
		name string
		path *Path
		ops  []Op
		want string
	}{
		{"nil path", nil, []Op{{"exists", true}}, "assertion has no path"},
		{"no operator", MustParsePath("a.b"), nil, "assertion on a.b has no operator; give one of equals, not_equals, exists, type, matches, not_matches, contains, not_contains, one_of, lt, lte, gt, gte, len, count, empty, schema, subset, error_subset"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.path, c.ops, Options{})
			if err == nil || err.Error() != c.want {
				t.Errorf("New error = %v, want %q", err, c.want)
			}
		})
	}
}

func TestParsePath(t *testing.T) {
	cases := []struct {
		name, in, query, err string
	}{
		{"dotted path gets $.", "content.response.result", `$["content"]["response"]["result"]`, ""},
		{"rooted path is kept", "$.a[0]", `$["a"][0]`, ""},
		{"bracket path gets $", "['a b'][*]", `$["a b"][*]`, ""},
		{"filter", "items[?@.price > 10]", `$["items"][?@["price"] > 10]`, ""},
		{"root alone", "$", "$", ""},
		{"bracket syntax error", "[0", "", `invalid JSONPath "[0" (read as "$[0"): jsonpath: unexpected eof at position 4`},
		{"empty path", "  ", "", "empty JSONPath: write a query such as content.response.result or $.content"},
		{"syntax error names the path", "a..", "", `invalid JSONPath "a.." (read as "$.a.."): jsonpath: unexpected eof at position 6`},
		{"unclosed bracket", "$.a[0", "", `invalid JSONPath "$.a[0": jsonpath: unexpected eof at position 6`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParsePath(c.in)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("ParsePath(%q) error = %v, want %q", c.in, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.String() != c.in || p.Query() != c.query {
				t.Errorf("String, Query = %q, %q; want %q, %q", p.String(), p.Query(), c.in, c.query)
			}
		})
	}
}

func TestSelect(t *testing.T) {
	doc := decode(t, `{"a": [{"b": 1}, {"b": 2}, {"c": 3}]}`)
	p := MustParsePath("a[*].b")
	if got := Format(p.Select(doc), 0, nil); got != "[1,2]" {
		t.Errorf("Select = %s, want [1,2]", got)
	}
	loc := p.SelectLocated(doc)
	if len(loc) != 2 || loc[1].Path != "$['a'][1]['b']" || Format(loc[1].Value, 0, nil) != "2" {
		t.Errorf("SelectLocated = %+v", loc)
	}
}
