package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/specrun/specrun/internal/suggest"
)

const topUsage = `specrun runs declarative YAML specs against NAVER Cloud Platform Cloud Functions.

Usage:
  specrun [run] [flags] PATH...        run the specs in PATH (files or directories)
  specrun validate [flags] PATH...     load and check the specs; run nothing
  specrun serve [flags] MANIFEST       serve the Cloud Functions API on loopback from local actions
  specrun schema                       print the JSON Schema of the spec format (for editors)
  specrun version                      print the version

Quick start, against the built-in emulator:
  specrun --local examples/manifest.yaml examples/specs

Run 'specrun COMMAND --help' for the flags of a command; 'specrun run --help'
lists the flags of run, the default command.

Exit codes: 0 every selected test passed; 1 a test failed or errored;
2 bad usage or invalid specs (nothing ran); 130 interrupted.
`

// main dispatches to a command. run is the default command.
func (sys *system) main(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(sys.stderr, topUsage)
		return &exitError{code: exitUsage, err: errors.New("no PATH given: say which spec files or directories to run")}
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			return sys.main(ctx, []string{args[1], "--help"})
		}
		fmt.Fprint(sys.stdout, topUsage)
		return nil
	case "-version", "--version", "version":
		if len(args) > 1 && args[0] == "version" {
			return usagef("version", "version takes no arguments")
		}
		fmt.Fprintf(sys.stdout, "specrun %s\n", sys.buildVersion())
		return nil
	case "run":
		return sys.runCmd(ctx, args[1:])
	case "validate":
		return sys.validateCmd(args[1:])
	case "serve":
		return sys.serveCmd(ctx, args[1:])
	case "schema":
		return sys.schemaCmd(args[1:])
	}
	if looksLikeCommand(args[0]) {
		return usagef("", "unknown command %q: the commands are run, validate, serve, schema and version (or give a spec file or directory)", args[0])
	}
	return sys.runCmd(ctx, args)
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

// command is a flag set with its usage text.
type command struct {
	name  string
	usage string // the synopsis and a paragraph
	fs    *flag.FlagSet
}

func newCommand(name, usage string) *command {
	fs := flag.NewFlagSet("specrun "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &command{name: name, usage: usage, fs: fs}
}

// printUsage writes the synopsis and every flag with its help text.
func (c *command) printUsage(w io.Writer) {
	fmt.Fprint(w, c.usage)
	hasFlags := false
	c.fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if !hasFlags {
		return
	}
	fmt.Fprint(w, "\nFlags:\n")
	c.fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if len(f.Name) == 1 {
			line = "  -" + f.Name
		}
		if name != "" {
			line += " " + name
		}
		if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "[]" {
			usage += " (default " + def + ")"
		}
		fmt.Fprintf(w, "%-28s %s\n", line, usage)
	})
}

// parse reads flags and positional arguments in any order (GNU style:
// "specrun ./specs --parallel 4" works) until "--", after which every
// argument is positional. It returns the positional arguments, or
// errHelp when --help was asked for (the usage is then printed to stdout).
func (c *command) parse(sys *system, args []string) ([]string, error) {
	var pos []string
	for {
		err := c.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.printUsage(sys.stdout)
			return nil, errHelp
		}
		if err != nil {
			return nil, usagef(c.name, "%s", c.explain(err))
		}
		rest := c.fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// flag stops at the first non-flag argument, or after "--".
		if len(args)-len(rest) > 0 && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// explain rewords the flag package's errors in the CLI's terms: flags
// with two dashes, and a suggestion for a near miss.
func (c *command) explain(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		c.fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		msg = "unknown flag --" + name
		if s := suggest.Closest(name, names); s != "" {
			msg += "; did you mean --" + s + "?"
		}
		return msg
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "--" + name + " needs a value"
	}
	return strings.Replace(msg, "for flag -", "for flag --", 1)
}

// errHelp means --help was handled: exit 0.
var errHelp = errors.New("help shown")

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func (sys *system) schemaCmd(args []string) error {
	c := newCommand("schema", "Usage: specrun schema\n\nPrints the JSON Schema (draft 2020-12) of the spec format, for editors:\n  specrun schema > spec.schema.json\n")
	pos, err := c.parse(sys, args)
	if err != nil {
		return helpOK(err)
	}
	if len(pos) > 0 {
		return usagef("schema", "schema takes no arguments")
	}
	_, err = sys.stdout.Write(specSchema())
	return err
}

// helpOK turns errHelp into success.
func helpOK(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// displayPath shortens an absolute path under the working directory.
func displayPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}
