package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// docFlag is one row of a flag table of docs/cli.md.
type docFlag struct {
	line       int
	syntax     string // the first cell: "`--parallel N`"
	defaultCol string // the default cell, when the table has one
}

// docFlagTables reads the tables headed "| flag |" of cli.md by command: the
// tables under "## run" and its subsections belong to run, and so on.
func docFlagTables(doc string) map[string][]docFlag {
	out := map[string][]docFlag{}
	section, inTable, hasDefault := "", false, false
	for i, line := range strings.Split(doc, "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			section = strings.Fields(h + " x")[0]
			continue
		}
		if !strings.HasPrefix(line, "|") {
			inTable = false
			continue
		}
		cells := strings.Split(strings.ReplaceAll(line, `\|`, "¦"), "|")
		first := strings.TrimSpace(cells[1])
		switch {
		case first == "flag":
			inTable, hasDefault = true, strings.TrimSpace(cells[2]) == "default"
			continue
		case !inTable || strings.HasPrefix(first, "---"):
			continue
		}
		f := docFlag{line: i + 1, syntax: first}
		if hasDefault {
			f.defaultCol = strings.TrimSpace(cells[2])
		}
		out[section] = append(out[section], f)
	}
	return out
}

// docSyntax is how cli.md must write a flag: as help shows it.
func docSyntax(f *pflag.Flag) string {
	s := "--" + f.Name
	if name, _ := pflag.UnquoteUsage(f); name != "" {
		s += " " + name
	}
	if f.Shorthand != "" {
		return "`-" + f.Shorthand + "`, `" + s + "`"
	}
	return "`" + s + "`"
}

// TestDocsMatchTheCommands keeps docs/cli.md and the commands' own
// definitions (what --help prints) from drifting apart: the list of
// commands is the one the root's help prints, and each command's flag
// tables hold exactly its flags, written as help writes them, with help's
// default.
func TestDocsMatchTheCommands(t *testing.T) {
	data, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	root := (&system{}).rootCmd()
	synopses := strings.Join(commandLines(root), "\n")
	if !strings.Contains(doc, "```text\n"+synopses+"\n```") {
		t.Errorf("docs/cli.md does not open with the commands as 'specrun --help' lists them:\n%s", synopses)
	}
	tables := docFlagTables(doc)
	checked := 0
	for _, c := range root.Commands() {
		var flags []*pflag.Flag
		c.Flags().VisitAll(func(f *pflag.Flag) { flags = append(flags, f) })
		for _, sub := range c.Commands() { // report merge: under "## report merge"
			sub.Flags().VisitAll(func(f *pflag.Flag) { flags = append(flags, f) })
		}
		rows := tables[c.Name()]
		if len(flags) == 0 && len(rows) == 0 {
			continue
		}
		checked++
		checkFlagRows(t, c, flags, rows)
	}
	if checked < 3 {
		t.Errorf("checked the flags of %d commands; run, validate and serve have flags: is the table reader broken?", checked)
	}
}

// checkFlagRows compares a command's flags with its rows in cli.md.
func checkFlagRows(t *testing.T, c *cobra.Command, flags []*pflag.Flag, rows []docFlag) {
	t.Helper()
	var documented []string
	for _, r := range rows {
		documented = append(documented, r.syntax)
	}
	for _, f := range flags {
		want := docSyntax(f)
		i := slices.Index(documented, want)
		if i < 0 {
			t.Errorf("docs/cli.md, ## %s: no row for %s (write it as help does)", c.Name(), want)
			continue
		}
		def := f.DefValue
		if def != "" && def != "0" && def != "false" && def != "[]" && rows[i].defaultCol != "" &&
			!regexp.MustCompile("(^|[ `])"+regexp.QuoteMeta(def)+"($|[ `])").MatchString(rows[i].defaultCol) {
			t.Errorf("docs/cli.md:%d: %s defaults to %s, the docs say %q", rows[i].line, want, def, rows[i].defaultCol)
		}
		documented[i] = ""
	}
	for i, d := range documented {
		if d != "" {
			t.Errorf("docs/cli.md:%d: ## %s documents %s, which specrun %s does not have", rows[i].line, c.Name(), d, c.Name())
		}
	}
}
