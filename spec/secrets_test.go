package spec

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
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

// Names, tags and skip reasons hold no secret once loaded (values of
// --secret variables and the credentials): every output shows them as
// ***. Names that become the same are problems, and say why.
func TestSecretsAreHiddenInNames(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml": `suite: suite Zq9SecretVal
tags: [team-Zq9SecretVal, smoke]
setup: [{name: setup as Zq9SecretVal, action: p/a}]
teardown: [{name: AK-CRED-1 teardown, action: p/a}]
tests:
  - name: t Zq9SecretVal
    tags: [Zq9SecretVal, AK-CRED-1]
    skip: blocked until Zq9SecretVal rotates
    steps: [{name: login as Zq9SecretVal, action: p/a}]
  - name: plain
    action: Zq9SecretVal/a
`,
	})
	p, err := Load([]string{dir}, Options{Vars: []string{"tok=Zq9SecretVal"}, Secrets: []string{"tok"}, Credentials: []string{"AK-CRED-1"}})
	if err != nil {
		t.Fatal(err)
	}
	s := p.Suites[0]
	t0, t1 := s.Tests[0], s.Tests[1]
	got := []string{s.Name, fmt.Sprint(s.Tags), s.Setup[0].Name, s.Teardown[0].Name, t0.FullName(), fmt.Sprint(t0.Tags), t0.Skip, t0.Steps[0].Name, t1.Steps[0].Name, fmt.Sprint(p.Tags())}
	want := []string{"suite ***", "[team-*** smoke]", "setup as ***", "*** teardown", "suite ***/t ***", "[team-*** smoke ***]", "blocked until *** rotates", "login as ***", "***/a", "[*** smoke team-***]"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if p.Redact("--run Zq9SecretVal") != "--run ***" {
		t.Errorf("Redact: %q", p.Redact("--run Zq9SecretVal"))
	}
	if (&Project{}).Redact("x") != "x" {
		t.Error("a project without secrets redacts")
	}
}

func TestNamesThatSecretsMakeTheSameAreProblems(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml": "suite: s-Zq9AAA\ntests:\n  - {name: t-Zq9AAA, action: p/a}\n  - {name: t-Zq9BBB, action: p/a}\n  - {name: t-Zq9AAA, action: p/a}\n",
		"b.yaml": "suite: s-Zq9BBB\ntests: [{name: t, action: p/a}]\n",
		"c.yaml": "suite: same\ntests: [{name: t, action: p/a}]\n",
		"d.yaml": "suite: same\ntests: [{name: t, action: p/a}]\n",
	})
	_, err := Load([]string{dir}, Options{Vars: []string{"a=Zq9AAA", "b=Zq9BBB"}, Secrets: []string{"a", "b"}})
	got := strings.ReplaceAll(fmt.Sprint(err), dir+string(filepath.Separator), "")
	want := `a.yaml:4:5: duplicate test name "t-***" once secrets are replaced by ***: the test at line 3 shows the same name; test names must be unique within a suite as shown: rename one
a.yaml:5:5: duplicate test name "t-***": already used by the test at line 3; test names must be unique within a suite
b.yaml:1:1: duplicate suite name "s-***" once secrets are replaced by ***: a.yaml:1 already uses it; set a different ` + "`suite`" + `
d.yaml:1:1: duplicate suite name "same": c.yaml:1 already uses it; set a different ` + "`suite`"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// A second audit: a regular expression built from a secret that does not
// compile showed the piece of it Go's regexp quotes (`[TailOfSecret99$`),
// which no redaction of the whole secret catches. An operand built from
// variables gets the error without that piece; a pattern written as is
// keeps it, for it shows where the mistake is.
func TestInvalidRegexpOfAVariableQuotesNoPart(t *testing.T) {
	dir := writeFiles(t, map[string]string{"rx.yaml": `tests:
  - name: built
    action: p/a
    expect:
      assert:
        - {path: content.response.result.t, matches: "^${tok}$"}
        - {path: content.response.result.t, not_matches: "a(b"}
`})
	_, err := Load([]string{dir}, Options{Vars: []string{"tok=MySecretPrefix[TailOfSecret99"}, Secrets: []string{"tok"}})
	if err == nil {
		t.Fatal("want the invalid regular expressions refused")
	}
	msg := err.Error()
	for _, piece := range []string{"TailOfSecret", "MySecret", "Secret99"} {
		if strings.Contains(msg, piece) {
			t.Errorf("error %q shows %q, a part of the secret", msg, piece)
		}
	}
	if !strings.Contains(msg, "matches: invalid regular expression: missing closing ]") {
		t.Errorf("error %q: want what is wrong with the expression built from variables", msg)
	}
	if !strings.Contains(msg, "not_matches: invalid regular expression: error parsing regexp: missing closing ): `a(b`") {
		t.Errorf("error %q: want the faulty part of the pattern written as is", msg)
	}
}
