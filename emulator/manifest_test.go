package emulator_test

import (
	"encoding/json"
	"errors"
	"flag"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/specrun/specrun/emulator"
	"github.com/specrun/specrun/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fakeLookPath finds every program except node and no-such-program-xyz.
func fakeLookPath(file string) (string, error) {
	if file == "node" || file == "no-such-program-xyz" {
		return "", errors.New("not found")
	}
	return "/usr/bin/" + file, nil
}

func TestManifestErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/manifests/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test manifests: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			_, err := emulator.Loader{LookPath: fakeLookPath}.Load(file)
			if err == nil {
				t.Fatal("no error")
			}
			golden.Check(t, strings.TrimSuffix(file, ".yaml")+".golden", []byte(err.Error()+"\n"), *update)
		})
	}
}

func TestManifestErrorsAreJoinedManifestErrors(t *testing.T) {
	_, err := emulator.Loader{LookPath: fakeLookPath}.Load("testdata/manifests/typos.yaml")
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T does not unwrap to a list", err)
	}
	var lines []int
	for _, e := range joined.Unwrap() {
		var me *emulator.ManifestError
		if !errors.As(e, &me) {
			t.Fatalf("%T is not a *ManifestError", e)
		}
		lines = append(lines, me.Pos.Line)
	}
	want := []int{2, 5, 8, 9, 12, 13}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("error lines = %v, want %v (in line order)", lines, want)
	}
}

func TestParseManifest(t *testing.T) {
	m, err := emulator.Loader{LookPath: fakeLookPath}.Load("testdata/server.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := filepath.Abs("testdata")
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"namespace", m.Namespace, "ns1"},
		{"dir is absolute", m.Dir, dir},
		{"packages in file order", []string{m.Packages[0].Name, m.Packages[1].Name}, []string{"pkg", "-"}},
		{"package params", string(m.Packages[0].Params), `{"place":"NAVER Cloud","who":"package"}`},
		{"action params merged over the package's", string(m.Action("pkg", "echo").Params), `{"place":"NAVER Cloud","who":"action","extra":1}`},
		{"fixed result keeps key order", string(m.Action("pkg", "fixed").Result), `{"payload":"abc","n":1}`},
		{"default timeout", m.Action("pkg", "fixed").Timeout, 60 * time.Second},
		{"timeout", m.Action("pkg", "sh-sleep").Timeout, time.Second},
		{"delay", m.Action("pkg", "slow").Delay, 300 * time.Millisecond},
		{"default platforms", m.Action("pkg", "fixed").Platforms, []string{"classic", "vpc"}},
		{"platforms", m.Action("pkg", "vpc-only").Platforms, []string{"vpc"}},
		{"kind", m.Action("pkg", "counter").Kind, emulator.KindBuiltin},
		{"builtin", m.Action("pkg", "counter").Builtin, "counter"},
		{"exec program resolved against the manifest", m.Action("pkg", "sh-result").Program, filepath.Join(dir, "actions/result.sh")},
		{"exec program found on PATH", m.Action("pkg", "sh-env").Program, "/usr/bin/sh"},
		{"exec argv kept", m.Action("pkg", "sh-env").Exec, []string{"sh", "actions/env.sh"}},
		{"action position", m.Action("pkg", "fixed").Pos.String(), "testdata/server.yaml:7:7"},
		{"unknown action", m.Action("pkg", "nope") == nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got %#v, want %#v", tc.got, tc.want)
			}
		})
	}
}

