package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/specrun/specrun/internal/words"
	"github.com/specrun/specrun/reporters/console"
	"github.com/specrun/specrun/reporters/html"
	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/reporters/junit"
	"github.com/specrun/specrun/reporters/tap"
	"github.com/specrun/specrun/runner"
)

// reportCommand groups the commands that work on reports already written.
func (sys *system) reportCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "report COMMAND",
		Short: "work on written reports: merge the JSON reports of shards",
		Long: `Works on reports already written.

Commands:
  specrun report merge [flags] SHARD.json...  merge the JSON reports of the
                                              shards of one run into JUnit,
                                              TAP, JSON and HTML reports`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("report", "unknown command %q for report: the one there is is merge", args[0])
			}
			return nil
		},
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, args []string) error {
			return usagef("report", "report needs a command: merge")
		},
	}
	c.AddCommand(sys.mergeCommand())
	return c
}

// mergeCommand is report merge.
func (sys *system) mergeCommand() *cobra.Command {
	var o outputOptions
	c := &cobra.Command{
		Use:         "merge [flags] SHARD.json...",
		Annotations: map[string]string{synopsisAnnotation: "report merge [flags] SHARD.json..."},
		Short:       "merge the JSON reports of shards into JUnit, TAP, JSON and HTML reports",
		Long: `Merges the JSON reports (--report-json) of the shards of one run into one
report in every format. The reports must be of one run: the same endpoint
(or all --local) and --run/--tags selection, and every shard K/N exactly
once; overlapping, incompatible or missing shards are refused (exit 2), and
nothing is written. Prints a summary; exits 0 when every merged test
passed, 1 when one failed or errored or a shard was interrupted.`,
		Example: `  # after 4 jobs of 'specrun --shard K/4 --report-json shard-K.json':
  specrun report merge --report-junit junit.xml --report-html report.html shard-*.json`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return []cobra.Completion{"json"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(_ *cobra.Command, paths []string) error {
			return sys.mergeCmd(&o, paths)
		},
	}
	flagGroup(c, "Reports", func(fs *pflag.FlagSet) { reportFileFlags(fs, &o) })
	reportFileCompletions(c)
	return c
}

func (sys *system) mergeCmd(o *outputOptions, paths []string) error {
	if err := checkMergeArgs(o, paths); err != nil {
		return err
	}
	merged, err := readAndMerge(paths)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	res := merged.Result()
	c := res.Counts()
	// The counts read as the console's summary of a run reads them.
	shards := ""
	if len(merged.Run.Shards) > 0 {
		shards = " (" + strings.Join(merged.Run.Shards, ", ") + ")"
	}
	fmt.Fprintf(sys.stdout, "merged %s%s: %s, %s\n", words.Plural(len(paths), "report"), shards,
		words.Plural(c.Total, "result"), console.CountsText(c))
	if err := sys.writeMerged(o, merged, res); err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	if res.Status().Failed() || res.Interrupted {
		return &exitError{code: exitFailed}
	}
	return nil
}

// checkMergeArgs refuses a merge without inputs or outputs, and an output
// that is one of the inputs.
func checkMergeArgs(o *outputOptions, paths []string) error {
	if len(paths) == 0 {
		return usagef("report merge", "no SHARD.json given: name the JSON reports of the shards")
	}
	outs := map[string]string{"--report-junit": o.reportJUnit, "--report-tap": o.reportTAP, "--report-json": o.reportJSON, "--report-html": o.reportHTML}
	any := false
	for flag, out := range outs {
		if out == "" {
			continue
		}
		any = true
		for _, in := range paths {
			if sameFile(in, out) {
				return usagef("report merge", "%s %s is one of the reports to merge: write the merged report elsewhere", flag, out)
			}
		}
	}
	if !any {
		return usagef("report merge", "no output: give --report-junit, --report-tap, --report-json or --report-html")
	}
	return nil
}

// readAndMerge reads every report and merges them, refusing a set that
// lacks a shard.
func readAndMerge(paths []string) (*jsonreport.Report, error) {
	var reps []*jsonreport.Report
	for _, p := range paths {
		rep, err := readReport(p)
		if err != nil {
			return nil, err
		}
		reps = append(reps, rep)
	}
	merged, err := jsonreport.Merge(reps...)
	if err != nil {
		return nil, err
	}
	if missing := merged.Missing(); len(missing) > 0 {
		return nil, fmt.Errorf("shard %s missing from the reports given: merge the reports of every shard (a missing shard's tests would silently drop out of the merged report)", strings.Join(missing, ", "))
	}
	return merged, nil
}

func readReport(path string) (*jsonreport.Report, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("reading %s: not a regular file: give the JSON report a shard wrote with --report-json", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	rep, err := jsonreport.Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rep, nil
}

// writeMerged writes every report asked for; one that fails does not keep
// the others from being written.
func (sys *system) writeMerged(o *outputOptions, merged *jsonreport.Report, res *runner.Result) error {
	return sys.writeOutputs(finalWrite, []reportOutput{
		{o.reportJUnit, "JUnit report", func(w io.Writer) error { return junit.WriteWith(w, res, junitOptions(o)) }},
		{o.reportTAP, "TAP report", func(w io.Writer) error { return tap.Write(w, res, tap.Options{Version: o.tapVersion}) }},
		{o.reportJSON, "JSON report", func(w io.Writer) error { return jsonreport.Encode(w, merged) }},
		{o.reportHTML, "HTML report", func(w io.Writer) error { return html.Write(w, res, html.Options{Title: "specrun report (merged)"}) }},
	})
}
