package main

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The audit's reproductions of S8 and S10 through the real command against
// the emulator: two overlapping secrets echoed by an action, and an action
// that answers with a secret in base64 (inside a Basic credential) and in
// hex. Neither the tail of a secret nor an encoding of one is in any
// output: the console, -v and the JSON report.
func TestOverlappingAndEncodedSecretsNeverShown(t *testing.T) {
	c := newCLI(t)
	const coded = "Hunter2Pass<&\">"
	b64 := base64.StdEncoding.EncodeToString([]byte("u:" + coded))
	hx := hex.EncodeToString([]byte(coded))
	manifest := filepath.Join(c.dir, "m.yaml")
	writeFile(t, manifest, `namespace: local
packages:
  p:
    actions:
      echo: {builtin: echo}
      coded: {result: {auth: "Basic `+b64+`", hex: "`+hx+`"}}
`)
	specs := filepath.Join(c.dir, "forms.yaml")
	writeFile(t, specs, `suite: forms
tests:
  - name: overlap
    action: p/echo
    params: {s: "${a}world"}
    expect: {result: {s: wrong}}
  - name: coded
    action: p/coded
    expect: {result: {auth: wrong}}
`)
	vars := filepath.Join(c.dir, "vars.yaml")
	writeFile(t, vars, "c: "+`"Hunter2Pass<&\">"`+"\n")
	report := filepath.Join(c.dir, "r.json")
	o := c.run("--local", manifest, "--var", "a=hello-OVERLAP", "--var", "b=OVERLAPworld", "--var-file", vars,
		"--secret", "a", "--secret", "b", "--secret", "c", "-v", "--parallel", "1", "--report-json", report, specs)
	if o.code != 1 {
		t.Fatalf("want exit 1 (the tests fail on purpose): %s", o)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for i, out := range []string{o.stdout, o.stderr, string(data)} {
		if i != 1 && !strings.Contains(out, "***") {
			t.Fatalf("output %d masks nothing: the secrets were not sent?\n%s", i, out)
		}
		for _, leak := range []string{"world", "OVERLAP", b64[4:], hx, strings.ToUpper(hx)} {
			if strings.Contains(out, leak) {
				t.Errorf("output %d holds %q:\n%s", i, leak, out)
			}
		}
	}
}

// A --secret value shorter than 4 bytes is warned about once, at start, by
// run and validate, naming the variable, not the value (audit S11: --var
// pin=200 gave "< HTTP ***" beside "fail (HTTP 200…)").
func TestShortSecretWarnedOnce(t *testing.T) {
	c := newCLI(t)
	vars := filepath.Join(c.dir, "vars.yaml")
	writeFile(t, vars, "pin: 200\nlong: a-long-enough-value\n")
	const warning = "specrun: warning: --secret pin: "
	for _, args := range [][]string{
		{"validate", "--var", "pin=200", "--secret", "pin", "--var", "tok=abcd", "--secret", "tok", "testdata/secret/echo.yaml", "--var", "s=x1234"},
		{"validate", "--var-file", vars, "--secret", "pin", "--secret", "long", "--var", "s=x1234", "testdata/secret/echo.yaml"},
		{"--local", "testdata/manifest.yaml", "--var", "pin=200", "--secret", "pin", "--var", "s=x1234", "testdata/secret/echo.yaml"},
	} {
		o := c.run(args...)
		if strings.Count(o.stderr, warning) != 1 || strings.Count(o.stderr, "warning: --secret") != 1 {
			t.Errorf("%q: want one warning about pin alone:\n%s", args, o)
			continue
		}
		_, line, _ := strings.Cut(o.stderr, warning)
		if line, _, _ = strings.Cut(line, "\n"); strings.Contains(line, "200") {
			t.Errorf("%q: the warning shows the value: %s", args, o)
		}
	}
}

// docs/spec-format.md states the threshold of the warning.
func TestDocsStateTheShortSecretLength(t *testing.T) {
	doc, err := os.ReadFile("../../docs/spec-format.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ")
	if want := fmt.Sprintf("whose value is shorter than %d bytes", minSecretLen); !strings.Contains(text, want) {
		t.Errorf("docs/spec-format.md does not say %q", want)
	}
}
