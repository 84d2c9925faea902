package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An action's error text reaches every output cut to a bounded length, and
// cut only after redaction: a 1 MB error (OpenWhisk's over-limit message
// quotes the first megabyte of the result) must not flood the console or
// the reports, and a secret that straddles the cut must not leave its
// prefix behind.
func TestActionErrorTextIsBoundedAfterRedaction(t *testing.T) {
	dir := t.TempDir()
	const secret = "S3CRET-VALUE-1234"
	// The secret starts 2,040 bytes into the message, across the 2,048-byte cut.
	long := strings.Repeat("x", 2040-len(`the action ended with status "application error": `)) + secret + strings.Repeat("y", 300000)
	writeFile(t, filepath.Join(dir, "manifest.yaml"),
		"namespace: n\npackages:\n  p:\n    actions:\n      fail: {result: {error: \""+long+"\"}}\n")
	writeFile(t, filepath.Join(dir, "s.yaml"), "tests:\n  - name: fails\n    action: p/fail\n")
	report := filepath.Join(dir, "r.json")
	junit := filepath.Join(dir, "r.xml")
	c := newCLI(t)
	o := c.run("--local", filepath.Join(dir, "manifest.yaml"), "--no-color", "--var", "s="+secret, "--secret", "s",
		"--report-json", report, "--report-junit", junit, filepath.Join(dir, "s.yaml"))
	if o.code != 1 {
		t.Fatalf("exit %d, want 1\n%.2000s", o.code, o.stdout)
	}
	if !strings.Contains(o.stdout, "…(+") {
		t.Errorf("the console does not say the message was cut:\n%.3000s", o.stdout)
	}
	if len(o.stdout) > 64<<10 {
		t.Errorf("console output is %d bytes for one failing test; want the message bounded", len(o.stdout))
	}
	outputs := map[string]string{"stdout": o.stdout, "stderr": o.stderr}
	for _, f := range []string{report, junit} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		outputs[f] = string(data)
	}
	for name, text := range outputs {
		for _, leak := range []string{secret, secret[:8]} {
			if strings.Contains(text, leak) {
				t.Errorf("%s holds %q", name, leak)
			}
		}
	}
}
