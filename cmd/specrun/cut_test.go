package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The audit's reproductions of a secret cut before it was redacted (a
// diff line, an operand) and of a --secret capture whose step fails, run
// by the real command: no output or report holds any beginning of 8 bytes
// or more of any of the secrets.
func TestNoPrefixOfASecretInAnyOutput(t *testing.T) {
	tok := "jwt_" + strings.Repeat("abcdefghij", 10)
	secrets := []string{
		tok,
		"CapTok_Ab3dE6gH9jAb3dE6gH9jAb3dE6gH9jAb3dE6gH9jAb3dE6gH9jAb3dE6gH9jAb3dE6gH9j",
		"Tok_" + strings.Repeat("Ab3dE6gH9j", 10),
	}
	c := newCLI(t)
	reports := []string{filepath.Join(c.dir, "r.xml"), filepath.Join(c.dir, "r.tap"), filepath.Join(c.dir, "r.json")}
	var outs []string
	for _, format := range []string{"console", "tap", "json", "jsonl"} {
		o := c.run("--local", "testdata/secret/cut-manifest.yaml", "--var", "tok="+tok, "--secret", "tok", "--secret", "cap",
			"--format", format, "--report-junit", reports[0], "--report-tap", reports[1], "--report-json", reports[2],
			"testdata/secret/cut-diff.yaml", "testdata/secret/cut-capture.yaml")
		if o.code != 1 {
			t.Fatalf("%s: want exit 1 (the specs fail on purpose): %s", format, o)
		}
		outs = append(outs, o.stdout, o.stderr)
		for _, r := range reports {
			b, err := os.ReadFile(r)
			if err != nil {
				t.Fatal(err)
			}
			outs = append(outs, string(b))
		}
	}
	all := strings.Join(outs, "\n")
	for _, secret := range secrets {
		for n := len(secret); n >= 8; n-- {
			if i := strings.Index(all, secret[:n]); i >= 0 {
				t.Fatalf("the first %d bytes of %q are shown: …%s…", n, secret, all[max(0, i-200):min(len(all), i+n+40)])
			}
		}
	}
	// The cases ran: each shows its secret masked where it would be.
	for _, want := range []string{`/s: expected "wrong", got "***"`, `got a string ("***")`, `"token":"***"`} {
		if !strings.Contains(all, want) && !strings.Contains(all, strings.ReplaceAll(want, `"`, `\"`)) && !strings.Contains(all, strings.ReplaceAll(want, `"`, "&#34;")) {
			t.Errorf("no %q in any output", want)
		}
	}
}
