package spec

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestParseTemplate(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []tpart
		err  string
	}{
		{"plain text", "hello", []tpart{{lit: "hello"}}, ""},
		{"empty", "", nil, ""},
		{"whole reference", "${n}", []tpart{{name: "n"}}, ""},
		{"reference inside text", "a${n}b", []tpart{{lit: "a"}, {name: "n", off: 1}, {lit: "b"}}, ""},
		{"environment", "${env.HOME}", []tpart{{name: "HOME", env: true}}, ""},
		{"environment with default", "${env.X:-a:-b}", []tpart{{name: "X", env: true, hasDef: true, def: "a:-b"}}, ""},
		{"empty default", "${env.X:-}", []tpart{{name: "X", env: true, hasDef: true}}, ""},
		{"escaped", "$${n} costs $5", []tpart{{lit: "${n} costs $5"}}, ""},
		{"escape then reference", "$${a}${b}", []tpart{{lit: "${a}"}, {name: "b", off: 5}}, ""},
		{"dollar without brace", "$n $", []tpart{{lit: "$n $"}}, ""},
		{"unterminated", "x ${abc", nil, `unterminated reference "${abc": close it with }, or write $${ for a literal ${`},
		{"bad name", "${a-b}", nil, "invalid reference ${a-b}: a variable name is a letter or _ followed by letters, digits or _ (write ${NAME}, ${env.NAME} or ${env.NAME:-default})"},
		{"space in name", "${ a }", nil, "invalid reference ${ a }: a variable name is a letter or _ followed by letters, digits or _ (write ${NAME}, ${env.NAME} or ${env.NAME:-default})"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseTemplate(c.in)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("error = %v, want %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("parts = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestFormatText(t *testing.T) {
	cases := []struct {
		in   any
		want string
	}{
		{"s", "s"},
		{json.Number("1.50"), "1.50"},
		{true, "true"},
		{nil, "null"},
		{float64(3), "3"},
		{1.5, "1.5"},
		{7, "7"},
		{int64(-2), "-2"},
		{map[string]any{"b": []any{1, "<x>"}, "a": nil}, `{"a":null,"b":[1,"<x>"]}`},
	}
	for _, c := range cases {
		if got := formatText(c.in); got != c.want {
			t.Errorf("formatText(%#v) = %q, want %q", c.in, got, c.want)
		}
	}
}

const dynamicSpec = `setup:
  - action: p/login
    capture: {token: content.response.result.token}
tests:
  - name: t
    steps:
      - action: p/a
        params:
          auth: Bearer ${token}
          raw: ${token}
          fixed: {deep: [1, "${token}"]}
          plain: x
        capture: {n: content.response.result.n}
      - action: ${token}
        package: ${n}
        expect:
          result: {count: "${n}"}
          assert:
            - path: content.x
              one_of: ["${token}", 2]
`

func TestDynamicTemplates(t *testing.T) {
	p := loadOne(t, dynamicSpec, Options{})
	steps := p.Suites[0].Tests[0].Steps
	vars := map[string]any{"token": "T", "n": json.Number("3")}
	body, err := steps[0].Body(vars)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"auth":"Bearer T","fixed":{"deep":[1,"T"]},"plain":"x","raw":"T"}`; string(body) != want {
		t.Errorf("Body = %s, want %s", body, want)
	}
	if steps[0].Params.Static() || !steps[0].Package.Static() {
		t.Error("Static() wrong")
	}
	// package and action resolve to strings even from a number.
	if v, err := steps[1].Package.Resolve(vars); err != nil || v != "3" {
		t.Errorf("package = %#v, %v", v, err)
	}
	if v, err := steps[1].Action.Resolve(vars); err != nil || v != "T" {
		t.Errorf("action = %#v, %v", v, err)
	}
	checks := steps[1].Expect.Checks
	if len(checks) != 3 || checks[1].Static() || checks[2].Static() {
		t.Fatalf("checks: %d, want success (static), result and assert (dynamic)", len(checks))
	}
	a, err := checks[1].Assertion(vars, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{"content": map[string]any{"response": map[string]any{"result": map[string]any{"count": json.Number("3")}}}}
	if f := a.Check(doc, nil); len(f) != 0 {
		t.Errorf("result check failed: %+v", f)
	}
	if f := a.Check(map[string]any{}, nil); len(f) != 1 {
		t.Errorf("result check on an empty doc: %d failures, want 1", len(f))
	}
	if _, err := checks[2].Assertion(map[string]any{}, nil); err == nil || !strings.Contains(err.Error(), ":19:15: assert: variable token has no value") {
		t.Errorf("Assertion without vars: %v", err)
	}
	if _, err := steps[0].Body(nil); err == nil || !strings.HasSuffix(err.Error(), ":7:9: params: variable token has no value: the step that captures it did not run or did not capture it") {
		t.Errorf("Body without vars: %v", err)
	}
	if got := steps[0].Params.String(); got != `{"auth":"Bearer ${token}","raw":${token},"fixed":{"deep":[1,${token}]},"plain":"x"}` {
		t.Errorf("String = %s", got)
	}
}

func TestResolveStaticDoesNotAllocate(t *testing.T) {
	p := loadOne(t, minimal, Options{})
	st := p.Suites[0].Tests[0].Steps[0]
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := st.Params.Resolve(nil); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Body(nil); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Expect.Checks[0].Assertion(nil, nil); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("static Resolve, Body and Assertion allocate %v times, want 0", allocs)
	}
	var nilT *Template
	if v, err := nilT.Resolve(nil); v != nil || err != nil || !nilT.Static() {
		t.Error("nil template")
	}
}

// TestDynamicBodyMatchesEncodingJSON checks the precompiled body writer
// against encoding/json on the resolved value.
func TestDynamicBodyMatchesEncodingJSON(t *testing.T) {
	p := loadOne(t, dynamicSpec, Options{})
	st := p.Suites[0].Tests[0].Steps[0]
	values := []any{
		"plain", "quote\" backslash\\ <tag> & \n\r\t\b\f\x01 \u2028\u2029 é \xff",
		json.Number("1.50"), 3.25, true, nil,
		map[string]any{"z": []any{1, "a"}, "a": map[string]any{}},
	}
	for _, v := range values {
		vars := map[string]any{"token": v}
		got, err := st.Body(vars)
		if err != nil {
			t.Fatal(err)
		}
		resolved, err := st.Params.Resolve(vars)
		if err != nil {
			t.Fatal(err)
		}
		want, err := marshalJSON(resolved)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("token %#v:\nBody    %s\nencoded %s", v, got, want)
		}
	}
}

// A check that waits for a capture compiles only that operator per
// attempt: the fixed regexp beside it was compiled at load time.
func TestLateCheckCompilesOnlyItsCaptureOperators(t *testing.T) {
	p := loadOne(t, `setup:
  - action: p/login
    capture: {token: content.response.result.token}
tests:
  - name: t
    action: p/a
    expect:
      assert:
        - path: content.name
          matches: "^[a-z]+$"
          not_equals: ${token}
`, Options{})
	var c *Check
	for _, x := range p.Suites[0].Tests[0].Steps[0].Expect.Checks {
		if x.Key == "assert" {
			c = x
		}
	}
	if c == nil || c.Static() {
		t.Fatalf("check %+v; want one that waits for the capture", c)
	}
	vars := map[string]any{"token": "kim"}
	doc := map[string]any{"content": map[string]any{"name": "kim"}}
	a, err := c.Assertion(vars, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f := a.Check(doc, nil); len(f) != 1 || f[0].Op != "not_equals" {
		t.Errorf("failures %+v; want not_equals only (the name matches and equals the token)", f)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = c.Assertion(vars, nil) }); n > 5 {
		t.Errorf("Assertion made %v allocations; want at most 5 (was the regexp compiled again?)", n)
	}
}
