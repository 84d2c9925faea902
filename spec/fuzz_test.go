package spec

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to Load as a spec file: it must never
// panic, and every error must be a *Error positioned FILE:LINE:COL in it.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.yaml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(dynamicSpec))
	f.Add([]byte("tests:\n- name: a\n  action: p/a\n  params: {x: &a [*a]}\n"))
	f.Add([]byte("tests: [{name: a, action: p/a, expect: {assert: [{path: a, len: {gte: ${x}}}]}}]\n"))
	// One file, rewritten for each input: a fresh t.TempDir per input
	// (made and removed) held the fuzzer to about 250 executions a second.
	// A fuzzing process runs its inputs one at a time.
	file := filepath.Join(f.TempDir(), "fuzz.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		noEnv := func(string) (string, bool) { return "", false }
		p, err := Load([]string{file}, Options{LookupEnv: noEnv})
		if err == nil {
			if p == nil || len(p.Suites) != 1 {
				t.Fatal("Load succeeded without one suite")
			}
			// Give every captured name a value, then check that the
			// precompiled body equals encoding/json of the resolved params.
			s := p.Suites[0]
			vars := map[string]any{}
			all := append(append([]*Step{}, s.Setup...), s.Teardown...)
			for _, tt := range s.Tests {
				all = append(all, tt.Steps...)
			}
			for _, st := range all {
				for _, c := range st.Captures {
					vars[c.Name] = "v\"<\u2028"
				}
			}
			for _, st := range all {
				body, err := st.Body(vars)
				if err != nil {
					t.Fatalf("Body: %v", err)
				}
				v, err := st.Params.Resolve(vars)
				if err != nil {
					t.Fatalf("Resolve: %v", err)
				}
				if want, err := marshalJSON(v); err != nil || string(want) != string(body) {
					t.Fatalf("Body %s, encoding/json %s (%v)", body, want, err)
				}
				for _, c := range st.Expect.Checks {
					_, _ = c.Assertion(vars, nil)
				}
			}
			return
		}
		if p != nil {
			t.Fatal("Load returned a project with an error")
		}
		j, ok := err.(interface{ Unwrap() []error })
		if !ok {
			t.Fatalf("error %T is not joined: %v", err, err)
		}
		for _, e := range j.Unwrap() {
			se, ok := e.(*Error)
			if !ok || se.Pos.File != file || se.Pos.Line < 1 || se.Pos.Col < 1 || !strings.HasPrefix(se.Error(), se.Pos.String()+": ") {
				t.Fatalf("error without FILE:LINE:COL in the file: %q", e)
			}
		}
	})
}

// FuzzTemplate parses "${...}" strings: parsing never panics, and writing
// the parts back as source and parsing again gives the same parts.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{"", "plain", "${a}", "x${a}y${env.B:-d}", "$${a}", "${env.X:-}", "$$${a}", "${", "${a", "}${}", "€${é}", "$${${a}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parts, err := parseTemplate(s)
		if err != nil {
			return
		}
		var b strings.Builder
		for _, p := range parts {
			switch {
			case p.name == "":
				if p.lit == "" {
					t.Fatalf("empty literal part in %q", s)
				}
				b.WriteString(strings.ReplaceAll(p.lit, "${", "$${"))
			case p.env && p.hasDef:
				b.WriteString("${env." + p.name + ":-" + p.def + "}")
			case p.env:
				b.WriteString("${env." + p.name + "}")
			default:
				b.WriteString("${" + p.name + "}")
			}
		}
		again, err := parseTemplate(b.String())
		if err != nil {
			t.Fatalf("%q parsed, but its source %q does not: %v", s, b.String(), err)
		}
		strip := func(ps []tpart) []tpart {
			out := make([]tpart, len(ps))
			for i, p := range ps {
				p.off = 0
				out[i] = p
			}
			return out
		}
		if !reflect.DeepEqual(strip(parts), strip(again)) {
			t.Fatalf("%q: parts %+v, after a round trip %+v", s, parts, again)
		}
	})
}

// FuzzVarProblem: what is said of a --var argument depends on its name
// only, never on its value (which may be a secret).
func FuzzVarProblem(f *testing.F) {
	for _, s := range []string{"a=1", "a-b=secret", "=secret", "secret", "env=x", "_x=", "a=b=c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, kv string) {
		name, _, ok := strings.Cut(kv, "=")
		want := VarProblem("no equals sign")
		if ok {
			want = VarProblem(name + "=")
		}
		if got := VarProblem(kv); got != want {
			t.Fatalf("%q: %q depends on the value (%q without it)", kv, got, want)
		}
	})
}
