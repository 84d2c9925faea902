package main

import (
	"cmp"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/specrun/specrun/spec"
)

// shells are the shells completionCommand writes scripts for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

// completionCommand prints a shell's completion script. The script calls
// back into specrun (cobra's hidden __complete command), so that what is
// offered comes from the commands' own definitions and from the specs on
// the command line.
func completionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "completion SHELL",
		Short: "print the shell completion script (bash, zsh, fish, powershell)",
		Long: `Prints the script that makes SHELL complete specrun's commands, flags, flag
values, spec paths, and, read from the specs already on the command line, the
tag names of --tags and the SUITE/TEST names of --run.`,
		Example: `  source <(specrun completion bash)          # bash, this shell; add to ~/.bashrc to keep
  specrun completion zsh > "${fpath[1]}/_specrun"
  specrun completion fish > ~/.config/fish/completions/specrun.fish
  specrun completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: shells,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 || !slices.Contains(shells, args[0]) {
				return usagef("completion", "completion takes one SHELL: %s", orList(shells))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			root, w := c.Root(), c.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(w, true)
			case "zsh":
				return root.GenZshCompletion(w)
			case "fish":
				return root.GenFishCompletion(w, true)
			}
			return root.GenPowerShellCompletionWithDesc(w)
		},
	}
}

// completeSpecPaths offers the spec files (*.yaml, *.yml) and directories
// that start with what is typed.
func completeSpecPaths(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	dir, base := filepath.Split(toComplete)
	entries, err := os.ReadDir(cmp.Or(dir, "."))
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	directive := cobra.ShellCompDirectiveNoFileComp
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		if info, err := os.Stat(filepath.Join(cmp.Or(dir, "."), name)); err == nil && info.IsDir() {
			out = append(out, dir+name+"/")
			directive |= cobra.ShellCompDirectiveNoSpace
			continue
		}
		if ext := filepath.Ext(name); ext == ".yaml" || ext == ".yml" {
			out = append(out, dir+name)
		}
	}
	return out, directive
}

// completeManifest offers YAML files for serve's MANIFEST.
func completeManifest(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return []cobra.Completion{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}

// completionProject loads the specs named on the command line, with its
// variable flags; nil when there are none or they do not load.
func (sys *system) completionProject(c *cobra.Command, paths []string) *spec.Project {
	if len(paths) == 0 {
		return nil
	}
	var o varOptions
	o.vars, _ = c.Flags().GetStringArray("var")
	o.varFiles, _ = c.Flags().GetStringArray("var-file")
	o.secrets, _ = c.Flags().GetStringArray("secret")
	p, err := spec.Load(paths, sys.specOptions(&o))
	if err != nil {
		cobra.CompDebugln("specs do not load: "+err.Error(), false)
		return nil
	}
	return p
}

// completeTestNames offers the SUITE/TEST names of the specs on the command
// line for --run, as regular expressions that match the name.
func (sys *system) completeTestNames(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	p := sys.completionProject(c, args)
	if p == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, s := range p.Suites {
		for _, t := range s.Tests {
			name := regexp.QuoteMeta(t.FullName())
			if strings.HasPrefix(name, toComplete) {
				out = append(out, cobra.CompletionWithDesc(name, t.Pos.FileLine()))
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeTags offers, for the word of a --tags expression being typed, the
// tag names of the specs on the command line where a tag may stand (at the
// start, after and, or, not or a parenthesis), and and/or after a tag.
// Each completion is the whole expression, as the shell replaces the word.
func (sys *system) completeTags(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	head, word := splitTagWord(toComplete)
	var candidates []string
	if operandExpected(head) {
		if p := sys.completionProject(c, args); p != nil {
			candidates = append(p.Tags(), "not")
		}
	} else {
		candidates = []string{"and", "or"}
	}
	var out []cobra.Completion
	for _, cand := range candidates {
		if strings.HasPrefix(cand, word) {
			out = append(out, head+cand)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// splitTagWord cuts a --tags expression before the tag or operator being
// typed: a word of the characters of tag names.
func splitTagWord(expr string) (head, word string) {
	i := strings.LastIndexFunc(expr, func(r rune) bool { return !isTagRune(r) })
	if i < 0 {
		return "", expr
	}
	_, size := utf8.DecodeRuneInString(expr[i:])
	return expr[:i+size], expr[i+size:]
}

// isTagRune reports whether r may be part of a tag name (see runner.ParseTagExpr).
func isTagRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_.:/-", r)
}

// operandExpected reports whether a tag may follow head: at the start, after
// an opening quote or parenthesis, or after and, or, not.
func operandExpected(head string) bool {
	head = strings.TrimRight(head, " \t")
	if head == "" || strings.HasSuffix(head, "(") || strings.HasSuffix(head, "'") || strings.HasSuffix(head, `"`) {
		return true
	}
	if strings.HasSuffix(head, ")") {
		return false
	}
	_, prev := splitTagWord(head)
	switch strings.ToLower(prev) {
	case "and", "or", "not":
		return true
	}
	return false
}
