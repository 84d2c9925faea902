package spec

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specrun/specrun/internal/golden"
	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/invalid")

// testEnv is the environment the golden tests see.
func testEnv(name string) (string, bool) {
	v, ok := map[string]string{"SPECRUN_TEST_SET": "from-env", "SPECRUN_TEST_EMPTY": ""}[name]
	return v, ok
}

// TestInvalidSpecsGolden loads every file of testdata/invalid on its own and
// compares the whole joined error with the file's .golden twin.
func TestInvalidSpecsGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid specs: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			p, err := Load([]string{file}, Options{LookupEnv: testEnv})
			if err == nil {
				t.Fatalf("Load(%s) succeeded with %d tests, want errors", file, p.Tests())
			}
			if p != nil {
				t.Errorf("Load returned a project with its errors")
			}
			checkErrorsArePositioned(t, err)
			// Messages that name files absolutely are made relative so the
			// golden files do not depend on the checkout's location.
			cwd, _ := filepath.Abs(".")
			got := strings.ReplaceAll(err.Error()+"\n", cwd+string(filepath.Separator), "")
			golden.Check(t, strings.TrimSuffix(file, ".yaml")+".golden", []byte(got), *update)
		})
	}
}

// checkErrorsArePositioned checks that every joined error is a *Error with a
// FILE:LINE:COL position.
func checkErrorsArePositioned(t *testing.T, err error) {
	t.Helper()
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T is not joined", err)
	}
	for _, e := range j.Unwrap() {
		se, ok := e.(*Error)
		if !ok {
			t.Errorf("error %q is %T, want *spec.Error", e, e)
			continue
		}
		if se.Pos.File == "" || se.Pos.Line < 1 || se.Pos.Col < 1 {
			t.Errorf("error %q has no FILE:LINE:COL position", e)
		}
	}
}

// TestInvalidSpecsAllAtOnce checks that problems of several files come
// back together, sorted by file.
func TestInvalidSpecsAllAtOnce(t *testing.T) {
	_, err := Load([]string{"testdata/invalid/structure.yaml", "testdata/invalid/duplicates.yaml"}, Options{})
	if err == nil {
		t.Fatal("Load succeeded")
	}
	lines := strings.Split(err.Error(), "\n")
	if !strings.HasPrefix(lines[0], "testdata/invalid/duplicates.yaml:") || !strings.HasPrefix(lines[len(lines)-1], "testdata/invalid/structure.yaml:") {
		t.Errorf("errors not sorted by file:\n%s", err)
	}
}

// writeFiles creates files (path → content) under a new temporary
// directory and returns it.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const minimal = "tests:\n  - name: t\n    action: p/a\n"

func TestLoadPathErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"empty/readme.txt": "x",
		"big.yaml":         minimal + "# " + strings.Repeat("x", maxFileSize) + "\n",
	})
	cases := []struct {
		name  string
		paths []string
		want  string
	}{
		{"missing path", []string{filepath.Join(dir, "nope.yaml")}, filepath.Join(dir, "nope.yaml") + ": no such file or directory: check the path"},
		{"directory without specs", []string{filepath.Join(dir, "empty")}, filepath.Join(dir, "empty") + ": no spec files (*.yaml, *.yml) in this directory"},
		{"file over 10 MB", []string{filepath.Join(dir, "big.yaml")}, filepath.Join(dir, "big.yaml") + ": file is larger than 10 MB: a file this large is not supported; split it"},
		{"no paths", nil, "specrun: no spec files given: name files or directories"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(c.paths, Options{})
			if err == nil || err.Error() != c.want {
				t.Errorf("Load error = %v\nwant %s", err, c.want)
			}
		})
	}
}