func TestParseManifestValues(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"scalars", `{s: "x", i: 42, f: 1.5, b: true, n: null, big: 18446744073709551615}`, `{"s":"x","i":42,"f":1.5,"b":true,"n":null,"big":18446744073709551615}`},
		{"nesting", `{a: [1, {b: [c]}], e: {}}`, `{"a":[1,{"b":["c"]}],"e":{}}`},
		{"escapes, no HTML escaping", `{s: "<a&b>\"\\\t\u2028"}`, `{"s":"<a&b>\"\\\t\u2028"}`},
		{"aliases expand", `{a: &x [1, 2], b: *x}`, `{"a":[1,2],"b":[1,2]}`},
		{"hex and octal integers", `{h: 0x1F, o: 0o17}`, `{"h":31,"o":15}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := emulator.ParseManifest("m.yaml", []byte("packages: {p: {actions: {a: {result: "+tc.yaml+"}}}}"))
			if err != nil {
				t.Fatal(err)
			}
			got := string(m.Action("p", "a").Result)
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if !json.Valid([]byte(got)) {
				t.Errorf("%s is not valid JSON", got)
			}
		})
	}
}

func TestParseEntryPointKeyAndConcurrency(t *testing.T) {
	src := "concurrency: 100\npackages:\n  p:\n    actions:\n" +
		"      js: {node: actions/hello.js, main: handler.run, provide-api-key: true}\n" +
		"      py: {python: actions/hello.py, main: niam}\n      plain: {python: actions/hello.py}\n"
	m, err := emulator.Loader{LookPath: func(f string) (string, error) { return "/usr/bin/" + f, nil }}.Parse("testdata/m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if m.Concurrency != 100 {
		t.Errorf("Concurrency = %d, want 100", m.Concurrency)
	}
	for name, want := range map[string]string{"js": "handler.run", "py": "niam", "plain": "main"} {
		if got := m.Action("p", name).Main; got != want {
			t.Errorf("%s: Main = %q, want %q", name, got, want)
		}
	}
	if !m.Action("p", "js").ProvideAPIKey || m.Action("p", "py").ProvideAPIKey {
		t.Errorf("ProvideAPIKey: js %t, py %t; want true, false", m.Action("p", "js").ProvideAPIKey, m.Action("p", "py").ProvideAPIKey)
	}
}

func TestInterpreterMissing(t *testing.T) {
	data := []byte("packages:\n  p:\n    actions:\n      hello:\n        node: actions/hello.js\n      py:\n        python: actions/hello.py\n")
	_, err := emulator.Loader{LookPath: fakeLookPath}.Parse("testdata/m.yaml", data)
	want := `testdata/m.yaml:5:15: action "p/hello" needs node, which is not on PATH: install Node.js or remove the action`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func FuzzParseManifest(f *testing.F) {
	// Small seeds, one feature each: the fuzzer minimizes every input that
	// finds new coverage, and seeds of a kilobyte or more made it spend its
	// time minimizing (8 executions in 41 s) instead of exploring.
	for _, seed := range []string{
		"namespace: n\npackages: {p: {actions: {a: {builtin: echo}}}}",
		"packages: {p: {params: {x: 1}, actions: {a: {builtin: counter, params: {y: [1]}}}}}",
		"packages: {p: {actions: {a: {result: {ok: true}, platforms: [vpc], delay: 1s, timeout: 2s}}}}",
		"packages: {p: {actions: {a: {exec: [sh, a.sh]}}}}",
		"packages: {p: {actions: {a: {node: a.js}, b: {python: b.py}}}}",
		"packages: {p: {actions: {a: {result: [1], timeout: 10m}}}}",
		"packages: {p: {actions: {a: {builtin: ech, timout: 5s}}}, pakages: {}}",
		"packages: {p: 1, q: {actions: {a: [1]}}, \"-\": {actions: {b: {result: {k: 1, k: 2}}}}}",
		"packages: {p: {actions: {a: {result: {x: .inf}}}}}",
	} {
		f.Add([]byte(seed))
	}
	f.Add([]byte("packages: {p: {actions: {a: {result: {a: &x [1, *x]}}}}}"))
	f.Add([]byte("a: &a [*a, *a]\npackages: {p: {actions: {a: {builtin: echo, params: {x: *a}}}}}"))
	l := emulator.Loader{LookPath: fakeLookPath}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := l.Parse("testdata/fuzz.yaml", data)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "testdata/fuzz.yaml:") {
					t.Fatalf("error line without a position: %q", line)
				}
			}
			return
		}
		for _, p := range m.Packages {
			if p.Params != nil && !json.Valid(p.Params) {
				t.Fatalf("package %s params are not JSON: %s", p.Name, p.Params)
			}
			for _, a := range p.Actions {
				for _, raw := range []json.RawMessage{a.Params, a.Result} {
					if raw != nil && !json.Valid(raw) {
						t.Fatalf("action %s: not JSON: %s", a.Name, raw)
					}
				}
				if a.Kind == "" || a.Timeout <= 0 || len(a.Platforms) == 0 {
					t.Fatalf("action %s incomplete: %+v", a.Name, a)
				}
			}
		}
	})
}
