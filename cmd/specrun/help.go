package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// synopsisAnnotation overrides a command's usage line in help (run's
// "[run] [flags] PATH...", since run is the default command).
const synopsisAnnotation = "specrun_synopsis"

// orderAnnotation lists the root's commands in the order help shows them.
const orderAnnotation = "specrun_order"

// orderedCommands are the root's available commands in the order of
// orderAnnotation.
func orderedCommands(root *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, name := range strings.Fields(root.Annotations[orderAnnotation]) {
		for _, c := range root.Commands() {
			if c.Name() == name && c.IsAvailableCommand() {
				out = append(out, c)
			}
		}
	}
	return out
}

// helpWidth is the width help text is wrapped to.
const helpWidth = 80

// writeHelp prints a command's help to its standard output: what it does,
// its usage, examples, and its flags by group.
func writeHelp(c *cobra.Command) {
	w := c.OutOrStdout()
	if !c.HasParent() {
		writeRootHelp(w, c)
		return
	}
	about := c.Long
	if about == "" {
		about = c.Short
	}
	fmt.Fprintf(w, "Usage: specrun %s\n\n%s\n", synopsis(c), about)
	if c.Example != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", c.Example)
	}
	for _, g := range flagGroups(c) {
		fmt.Fprintf(w, "\n%s:\n", g.title)
		for _, line := range g.lines {
			fmt.Fprintln(w, line)
		}
	}
}

// writeRootHelp lists the commands, each with its synopsis.
func writeRootHelp(w io.Writer, root *cobra.Command) {
	fmt.Fprintf(w, "%s\n\nUsage:\n", root.Short)
	for _, line := range commandLines(root) {
		fmt.Fprintf(w, "  %s\n", line)
	}
	fmt.Fprintf(w, "\n%s\n", root.Long)
}

// commandLines are the synopses of the root's commands, aligned, as the
// root's help and docs/cli.md list them.
func commandLines(root *cobra.Command) []string {
	var names, shorts []string
	width := 0
	for _, c := range orderedCommands(root) {
		s := "specrun " + synopsis(c)
		names, shorts = append(names, s), append(shorts, c.Short)
		width = max(width, len(s))
	}
	lines := make([]string, len(names))
	for i := range names {
		lines[i] = fmt.Sprintf("%-*s  %s", width, names[i], shorts[i])
	}
	return lines
}

// synopsis is a command's usage line without "specrun ".
func synopsis(c *cobra.Command) string {
	if s := c.Annotations[synopsisAnnotation]; s != "" {
		return s
	}
	return c.Use
}

// helpGroup is one titled group of flags, formatted for help.
type helpGroup struct {
	title string
	lines []string
}

// flagGroups formats a command's flags by group, in the order declared,
// with one column for the flags of every group; flags of no group (--help)
// come last.
func flagGroups(c *cobra.Command) []helpGroup {
	var flags []*pflag.Flag
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			flags = append(flags, f)
		}
	})
	width := 0
	for _, f := range flags {
		width = max(width, len(flagSyntax(f)))
	}
	var groups []helpGroup
	index := map[string]int{}
	for _, f := range flags {
		title := "Other flags"
		if g := f.Annotations[groupAnnotation]; len(g) > 0 {
			title = g[0]
		}
		i, ok := index[title]
		if !ok {
			i = len(groups)
			index[title] = i
			groups = append(groups, helpGroup{title: title})
		}
		groups[i].lines = append(groups[i].lines, flagHelp(f, width))
	}
	if len(groups) == 1 {
		groups[0].title = "Flags"
	}
	return groups
}

// flagSyntax is how help shows a flag: "-v, --verbose", "    --format FORMAT".
func flagSyntax(f *pflag.Flag) string {
	s := "    --" + f.Name
	if f.Shorthand != "" {
		s = "-" + f.Shorthand + ", --" + f.Name
	}
	if name, _ := pflag.UnquoteUsage(f); name != "" {
		s += " " + name
	}
	return s
}

// flagHelp is a flag's line (or lines) of help, the usage wrapped under
// itself.
func flagHelp(f *pflag.Flag, width int) string {
	_, usage := pflag.UnquoteUsage(f)
	if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "[]" {
		usage += " (default " + def + ")"
	}
	indent := 2 + width + 3
	return fmt.Sprintf("  %-*s   %s", width, flagSyntax(f), wrap(usage, indent, helpWidth))
}

// wrap breaks text into lines that end before column limit, the lines
// after the first indented by indent spaces.
func wrap(text string, indent, limit int) string {
	var b strings.Builder
	col := indent
	for i, word := range strings.Fields(text) {
		if i > 0 {
			if col+1+len(word) > limit {
				b.WriteString("\n" + strings.Repeat(" ", indent))
				col = indent
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String()
}