func TestLoadWalksDirectoriesInLexicalOrder(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.yml":              minimal,
		"a/z.yaml":           minimal,
		"a/b/c.yaml":         minimal,
		"a/notes.txt":        "not a spec",
		".hidden/skip.yaml":  "not: [valid",
		"named.yaml":         "suite: custom\n" + minimal,
		"a/b/Capital.yaml":   minimal,
		"a/b/c.yaml.bak":     "ignored",
		"a/b/deeper/x.yml":   minimal,
		"sub/other.yaml":     minimal,
		"sub/.git/head.yaml": "ignored: [",
	})
	direct := filepath.Join(dir, "sub", "other.yaml")
	p, err := Load([]string{filepath.Join(dir, "a"), filepath.Join(dir, "b.yml"), filepath.Join(dir, "named.yaml"), direct, filepath.Join(dir, "sub")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, s := range p.Suites {
		if s.Index != i {
			t.Errorf("suite %s has Index %d, want %d", s.Name, s.Index, i)
		}
		got = append(got, s.Name+" ("+strings.TrimPrefix(filepath.ToSlash(s.File), filepath.ToSlash(dir)+"/")+")")
	}
	want := []string{
		"b/Capital.yaml (a/b/Capital.yaml)",
		"b/c.yaml (a/b/c.yaml)",
		"b/deeper/x.yml (a/b/deeper/x.yml)",
		"z.yaml (a/z.yaml)",
		"b.yml (b.yml)",
		"custom (named.yaml)",
		"other.yaml (sub/other.yaml)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("suites:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if full := p.Suites[0].Tests[0].FullName(); full != "b/Capital.yaml/t" {
		t.Errorf("FullName = %q", full)
	}
}

func TestDuplicateSuiteNames(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.yaml": "suite: same\n" + minimal, "b.yaml": "suite: same\n" + minimal})
	_, err := Load([]string{dir}, Options{})
	want := filepath.Join(dir, "b.yaml") + ":1:1: duplicate suite name \"same\": " + filepath.Join(dir, "a.yaml") + ":1 already uses it; set a different `suite`"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

func TestOptionErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"spec.yaml":  minimal,
		"vars.yaml":  "ok: 1\n1bad: 2\nx: .nan\n",
		"list.yaml":  "- a\n",
		"empty.yaml": "",
	})
	spec := filepath.Join(dir, "spec.yaml")
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"var without equals", Options{Vars: []string{"n"}}, `--var: an argument has no "=": write --var NAME=VALUE (the argument is not shown: it may be a secret)`},
		{"var without a name", Options{Vars: []string{"=SuperSecretTokenValue123"}}, `--var: an argument has no name before "=": write --var NAME=VALUE (the value is not shown: it may be a secret)`},
		{"var with a bad name", Options{Vars: []string{"a-b=SuperSecretTokenValue123"}}, `--var: invalid variable name "a-b": use a letter or _ followed by letters, digits or _`},
		{"var named env", Options{Vars: []string{"env=SuperSecretTokenValue123"}}, `--var: the variable name env is reserved for ${env.NAME}; choose another name`},
		{"var file problems", Options{VarFiles: []string{filepath.Join(dir, "vars.yaml")}},
			filepath.Join(dir, "vars.yaml") + `:2:1: invalid variable name "1bad": use a letter or _ followed by letters, digits or _` + "\n" +
				filepath.Join(dir, "vars.yaml") + ":3:4: this number cannot be written in JSON (it is infinite or not a number): write a finite decimal number (the value is not shown: it may be a secret)"},
		{"var file not a mapping", Options{VarFiles: []string{filepath.Join(dir, "list.yaml")}}, filepath.Join(dir, "list.yaml") + ":1:1: a var file must be a mapping of NAME: VALUE, got a list"},
		{"empty var file", Options{VarFiles: []string{filepath.Join(dir, "empty.yaml")}}, filepath.Join(dir, "empty.yaml") + ":1:1: empty file: a var file is a mapping of NAME: VALUE"},
		{"missing var file", Options{VarFiles: []string{filepath.Join(dir, "none.yaml")}}, filepath.Join(dir, "none.yaml") + ": --var-file: no such file or directory: check the path"},
		{"undefined secret", Options{Secrets: []string{"token"}}, `--secret: "token" is not a variable: no suite, --var or --var-file defines it and no step captures it`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load([]string{spec}, c.opts)
			if err == nil || err.Error() != c.want {
				t.Errorf("error = %v\nwant %s", err, c.want)
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	cases := []struct {
		pos  Pos
		want string
	}{
		{Pos{"f.yaml", 3, 7}, "f.yaml:3:7: m"},
		{Pos{"f.yaml", 3, 0}, "f.yaml:3: m"},
		{Pos{"f.yaml", 0, 0}, "f.yaml: m"},
	}
	for _, c := range cases {
		if got := (&Error{Pos: c.pos, Msg: "m"}).Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
	if got := (Pos{"f.yaml", 3, 7}).FileLine(); got != "f.yaml:3" {
		t.Errorf("FileLine = %q", got)
	}
}

func TestSecretsMayNameCaptures(t *testing.T) {
	spec := "vars: {pw: hunter2, n: 5, empty: \"\"}\nsetup:\n  - action: p/login\n    capture: {token: content.token}\n" + strings.TrimPrefix(minimal, "")
	p := loadOne(t, spec, Options{Secrets: []string{"token", "pw", "n", "empty", "pw"}})
	if got := strings.Join(p.Secrets, ","); got != "hunter2,5" {
		t.Errorf("Secrets = %q, want hunter2,5 (captures have no load-time value; empty values are omitted)", got)
	}
}

func TestProblemsAreCappedPerFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("tests:\n")
	for i := range maxErrors + 20 {
		fmt.Fprintf(&b, "  - name: t%d\n    action: p/a\n    bogus: %d\n", i, i)
	}
	dir := writeFiles(t, map[string]string{"s.yaml": b.String()})
	_, err := Load([]string{filepath.Join(dir, "s.yaml")}, Options{})
	if err == nil {
		t.Fatal("Load succeeded")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != maxErrors+1 || !strings.HasSuffix(lines[len(lines)-1], ": too many problems (more than 100): fix these first") {
		t.Errorf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

// TestLargeDefaultsAreCompiledOnce loads a large defaults.params applied to
// many tests: it is compiled once, not once per test.
func TestLargeDefaultsAreCompiledOnce(t *testing.T) {
	var b strings.Builder
	b.WriteString("defaults:\n  params:\n    big: [")
	for i := range 100_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('1')
	}
	b.WriteString("]\ntests:\n")
	for i := range 50 {
		fmt.Fprintf(&b, "  - name: t%d\n    action: p/a\n", i)
	}
	dir := writeFiles(t, map[string]string{"s.yaml": b.String()})
	p, err := Load([]string{filepath.Join(dir, "s.yaml")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := p.Suites[0].Tests[0].Steps[0].Body
	last := p.Suites[0].Tests[49].Steps[0].Body
	b1, _ := first(nil)
	b2, _ := last(nil)
	if len(b1) != len(`{"big":[]}`)+2*100_000-1 || string(b1) != string(b2) {
		t.Errorf("bodies of %d and %d bytes", len(b1), len(b2))
	}
}

// aliasVarSpec is a small spec whose variable big is an alias tree of
// about 280,000 values, used by uses tests: each use is a copy of it in the
// compiled spec.
func aliasVarSpec(uses int) string {
	var b strings.Builder
	b.WriteString("vars:\n  a: &a [1,1,1,1,1,1,1,1,1,1]\n")
	for i, name := range []string{"b", "c", "d", "e"} {
		prev := string(rune('a' + i))
		fmt.Fprintf(&b, "  %s: &%s [%s]\n", name, name, strings.TrimSuffix(strings.Repeat("*"+prev+",", 10), ","))
	}
	b.WriteString("  big: [*e,*e,*d,*d,*d,*d,*d,*d,*d,*d]\ntests:\n")
	for i := range uses {
		fmt.Fprintf(&b, "  - {name: t%d, action: p/a, params: {x: '${big}'}}\n", i)
	}
	return b.String()
}

// Aliases expanded through a variable are bounded like an alias bomb: the
// values a variable brings to each use count against the file's budget.
func TestAliasesExpandedThroughVariablesAreBounded(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bomb.yaml": aliasVarSpec(200), "ok.yaml": aliasVarSpec(2)})
	_, err := Load([]string{filepath.Join(dir, "bomb.yaml")}, Options{})
	want := fmt.Sprintf("bomb.yaml:20:42: params.x: ${big} brings 311111 values to each use: the spec expands to more than %d values once defaults, aliases and variables are applied to every test; use smaller variables, smaller defaults.params or fewer aliases", maxWork)
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("Load error = %v\nwant one ending %q", err, want)
	}
	if _, err := Load([]string{filepath.Join(dir, "ok.yaml")}, Options{}); err != nil {
		t.Errorf("a large variable used twice is fine: %v", err)
	}
}

// Aliases of a long string are bounded like nested aliases: 300 aliases of
// a 1 MB string would be a 300 MB body.
func TestAliasesOfLongStringsAreBounded(t *testing.T) {
	spec := "vars:\n  s: &s \"" + strings.Repeat("x", 1<<20) + "\"\ntests:\n  - name: t\n    action: p/a\n    params: {a: [" +
		strings.TrimSuffix(strings.Repeat("*s,", 300), ",") + "]}\n"
	dir := writeFiles(t, map[string]string{"s.yaml": spec})
	_, err := Load([]string{filepath.Join(dir, "s.yaml")}, Options{})
	want := "s.yaml:1:1: the document expands to more than 1000000 values through aliases (64 bytes of text count as one): use fewer nested aliases, or fewer aliases of long strings"
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("Load error = %v, want one ending %q", err, want)
	}
}

// A document is refused for its size only when it holds an alias: one
// without was refused with "expands ... through aliases" once over the
// limit (1,000,000 values), about something it does not contain. The
// bound is the same code at a limit of 10 here. An alias after the limit
// is passed in plain values must still be measured, not skipped.
func TestAliasBoundRefusesOnlyDocumentsWithAliases(t *testing.T) {
	tests := []struct {
		name, doc, want string // want: "" when within the bound
	}{
		{"no alias, 20 values", "a: [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]", ""},
		{"an anchor and no alias, 20 values", "a: &x [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]", ""},
		{"an alias within the bound", "a: &x [0,0]\nb: *x", ""},
		{"an alias over the bound", "a: &x [0,0,0,0,0,0]\nb: *x", "f.yaml:1:1: the document expands to more than 10 values through aliases"},
		{"an alias after the bound is passed", "a: [0,0,0,0,0,0,0,0,0,0,0,0]\nb: &x [0]\nc: [*x, *x]", "f.yaml:1:1: the document expands to more than 10 values through aliases"},
		{"one alias over the bound by itself", "a: &x [0,0,0,0,0,0,0,0,0,0,0,0]\nb: *x", "f.yaml:2:4: alias *x expands to more than 10 values"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tc.doc), &doc); err != nil {
				t.Fatal(err)
			}
			probs := &problems{}
			ok := withinAliasBound("f.yaml", doc.Content[0], probs, 10)
			got := ""
			if len(probs.list) > 0 {
				got = probs.list[0].Error()
			}
			if ok != (tc.want == "") || !strings.HasPrefix(got, tc.want) {
				t.Errorf("within = %v, problems %q; want a problem starting %q", ok, got, tc.want)
			}
		})
	}
}

