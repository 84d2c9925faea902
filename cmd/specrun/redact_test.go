package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/specrun/specrun/internal/redact"
)

// secretOutputs runs testdata/secret/echo.yaml against the emulator with secret as
// the --secret variable s, -v, and every report, and returns everything
// written: stdout, stderr and the JUnit, TAP and JSON files.
func secretOutputs(t *testing.T, secret string) []string {
	t.Helper()
	c := newCLI(t)
	vars := filepath.Join(c.dir, "vars.yaml")
	// Go's quoting is a valid YAML double-quoted scalar for any valid
	// UTF-8 (yaml.Marshal is not: some strings with tabs come out as
	// block scalars that do not parse back).
	data := "s: " + strconv.Quote(secret) + "\n"
	if err := os.WriteFile(vars, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	reports := []string{filepath.Join(c.dir, "r.xml"), filepath.Join(c.dir, "r.tap"), filepath.Join(c.dir, "r.json")}
	o := c.run("--local", "testdata/manifest.yaml", "--var-file", vars, "--secret", "s", "-v", "--parallel", "1",
		"--report-junit", reports[0], "--report-tap", reports[1], "--report-json", reports[2], "testdata/secret/echo.yaml")
	if o.code != 1 {
		t.Fatalf("want exit 1 (the spec fails on purpose): %s", o)
	}
	outs := []string{o.stdout, o.stderr}
	for _, r := range reports {
		b, err := os.ReadFile(r)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, string(b))
	}
	// A value never sent cannot leak: the echo must have come back masked.
	if !strings.Contains(outs[4], `***-not`) || !strings.Contains(outs[4], `echo-***`) {
		t.Fatalf("the secret was not sent, or not where expected:\n%s", outs[4])
	}
	// The validate of a spec where the secret makes a field fail to load.
	o = c.run("validate", "--var-file", vars, "--secret", "s", "testdata/secret/load-error.yaml")
	if o.code != 2 || !strings.Contains(o.stdout+o.stderr, "timeout") {
		t.Fatalf("want the load error about timeout: %s", o)
	}
	return append(outs, o.stdout, o.stderr)
}

// checkNoSecret fails when any form of secret, or its core (a part that
// every form keeps as is), appears in any output.
func checkNoSecret(t *testing.T, secret, core string, outs []string) {
	t.Helper()
	forms := redact.Forms(secret)
	for i, out := range outs {
		for _, f := range forms {
			if strings.Contains(out, f) {
				t.Fatalf("output %d holds the secret %q as %q:\n%s", i, secret, f, out)
			}
		}
		if core != "" && strings.Contains(out, core) {
			t.Fatalf("output %d holds the core %q of the secret %q in an unknown form:\n%s", i, core, secret, out)
		}
	}
}

// The reproductions: a secret with JSON- and XML-special
// characters, a backslash or a tab, echoed, in an action name, in a field
// that fails to load, and longer than the 2,048 bytes a value is cut to.
func TestSecretInEveryFormNeverInAnyOutput(t *testing.T) {
	cases := map[string]string{
		"quotes and markup": `p"w<d>&xCORE`,
		"backslash":         `a\bCORE\z`,
		"tab":               "tab\tCORE\tx",
		"percent and slash": "50%/CORE?x=1&y",
		"multi-byte":        "비밀CORE번호",
		"long":              strings.Repeat("x", 1500) + "CORE" + strings.Repeat("y", 1000),
	}
	for name, secret := range cases {
		t.Run(name, func(t *testing.T) {
			checkNoSecret(t, secret, "CORE", secretOutputs(t, secret))
		})
	}
}

// hostile is the alphabet of FuzzSecretRedaction's secrets: what JSON, XML,
// URLs, YAML, Go quoting, JSONPath and JSON pointers escape, and multi-byte
// UTF-8. It leaves out "/": the secret is also an action name, and a
// server that splits the name at a "/" answers with a part of it ("action
// echo-abc does not exist"), which no redactor can know is secret. The
// table test above has a "/" in the middle of a secret.
var hostile = []rune("\"'\\<>&%?#=+;:, \t\n\r\x00\x01\x1f\x7f~*${}[]aZ9é€😀\u2028\ufeff")

func hostileString(b string) string {
	var s strings.Builder
	for i := 0; i < len(b) && i < 12; i++ {
		s.WriteRune(hostile[int(b[i])%len(hostile)])
	}
	return s.String()
}

// FuzzSecretRedaction makes a secret of hostile characters around a core
// that every encoding leaves as it is, runs a failing spec that echoes it,
// names an action with it and fails to load with it, and checks that no
// output or report holds any form of it, or its core.
func FuzzSecretRedaction(f *testing.F) {
	f.Add(`"<&`, `\`+"\t")
	f.Add("%/?", "é😀")
	f.Add("\x00\x01", "'#")
	f.Add("YZ", "'#") // a tab that yaml.Marshal writes as a block scalar it cannot read back
	f.Fuzz(func(t *testing.T, pre, post string) {
		secret := hostileString(pre) + "Kq7w" + hostileString(post)
		if !utf8.ValidString(secret) {
			t.Skip()
		}
		checkNoSecret(t, secret, "Kq7w", secretOutputs(t, secret))
	})
}
