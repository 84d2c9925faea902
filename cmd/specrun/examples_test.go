package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestExamples runs every example folder against the emulator and compares
// what a user sees and every report with golden files.
func TestExamples(t *testing.T) {
	tests := []struct {
		name     string
		manifest string
		specs    string
		code     int
		needs    []string
	}{
		{"specs", "../../examples/manifest.yaml", "../../examples/specs", 0, nil},
		{"failing", "../../examples/manifest.yaml", "../../examples/failing", 1, nil},
		{"runtimes", "../../examples/runtimes/manifest-runtimes.yaml", "../../examples/runtimes/specs", 0, []string{"node", "python3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, bin := range tt.needs {
				if _, err := exec.LookPath(bin); err != nil {
					if os.Getenv("CI") != "" {
						t.Fatalf("these examples need %s on PATH, and CI is set: .ci/run installs it", bin)
					}
					t.Skipf("these examples need %s on PATH", bin)
				}
			}
			c := newCLI(t)
			c.env["GREET_NAME"] = "" // examples read ${env.GREET_NAME:-...}; keep the default
			delete(c.env, "GREET_NAME")
			out := filepath.Join(c.dir, "out")
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			o := c.run("--local", tt.manifest, "--parallel", "1",
				"--report-junit", filepath.Join(out, "junit.xml"),
				"--report-tap", filepath.Join(out, "report.tap"),
				"--report-json", filepath.Join(out, "report.json"),
				tt.specs)
			if o.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", o.code, tt.code, o)
			}
			checkGolden(t, "examples-"+tt.name+"-console.txt", stabilizeRun(o.stdout))
			for _, f := range []string{"junit.xml", "report.tap", "report.json"} {
				data, err := os.ReadFile(filepath.Join(out, f))
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, "examples-"+tt.name+"-"+f, stabilizeRun(string(data)))
			}
		})
	}
}

// stabilizeRun also masks what depends on timing: how many polls a slow
// action took.
func stabilizeRun(s string) string {
	s = stabilize(s)
	s = regexp.MustCompile(`\d+ polls?\b`).ReplaceAllString(s, "N polls")
	s = regexp.MustCompile(`\n\s*"polls": \d+,`).ReplaceAllString(s, "")
	return dropPolls(s)
}

// dropPolls removes the exchanges of activation polls, whose number
// depends on timing, from a JSON or JUnit report.
func dropPolls(s string) string {
	s = regexp.MustCompile(`,\n\s*\{\n\s*"start": "SENT",\n\s*"poll": true,\n\s*"request": [^\n]*\n\s*"response": [^\n]*\n\s*\}`).ReplaceAllString(s, "")
	var out []string
	inPoll, lastBlank := false, false
	for _, l := range strings.SplitAfter(s, "\n") {
		switch {
		case strings.HasPrefix(l, "--- ") && strings.Contains(l, ", poll: "):
			inPoll = true
		case inPoll && (strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "]]>")):
			inPoll = false
			if lastBlank {
				out = append(out, "\n") // the blank line that ends a test's exchanges
			}
		}
		if inPoll {
			lastBlank = l == "\n"
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "")
}
