package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// main runs the command that args name; run is the default command.
func (sys *system) main(ctx context.Context, args []string) error {
	root := sys.rootCmd()
	root.SetArgs(withDefaultCommand(root, args))
	return root.ExecuteContext(ctx)
}

// rootCmd builds specrun's command tree. Each command is made by one
// function returning its *cobra.Command, most in a file of their own; a new
// command is such a function added to the list below, taking its flags from
// the shared groups of flags.go.
func (sys *system) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "specrun",
		Short: "specrun runs declarative YAML specs against NAVER Cloud Platform Cloud Functions.",
		Long: `Quick start, against the built-in emulator:
  specrun --local examples/manifest.yaml examples/specs
  specrun init myproject && specrun --local myproject/manifest.yaml myproject/specs

Run 'specrun COMMAND --help' for the flags of a command; 'specrun run --help'
lists the flags of run, the default command.

Exit codes: 0 every selected test passed; 1 a test failed or errored;
2 bad usage or invalid specs (nothing ran); 130 interrupted; 141 the reader
of standard output went away (specrun ... | head), handled as an interrupt.`,
		Version:           sys.buildVersion(),
		Args:              cobra.ArbitraryArgs,
		RunE:              rootRun,
		ValidArgsFunction: completeSpecPaths,
		SilenceErrors:     true,
		SilenceUsage:      true,
		// completionCommand replaces cobra's own, for its help and errors.
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetVersionTemplate("specrun {{.Version}}\n")
	root.SetOut(sys.stdout)
	root.SetErr(sys.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usagef(commandName(c), "%s", explainFlagError(c, err))
	})
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { writeHelp(c) })
	commands := []*cobra.Command{
		sys.runCommand(),
		sys.validateCommand(),
		sys.serveCommand(),
		sys.monitorCommand(),
		sys.initCommand(),
		completionCommand(),
		sys.schemaCommand(),
		sys.reportCommand(),
		sys.versionCommand(),
	}
	// cobra sorts commands by name; help lists them in this order.
	var names []string
	for _, c := range commands {
		names = append(names, c.Name())
	}
	root.Annotations = map[string]string{orderAnnotation: strings.Join(names, " ")}
	root.AddCommand(commands...)
	root.SetHelpCommand(helpCommand())
	return root
}

// rootRun is reached only without a command and without a PATH, or with a
// word that is neither a command nor a file (withDefaultCommand sends the
// rest to run).
func rootRun(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return usagef("", "no PATH given: say which spec files or directories to run")
	}
	var names []string
	for _, sub := range orderedCommands(c) {
		names = append(names, sub.Name())
	}
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		return usagef("", "unknown command %q; did you mean %s?", args[0], orList(s))
	}
	return usagef("", "unknown command %q: the commands are %s (or give a spec file or directory)", args[0], orList(names))
}

// helpCommand is "specrun help COMMAND": the help of COMMAND, and a usage
// error for a command that does not exist (cobra's own would print the
// root's help and exit 0).
func helpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "print the help of a command",
		Long:  "Prints the help of COMMAND, as 'specrun COMMAND --help' does, or specrun's.",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var out []cobra.Completion
			for _, sub := range orderedCommands(c.Root()) {
				if len(args) == 0 && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, sub.Name())
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil {
				return usagef("", "%v", err)
			}
			if len(rest) > 0 {
				return rootRun(c.Root(), rest)
			}
			target.InitDefaultHelpFlag()
			writeHelp(target)
			return nil
		},
	}
}

// withDefaultCommand puts "run" in front of arguments that do not start
// with a command, so that `specrun ./specs` is `specrun run ./specs`; so
// too for the arguments of shell completion, where the first word alone
// may still become a command or a PATH.
func withDefaultCommand(root *cobra.Command, args []string) []string {
	if len(args) == 0 {
		return args
	}
	first := args[0]
	if first == cobra.ShellCompRequestCmd || first == cobra.ShellCompNoDescRequestCmd {
		rest := args[1:]
		if len(rest) == 0 || len(rest) == 1 && !strings.HasPrefix(rest[0], "-") {
			return args
		}
		return append([]string{first}, withDefaultCommand(root, rest)...)
	}
	switch first {
	case "-h", "--help", "--version", "help":
		return args
	}
	for _, c := range root.Commands() {
		if c.Name() == first || c.HasAlias(first) {
			return args
		}
	}
	if looksLikeCommand(first) {
		return args // the root reports the unknown command
	}
	return append([]string{"run"}, args...)
}

// looksLikeCommand tells a mistyped command from a PATH for the default
// run command: a bare word that is not an existing file or directory and
// has no path separator or YAML extension.
func looksLikeCommand(arg string) bool {
	if arg == "" || strings.HasPrefix(arg, "-") || strings.ContainsAny(arg, `/\.`) {
		return false
	}
	_, err := os.Stat(arg)
	return err != nil
}

// commandName is the command's path below specrun: "" for specrun itself.
func commandName(c *cobra.Command) string {
	return strings.TrimSpace(strings.TrimPrefix(c.CommandPath(), c.Root().Name()))
}

// noArgs is cobra.NoArgs as a usage error that names the command.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef(commandName(c), "%s takes no arguments, got %q", commandName(c), args[0])
	}
	return nil
}

func (sys *system) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:               "version",
		Short:             "print the version",
		Long:              "Prints specrun's version: a release such as v1.2.3, or dev for a build from source.",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(sys.stdout, "specrun %s\n", sys.buildVersion())
			return err
		},
	}
}

func (sys *system) schemaCommand() *cobra.Command {
	return &cobra.Command{
		Use:               "schema",
		Short:             "print the JSON Schema of the spec format (for editors)",
		Long:              "Prints the JSON Schema (draft 2020-12) of the spec format, for editors.",
		Example:           "  specrun schema > spec.schema.json",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := sys.stdout.Write(specSchema())
			return err
		},
	}
}

func (sys *system) buildVersion() string {
	if sys.version != "" {
		return sys.version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v
}