// Only a file with both an anchor and an alias byte is measured at all:
// a JSONPath wildcard alone does not make a file an alias suspect.
func TestMayAlias(t *testing.T) {
	for doc, want := range map[string]bool{
		"path: items[*].id":        false,
		"url: a?b=1&c=2":           false,
		"a: &x 1\nb: *x":           true,
		"a: \"&\"\nb: items[*].id": true, // a suspect, measured and accepted
	} {
		if got := mayAlias([]byte(doc)); got != want {
			t.Errorf("mayAlias(%q) = %v, want %v", doc, got, want)
		}
	}
}

// A load error quotes a bad value cut to 40 bytes before the secrets are
// all known: what is left of a secret before the cut is masked too (a
// secret of 12 three-byte runes and a core fills the 40 bytes exactly).
func TestLoadErrorMasksASecretCutShort(t *testing.T) {
	secret := strings.Repeat("€", 12) + "Kq7w" + ";;tail"
	file := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(file, []byte("tests:\n  - name: t\n    action: p/a\n    timeout: \"${s}\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load([]string{file}, Options{Vars: []string{"s=" + secret}, Secrets: []string{"s"}})
	if err == nil || !strings.Contains(err.Error(), "is not a duration") {
		t.Fatalf("want the duration error, got %v", err)
	}
	for _, leak := range []string{"Kq7w", "€€€"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("the error holds %q: %v", leak, err)
		}
	}
}
