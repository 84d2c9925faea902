package main

import (
	"encoding/base64"
	"encoding/hex"
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
