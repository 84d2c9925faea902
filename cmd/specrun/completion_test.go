package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// complete asks specrun's hidden completion command, as the shell scripts
// do, and returns the completions (without descriptions) and the directive.
func (c *cli) complete(args ...string) ([]string, cobra.ShellCompDirective) {
	c.t.Helper()
	o := c.run(append([]string{cobra.ShellCompNoDescRequestCmd}, args...)...)
	if o.code != 0 {
		c.t.Fatalf("__complete %q: %s", args, o)
	}
	lines := strings.Split(strings.TrimSuffix(o.stdout, "\n"), "\n")
	last := lines[len(lines)-1]
	var d int
	if _, err := fmt.Sscanf(last, ":%d", &d); err != nil {
		c.t.Fatalf("__complete %q: no directive line:\n%s", args, o)
	}
	return lines[:len(lines)-1], cobra.ShellCompDirective(d)
}

func TestCompletion(t *testing.T) {
	c := newCLI(t)
	commands := []string{"completion", "help", "init", "monitor", "report", "run", "schema", "serve", "validate", "version"} // as cobra sorts them
	passTags := []string{"flow", "smoke", "not"}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"commands and paths", []string{""}, append(append([]string{}, commands...), "scaffold/", "testdata/")},
		{"a command", []string{"ser"}, []string{"serve"}},
		{"run's flags by default", []string{"--ta"}, []string{"--tags", "--tap-version"}},
		{"a command's flags", []string{"validate", "--v"}, []string{"--var", "--var-file"}},
		{"the short flag too", []string{"run", "-"}, nil}, // checked below: many
		{"--format", []string{"--format", ""}, []string{"console", "tap", "json", "jsonl"}},
		{"--platform", []string{"testdata/pass", "--platform", "v"}, []string{"vpc"}},
		{"--tap-version", []string{"--tap-version", ""}, []string{"13", "14"}},
		{"directories", []string{"testdata/pa"}, []string{"testdata/pass/"}},
		{"spec files only", []string{"testdata/"}, []string{"testdata/fail/", "testdata/golden/", "testdata/invalid/", "testdata/manifest.yaml", "testdata/pass/", "testdata/secret/", "testdata/slow/", "testdata/slowteardown/"}},
		{"spec files in a directory", []string{"run", "testdata/pass/"}, []string{"testdata/pass/smoke.yaml"}},
		{"tags of the specs", []string{"testdata/pass", "--tags", ""}, passTags},
		{"no tags before a path", []string{"--tags", ""}, nil},
		{"a tag by its start", []string{"testdata/pass", "--tags", "fl"}, []string{"flow"}},
		{"operators after a tag", []string{"testdata/pass", "--tags", "smoke "}, []string{"smoke and", "smoke or"}},
		{"tags after and", []string{"testdata/pass", "--tags", "smoke and "}, []string{"smoke and flow", "smoke and smoke", "smoke and not"}},
		{"tags after or", []string{"testdata/pass", "--tags", "smoke or f"}, []string{"smoke or flow"}},
		{"tags after not", []string{"testdata/pass", "--tags", "not s"}, []string{"not smoke"}},
		{"tags after a parenthesis", []string{"testdata/pass", "--tags", "smoke and (f"}, []string{"smoke and (flow"}},
		{"tags after an open quote", []string{"testdata/pass", "--tags", "'smoke and not f"}, []string{"'smoke and not flow"}},
		{"operators after a parenthesis", []string{"testdata/pass", "--tags", "(smoke or flow) a"}, []string{"(smoke or flow) and"}},
		{"the tags of every spec named", []string{"testdata/pass", "../../examples/specs/08-operators.yaml", "--tags", ""}, nil},
		{"test names", []string{"testdata/pass", "--run", "smoke/t"}, []string{`smoke/two steps`}},
		{"test names as expressions", []string{"testdata/pass", "--run", ""}, []string{"smoke/hello answers", "smoke/echo returns the bound params", "smoke/two steps", "smoke/later"}},
		{"shells", []string{"completion", ""}, []string{"bash", "zsh", "fish", "powershell"}},
		{"no tags from invalid specs", []string{"testdata/invalid", "--tags", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := c.complete(tt.args...)
			switch tt.name {
			case "the short flag too":
				if !slices.Contains(got, "-v") || !slices.Contains(got, "--parallel") {
					t.Errorf("got %q", got)
				}
				return
			case "the tags of every spec named":
				if !slices.Contains(got, "catalog") || !slices.Contains(got, "flow") {
					t.Errorf("got %q, want the tags of both directories", got)
				}
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("__complete %q = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
	if _, d := c.complete("serve", ""); d != cobra.ShellCompDirectiveFilterFileExt {
		t.Errorf("serve MANIFEST: directive %d, want YAML files", d)
	}
	if _, d := c.complete("testdata/pa"); d&cobra.ShellCompDirectiveNoSpace == 0 {
		t.Errorf("a directory is completed with a space after it")
	}
}

// Completion loads the specs as run would: with the command's --var and
// the environment run sees.
func TestCompletionLoadsSpecsAsRunDoes(t *testing.T) {
	c := newCLI(t)
	file := filepath.Join(c.dir, "env.yaml")
	src := "suite: env\ntags: [needs-env]\ntests:\n  - name: t\n    action: p/a\n    params:\n      x: ${env.NEEDED}\n      y: ${v}\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.complete(file, "--var", "v=1", "--tags", ""); len(got) != 0 {
		t.Errorf("specs that do not load (NEEDED unset) gave %q", got)
	}
	c.env["NEEDED"] = "1"
	if got, _ := c.complete(file, "--tags", ""); len(got) != 0 {
		t.Errorf("specs that do not load (no --var v) gave %q", got)
	}
	if got, _ := c.complete(file, "--var", "v=1", "--tags", ""); !slices.Equal(got, []string{"needs-env", "not"}) {
		t.Errorf("got %q, want the spec's tag", got)
	}
}

func TestCompletionScripts(t *testing.T) {
	c := newCLI(t)
	for _, shell := range shells {
		o := c.run("completion", shell)
		if o.code != 0 || !strings.Contains(o.stdout, "__complete") || !strings.Contains(o.stdout, "specrun") {
			t.Errorf("completion %s: exit %d, %d bytes of script that does not call specrun __complete", shell, o.code, len(o.stdout))
		}
	}
}

// TestCompletionInRealBash sources the bash script and runs its completion
// function as bash would on <TAB>: COMP_WORDS as the shell splits the line,
// with its escapes.
func TestCompletionInRealBash(t *testing.T) {
	bin := binary(t)
	bash := tool(t, "bash", "bash")
	const bashCompletion = "/usr/share/bash-completion/bash_completion"
	if _, err := os.Stat(bashCompletion); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: install Debian's bash-completion (.ci/run does)", bashCompletion)
		}
		t.Skipf("install Debian's bash-completion to run this test")
	}
	script := `source ` + bashCompletion + `
source <(specrun completion bash)
try() {
  COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  __start_specrun specrun "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
  printf '%s|' "${COMPREPLY[@]}"; echo
}
try specrun se
try specrun --form
try specrun --format j
try specrun testdata/pa
try specrun testdata/pass --tags sm
try specrun testdata/pass --tags 'smoke\ and\ f'
try specrun testdata/pass --tags 'smoke\ and\ \(f'
try specrun testdata/pass --run smoke/t
`
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", script)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	want := strings.Join([]string{
		"serve|",
		"--format|",
		"json|jsonl|",
		"testdata/pass/|",
		"smoke|",
		`smoke\ and\ flow|`,
		`smoke\ and\ \(flow|`,
		`smoke/two\ steps|`,
	}, "\n") + "\n"
	if string(out) != want {
		t.Errorf("bash completed\n%s\nwant\n%s", out, want)
	}
}
