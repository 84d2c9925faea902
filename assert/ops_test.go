package assert

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const sampleDoc = `{
 "content": {
  "duration": 120,
  "start": "2024-05-01T10:00:00Z",
  "response": {
   "success": true,
   "status": "ok",
   "result": {
    "name": "héllo wörld",
    "count": 3,
    "ratio": 1.5,
    "whole": 2.0,
    "big": 12345678901234567890123,
    "items": [{"id": 1, "tags": ["a", "b"]}, {"id": 2, "tags": []}, {"id": 3, "tags": ["c"]}],
    "meta": {"a": 1, "b": {"c": "x"}, "we/ird~key": 5},
    "empty": "",
    "nothing": null,
    "emoji": "😀😀",
    "code": 80301
   }
  }
 }
}`

func n(s string) json.Number { return json.Number(s) }

func TestCheck(t *testing.T) {
	doc := decode(t, sampleDoc)
	const r = "content.response.result."
	type tc struct {
		name string
		path string
		ops  []Op
		want []string
	}
	cases := []tc{
		// equals / not_equals
		{"equals holds on a string", r + "name", []Op{{"equals", "héllo wörld"}}, nil},
		{"equals holds on numbers by value", r + "count", []Op{{"equals", n("3.0")}}, nil},
		{"equals holds with exponent notation", r + "count", []Op{{"equals", n("0.3e1")}}, nil},
		{"equals holds with a Go int", r + "count", []Op{{"equals", 3}}, nil},
		{"equals holds with a float64", r + "ratio", []Op{{"equals", 1.5}}, nil},
		{"equals holds on a big integer exactly", r + "big", []Op{{"equals", n("12345678901234567890123")}}, nil},
		{"equals fails on a big integer off by one", r + "big", []Op{{"equals", n("12345678901234567890122")}},
			[]string{"equals: value differs @$['content']['response']['result']['big'] actual=12345678901234567890123"}},
		{"equals fails on a different type", r + "count", []Op{{"equals", "3"}},
			[]string{"equals: value differs @$['content']['response']['result']['count'] actual=3"}},
		{"equals holds on an object", r + "meta.b", []Op{{"equals", map[string]any{"c": "x"}}}, nil},
		{"equals fails on an object with a pointer", r + "meta", []Op{{"equals", map[string]any{"a": n("1"), "b": map[string]any{"c": "y"}, "we/ird~key": n("5")}}},
			[]string{`equals: value differs at /b/c @$['content']['response']['result']['meta'] ptr=/b/c actual={"a":1,"b":{"c":"x"},"we/ird~key":5}`}},
		{"equals fails on an extra key", r + "meta.b", []Op{{"equals", map[string]any{}}},
			[]string{`equals: value differs at /c @$['content']['response']['result']['meta']['b'] ptr=/c actual={"c":"x"}`}},
		{"equals applies to every node", r + "items[*].id", []Op{{"equals", n("1")}},
			[]string{"equals: value differs (node 2 of 3) @$['content']['response']['result']['items'][1]['id'] actual=2"}},
		{"not_equals fails on no node", r + "status", []Op{{"not_equals", "ok"}},
			[]string{"not_equals: no node selected actual=null"}},
		{"not_equals holds on a different value", "content.response.status", []Op{{"not_equals", "error"}}, nil},
		{"not_equals fails on an equal number", r + "count", []Op{{"not_equals", n("3e0")}},
			[]string{"not_equals: value equals the one it must differ from @$['content']['response']['result']['count'] actual=3"}},

		// exists
		{"exists true holds", r + "name", []Op{{"exists", true}}, nil},
		{"exists true fails on no node", r + "missing", []Op{{"exists", true}},
			[]string{"exists: no node selected actual=null"}},
		{"exists false holds on no node", r + "missing", []Op{{"exists", false}}, nil},
		{"exists false fails on a node", r + "items[*].id", []Op{{"exists", false}},
			[]string{"exists: 3 nodes selected @$['content']['response']['result']['items'][0]['id'] actual=1"}},
		{"exists true holds on a null node", r + "nothing", []Op{{"exists", true}}, nil},
		{"filter selects nodes", r + "items[?@.id > 1]", []Op{{"count", n("2")}, {"exists", true}}, nil},

		// type
		{"type string holds", r + "name", []Op{{"type", "string"}}, nil},
		{"type number holds", r + "ratio", []Op{{"type", "number"}}, nil},
		{"type integer holds on 3", r + "count", []Op{{"type", "integer"}}, nil},
		{"type integer holds on 2.0", r + "whole", []Op{{"type", "integer"}}, nil},
		{"type integer holds on a big integer", r + "big", []Op{{"type", "integer"}}, nil},
		{"type integer fails on 1.5", r + "ratio", []Op{{"type", "integer"}},
			[]string{"type: a number with a fractional part, not an integer @$['content']['response']['result']['ratio'] actual=1.5"}},
		{"type integer fails on a string", r + "name", []Op{{"type", "integer"}},
			[]string{`type: type is string, not integer @$['content']['response']['result']['name'] actual="héllo wörld"`}},
		{"type string fails on an integer", r + "count", []Op{{"type", "string"}},
			[]string{"type: type is number, not string @$['content']['response']['result']['count'] actual=3"}},
		{"type boolean fails on a fraction", r + "ratio", []Op{{"type", "boolean"}},
			[]string{"type: type is number, not boolean @$['content']['response']['result']['ratio'] actual=1.5"}},
		{"type number fails on a string", r + "name", []Op{{"type", "number"}},
			[]string{`type: type is string, not number @$['content']['response']['result']['name'] actual="héllo wörld"`}},
		{"type null fails on a boolean", "content.response.success", []Op{{"type", "null"}},
			[]string{"type: type is boolean, not null @$['content']['response']['success'] actual=true"}},
		{"type boolean holds", "content.response.success", []Op{{"type", "boolean"}}, nil},
		{"type object holds", r + "meta", []Op{{"type", "object"}}, nil},
		{"type array holds", r + "items", []Op{{"type", "array"}}, nil},
		{"type null holds", r + "nothing", []Op{{"type", "null"}}, nil},
		{"type fails on an array", r + "items", []Op{{"type", "object"}},
			[]string{`type: type is array, not object @$['content']['response']['result']['items'] actual=[{"id":1,"tags":["a","b"]},{"id":2,"tags":[]},{"id":3,"tags":["c"]}]`}},
		{"type fails on no node", r + "missing", []Op{{"type", "null"}},
			[]string{"type: no node selected actual=null"}},

		// matches / not_matches
		{"matches holds", "content.response.status", []Op{{"matches", "^o.$"}}, nil},
		{"matches holds on unicode", r + "name", []Op{{"matches", `^h.llo w.rld$`}}, nil},
		{"matches fails", "content.response.status", []Op{{"matches", "^x"}},
			[]string{`matches: does not match @$['content']['response']['status'] actual="ok"`}},
		{"matches fails on a number", r + "count", []Op{{"matches", "3"}},
			[]string{"matches: not a string @$['content']['response']['result']['count'] actual=3"}},
		{"not_matches holds", "content.response.status", []Op{{"not_matches", "^x"}}, nil},
		{"not_matches fails", "content.response.status", []Op{{"not_matches", "k"}},
			[]string{`not_matches: matches @$['content']['response']['status'] actual="ok"`}},
		{"not_matches fails on a non-string", r + "nothing", []Op{{"not_matches", "k"}},
			[]string{"not_matches: not a string @$['content']['response']['result']['nothing'] actual=null"}},

		// contains / not_contains
		{"contains holds on a substring", r + "name", []Op{{"contains", "lo wö"}}, nil},
		{"contains fails on a substring", r + "name", []Op{{"contains", "xyz"}},
			[]string{`contains: substring not found @$['content']['response']['result']['name'] actual="héllo wörld"`}},
		{"contains fails on a string with a number", r + "name", []Op{{"contains", n("1")}},
			[]string{`contains: a string can only contain a string @$['content']['response']['result']['name'] actual="héllo wörld"`}},
		{"contains holds on an array element", r + "items[0].tags", []Op{{"contains", "b"}}, nil},
		{"contains holds on an array element object", r + "items", []Op{{"contains", map[string]any{"id": n("2.0"), "tags": []any{}}}}, nil},
		{"contains fails on an array", r + "items[*].tags", []Op{{"contains", "a"}},
			[]string{`contains: no element equals it (node 2 of 3) @$['content']['response']['result']['items'][1]['tags'] actual=[]`}},
		{"contains holds on an object subset", r + "meta", []Op{{"contains", map[string]any{"b": map[string]any{"c": "x"}}}}, nil},
		{"contains fails on an object subset", r + "meta", []Op{{"contains", map[string]any{"b": map[string]any{"d": "x"}}}},
			[]string{`contains: no subset match: value differs at /b/d @$['content']['response']['result']['meta'] ptr=/b/d actual={"a":1,"b":{"c":"x"},"we/ird~key":5}`}},
		{"contains fails on an object with a string", r + "meta", []Op{{"contains", "a"}},
			[]string{`contains: an object can only contain an object (a subset) @$['content']['response']['result']['meta'] actual={"a":1,"b":{"c":"x"},"we/ird~key":5}`}},
		{"contains fails on a number", r + "count", []Op{{"contains", "3"}},
			[]string{"contains: not a string, array or object @$['content']['response']['result']['count'] actual=3"}},
		{"not_contains holds", r + "items[*].tags", []Op{{"not_contains", "z"}}, nil},
		{"not_contains fails", r + "items[0].tags", []Op{{"not_contains", "a"}},
			[]string{`not_contains: contains it @$['content']['response']['result']['items'][0]['tags'] actual=["a","b"]`}},
		{"not_contains fails on a number", r + "count", []Op{{"not_contains", "a"}},
			[]string{"not_contains: not a string, array or object @$['content']['response']['result']['count'] actual=3"}},

		// one_of
		{"one_of holds", "content.response.status", []Op{{"one_of", []any{"error", "ok"}}}, nil},
		{"one_of holds on numbers by value", r + "items[*].id", []Op{{"one_of", []any{n("1.0"), n("2"), 3}}}, nil},
		{"one_of fails", "content.response.status", []Op{{"one_of", []any{"error"}}},
			[]string{`one_of: not one of the listed values @$['content']['response']['status'] actual="ok"`}},

		// lt, lte, gt, gte
		{"lt holds", "content.duration", []Op{{"lt", n("1000")}}, nil},
		{"lt fails on equal", "content.duration", []Op{{"lt", n("120")}},
			[]string{"lt: not less than 120 @$['content']['duration'] actual=120"}},
		{"lte holds on equal by value", "content.duration", []Op{{"lte", n("1.2e2")}}, nil},
		{"gt holds on decimals", r + "ratio", []Op{{"gt", n("1.49999999999999999999")}}, nil},
		{"gt fails", r + "ratio", []Op{{"gt", 1.5}},
			[]string{"gt: not greater than 1.5 @$['content']['response']['result']['ratio'] actual=1.5"}},
		{"gte holds", r + "ratio", []Op{{"gte", 1.5}}, nil},
		{"gt compares big integers exactly", r + "big", []Op{{"gt", n("12345678901234567890122")}, {"lt", n("12345678901234567890124")}}, nil},
		{"lt compares negatives", r + "count", []Op{{"gt", n("-4")}, {"lt", n("-0.5e-3")}},
			[]string{"lt: not less than -0.5e-3 @$['content']['response']['result']['count'] actual=3"}},
		{"lt fails on a string", r + "name", []Op{{"lt", n("1")}},
			[]string{`lt: not a number @$['content']['response']['result']['name'] actual="héllo wörld"`}},
		{"lt holds on timestamps", "content.start", []Op{{"lt", "2024-05-01T10:00:01Z"}, {"gte", "2024-05-01T12:00:00+02:00"}}, nil},
		{"gt fails on timestamps", "content.start", []Op{{"gt", "2024-05-01T10:00:00.5Z"}},
			[]string{`gt: not greater than "2024-05-01T10:00:00.5Z" @$['content']['start'] actual="2024-05-01T10:00:00Z"`}},
		{"lt fails on a number against a timestamp", "content.duration", []Op{{"lt", "2024-05-01T10:00:01Z"}},
			[]string{"lt: not an RFC 3339 timestamp @$['content']['duration'] actual=120"}},
		{"lt fails on a string that is no timestamp", "content.response.status", []Op{{"lt", "2024-05-01T10:00:01Z"}},
			[]string{`lt: not an RFC 3339 timestamp @$['content']['response']['status'] actual="ok"`}},
		{"lt fails on a timestamp against a number", "content.start", []Op{{"lt", n("5")}},
			[]string{`lt: not a number @$['content']['start'] actual="2024-05-01T10:00:00Z"`}},

		// len
		{"len counts runes", r + "name", []Op{{"len", n("11")}}, nil},
		{"len counts emoji as one", r + "emoji", []Op{{"len", n("2")}}, nil},
		{"len of an array", r + "items", []Op{{"len", n("3")}}, nil},
		{"len of an object", r + "meta", []Op{{"len", map[string]any{"gte": n("1"), "lt": n("4")}}}, nil},
		{"len fails", r + "items", []Op{{"len", map[string]any{"gt": n("3")}}},
			[]string{`len: length is 3 @$['content']['response']['result']['items'] actual=[{"id":1,"tags":["a","b"]},{"id":2,"tags":[]},{"id":3,"tags":["c"]}]`}},
		{"len fails on each node", r + "items[*].tags", []Op{{"len", map[string]any{"gte": 1}}},
			[]string{`len: length is 0 (node 2 of 3) @$['content']['response']['result']['items'][1]['tags'] actual=[]`}},
		{"len fails on a number", r + "count", []Op{{"len", n("1")}},
			[]string{"len: not a string, array or object @$['content']['response']['result']['count'] actual=3"}},
		{"len not_equals", r + "empty", []Op{{"len", map[string]any{"not_equals": n("0")}}},
			[]string{`len: length is 0 @$['content']['response']['result']['empty'] actual=""`}},

		// count
		{"count holds", r + "items[*]", []Op{{"count", n("3")}}, nil},
		{"count holds for zero on no node", r + "missing", []Op{{"count", n("0")}}, nil},
		{"count holds with an operator map", r + "items[*].id", []Op{{"count", map[string]any{"gte": n("1"), "lte": n("3")}}}, nil},
		{"count fails", r + "items[*].id", []Op{{"count", n("2")}},
			[]string{"count: 3 nodes selected actual=3"}},
		{"count fails on no node", r + "missing", []Op{{"count", map[string]any{"gt": n("0")}}},
			[]string{"count: 0 nodes selected actual=0"}},
		{"count one node", r + "name", []Op{{"count", n("2")}},
			[]string{"count: 1 node selected actual=1"}},

		// empty
		{"empty true holds on an empty string", r + "empty", []Op{{"empty", true}}, nil},
		{"empty true holds on null", r + "nothing", []Op{{"empty", true}}, nil},
		{"empty true holds on an empty array", r + "items[1].tags", []Op{{"empty", true}}, nil},
		{"empty false holds", r + "items", []Op{{"empty", false}}, nil},
		{"empty true fails", r + "items", []Op{{"empty", true}},
			[]string{`empty: not empty @$['content']['response']['result']['items'] actual=[{"id":1,"tags":["a","b"]},{"id":2,"tags":[]},{"id":3,"tags":["c"]}]`}},
		{"empty false fails on null", r + "nothing", []Op{{"empty", false}},
			[]string{"empty: null @$['content']['response']['result']['nothing'] actual=null"}},
		{"empty false fails on an empty string", r + "empty", []Op{{"empty", false}},
			[]string{`empty: empty @$['content']['response']['result']['empty'] actual=""`}},
		{"empty fails on a number", r + "count", []Op{{"empty", true}},
			[]string{"empty: not a string, array, object or null @$['content']['response']['result']['count'] actual=3"}},
		{"empty fails on no node", r + "missing", []Op{{"empty", true}},
			[]string{"empty: no node selected actual=null"}},

		// subset / error_subset
		{"subset holds with extra keys", r[:len(r)-1], []Op{{"subset", map[string]any{"count": 3, "meta": map[string]any{"b": map[string]any{}}}}}, nil},
		{"subset holds on arrays element by element", r + "items", []Op{{"subset", []any{map[string]any{"id": n("1")}, map[string]any{}, map[string]any{"tags": []any{"c"}}}}}, nil},
		{"subset fails on a missing key", r[:len(r)-1], []Op{{"subset", map[string]any{"meta": map[string]any{"zz": n("1")}}}},
			[]string{`subset: value differs at /meta/zz @$['content']['response']['result'] ptr=/meta/zz actual=` + Format(doc.(map[string]any)["content"].(map[string]any)["response"].(map[string]any)["result"], 0, nil)}},
		{"subset fails on an array length", r + "items", []Op{{"subset", []any{map[string]any{}}}},
			[]string{`subset: value differs @$['content']['response']['result']['items'] actual=[{"id":1,"tags":["a","b"]},{"id":2,"tags":[]},{"id":3,"tags":["c"]}]`}},
		{"subset fails on an escaped key", r + "meta", []Op{{"subset", map[string]any{"we/ird~key": n("6")}}},
			[]string{`subset: value differs at /we~1ird~0key @$['content']['response']['result']['meta'] ptr=/we~1ird~0key actual={"a":1,"b":{"c":"x"},"we/ird~key":5}`}},
		{"subset fails on errorCode as a string", r + "meta", []Op{{"subset", map[string]any{"a": "1"}}},
			[]string{`subset: value differs at /a @$['content']['response']['result']['meta'] ptr=/a actual={"a":1,"b":{"c":"x"},"we/ird~key":5}`}},
		{"error_subset holds on errorCode as a string", "$", []Op{{"error_subset", map[string]any{"errorCode": "80301"}}}, nil},
		{"error_subset fails on another code", "$", []Op{{"error_subset", map[string]any{"errorCode": "80302"}}},
			[]string{`error_subset: value differs at /errorCode @$ ptr=/errorCode actual={"errorCode":80301,"message":"denied"}`}},
		{"error_subset does not relax other keys", "$", []Op{{"error_subset", map[string]any{"message": n("1")}}},
			[]string{`error_subset: value differs at /message @$ ptr=/message actual={"errorCode":80301,"message":"denied"}`}},

		// several operators
		{"every failing operator is reported", r + "count", []Op{{"equals", n("4")}, {"type", "integer"}, {"lt", n("2")}},
			[]string{
				"equals: value differs @$['content']['response']['result']['count'] actual=3",
				"lt: not less than 2 @$['content']['response']['result']['count'] actual=3",
			}},
	}
	errDoc := decode(t, `{"errorCode": 80301, "message": "denied"}`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParsePath(c.path)
			if err != nil {
				t.Fatal(err)
			}
			a, err := New(p, c.ops, Options{})
			if err != nil {
				t.Fatal(err)
			}
			d := doc
			if c.path == "$" {
				d = errDoc
			}
			var got []string
			for _, f := range a.Check(d, nil) {
				if f.Path != c.path {
					t.Errorf("Failure.Path = %q, want %q", f.Path, c.path)
				}
				got = append(got, summary(f))
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Check:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// The operator table is the one source of the operators: names are unique,
// the spec's keys are all but the two subset matches, and each name
// compiles through it while an unknown one is refused with the list.
func TestOperatorTable(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range OperatorNames() {
		if seen[n] {
			t.Errorf("operator %q is in the table twice", n)
		}
		seen[n] = true
		if _, ok := lookup(n); !ok {
			t.Errorf("lookup(%q) failed", n)
		}
	}
	keys := KeyOperatorNames()
	if len(keys) != len(OperatorNames())-2 || slices.Contains(keys, "subset") || slices.Contains(keys, "error_subset") {
		t.Errorf("KeyOperatorNames() = %v; want every operator but subset and error_subset", keys)
	}
	_, err := New(MustParsePath("a"), []Op{{"nope", 1}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "nope: unknown operator; valid operators: equals, not_equals, exists") {
		t.Errorf("unknown operator: %v", err)
	}
}
