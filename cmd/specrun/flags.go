package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/internal/suggest"
	"github.com/specrun/specrun/reporters/junit"
)

// The flags of the commands come in groups, each declared by one function
// so that a command takes a group whole: run and monitor select tests the
// same way, run and validate read variables the same way. The help prints
// each group under its title.

// groupAnnotation is the flag annotation naming the flag's group in help.
const groupAnnotation = "specrun_group"

// flagGroup declares flags under a title: define adds them to fs, and they
// join the command's flags in the order declared.
func flagGroup(c *cobra.Command, title string, define func(fs *pflag.FlagSet)) {
	fs := pflag.NewFlagSet(title, pflag.ContinueOnError)
	fs.SortFlags = false
	define(fs)
	fs.VisitAll(func(f *pflag.Flag) {
		_ = fs.SetAnnotation(f.Name, groupAnnotation, []string{title})
	})
	c.Flags().SortFlags = false
	c.Flags().AddFlagSet(fs)
}

// endpointFlags are where requests go: a remote endpoint or the emulator.
func endpointFlags(c *cobra.Command, o *targetOptions) {
	flagGroup(c, "Where requests go", func(fs *pflag.FlagSet) {
		fs.StringVar(&o.endpoint, "endpoint", "", "the Cloud Functions API base `URL` (env SPECRUN_ENDPOINT; default "+client.DefaultEndpoint+"; .../ncf/api/v2 for v2.1)")
		fs.Var(choice(&o.platform, "", "NAME", "classic", "vpc"), "platform", "classic or vpc, for tests whose spec gives none")
		fs.StringVar(&o.local, "local", "", "start the built-in emulator serving `MANIFEST` on a free loopback port and run against it")
	})
	completeValues(c, "platform", "classic\tthe classic platform", "vpc\tthe VPC platform")
	_ = c.MarkFlagFilename("local", "yaml", "yml")
}

// varFlags set the specs' variables.
func varFlags(c *cobra.Command, o *varOptions) {
	flagGroup(c, "Variables", func(fs *pflag.FlagSet) {
		fs.StringArrayVar(&o.vars, "var", nil, "set a variable: `NAME=VALUE` (repeatable)")
		fs.StringArrayVar(&o.varFiles, "var-file", nil, "read variables from the YAML mapping in `FILE` (repeatable)")
		fs.StringArrayVar(&o.secrets, "secret", nil, "redact the value of variable `NAME` everywhere (repeatable)")
	})
	_ = c.MarkFlagFilename("var-file", "yaml", "yml")
	_ = c.RegisterFlagCompletionFunc("var", cobra.NoFileCompletions)
	_ = c.RegisterFlagCompletionFunc("secret", cobra.NoFileCompletions)
}

// selectionFlags choose the tests to run; their values complete from the
// specs on the command line.
func (sys *system) selectionFlags(c *cobra.Command, o *selectionOptions) {
	flagGroup(c, "Selecting tests", func(fs *pflag.FlagSet) {
		fs.StringVar(&o.runRe, "run", "", "only tests whose SUITE/TEST name matches `REGEX`")
		fs.StringVar(&o.tags, "tags", "", "only tests whose tags satisfy `EXPR`: tag names with and, or, not, parentheses")
		fs.StringVar(&o.shard, "shard", "", "run slice `K/N`: the K-th of N deterministic slices of the selected tests (1-based)")
		fs.BoolVar(&o.list, "list", false, "print the selected tests and exit without running")
	})
	_ = c.RegisterFlagCompletionFunc("run", sys.completeTestNames)
	_ = c.RegisterFlagCompletionFunc("tags", sys.completeTags)
	_ = c.RegisterFlagCompletionFunc("shard", cobra.NoFileCompletions)
}

// runningFlags say how tests run.
func runningFlags(c *cobra.Command, o *runningOptions) {
	flagGroup(c, "Running", func(fs *pflag.FlagSet) {
		fs.Var(atLeast(&o.parallel, 8, 1), "parallel", "tests in flight at once")
		fs.Var(rateValue(&o.rate), "rate", "at most N requests a second across all tests (0: no limit)")
		fs.Var(atLeast(&o.maxRetries, 3, 0), "max-retries", "transport retries of requests that certainly did not run the action")
		fs.Var(wholeIn(&o.maxRespMB, int(client.DefaultMaxResponseBytes>>20), 1, 1<<20), "max-response-mb", "read response bodies of at most N MB; a larger one is an error of its test")
		fs.BoolVar(&o.failFast, "fail-fast", false, "stop starting tests after the first failure; the rest are reported skipped")
		fs.BoolVarP(&o.verbose, "verbose", "v", false, "also print every request and response of every attempt, polls and transport retries included (credentials and secrets redacted); to stderr with --format tap or json")
	})
	for _, name := range []string{"parallel", "rate", "max-retries", "max-response-mb"} {
		_ = c.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
}

// outputFlags say what goes to stdout and which reports are written.
func outputFlags(c *cobra.Command, o *outputOptions) {
	flagGroup(c, "Output", func(fs *pflag.FlagSet) {
		fs.Var(choice(&o.format, "console", "FORMAT", "console", "tap", "json", "jsonl"), "format", "what goes to stdout: console, tap (streamed), json or jsonl (one JSON event per line, streamed)")
		reportFileFlags(fs, o)
		fs.StringVar(&o.pushGateway, "push-gateway", "", "push the run's metrics to the Prometheus Pushgateway at `URL` (see docs/monitor.md)")
		fs.BoolVar(&o.noColor, "no-color", false, "no colour (also when NO_COLOR is set or stdout is not a terminal)")
	})
	completeValues(c, "format", "console\ta readable report, streamed", "tap\tTAP, streamed", "json\tthe JSON report", "jsonl\tone JSON event per line, streamed")
	reportFileCompletions(c)
	_ = c.RegisterFlagCompletionFunc("push-gateway", cobra.NoFileCompletions)
}

// reportFileFlags are the report files and their formats, of run and of
// report merge.
func reportFileFlags(fs *pflag.FlagSet, o *outputOptions) {
	fs.Var(reportPath(&o.reportJUnit), "report-junit", "also write a JUnit XML report to `FILE`")
	fs.Var(reportPath(&o.reportTAP), "report-tap", "also write a TAP report to `FILE`")
	fs.Var(reportPath(&o.reportJSON), "report-json", "also write a JSON report to `FILE`")
	fs.Var(reportPath(&o.reportHTML), "report-html", "also write a self-contained HTML report (timeline, failures, retries) to `FILE`")
	fs.Var(tapVersion(&o.tapVersion), "tap-version", "the TAP version of --format tap and --report-tap: 13, read by every TAP consumer (Perl's prove included), or 14, which writes multi-step tests as subtests and is read by node-tap and its tap-parser; prove refuses 14 (\"we don't know about versions later than 13\")")
	fs.Var(choice(&o.junitFlavor, string(junit.CI), "FLAVOR", string(junit.CI), string(junit.Ant)), "junit-flavor", "the JUnit dialect: ci (file and line on each testcase, read by GitHub, GitLab, Jenkins) or ant (strictly valid under the Ant schema)")
}

// reportFileCompletions complete the values of reportFileFlags.
func reportFileCompletions(c *cobra.Command) {
	completeValues(c, "tap-version", "13\tread by every TAP consumer", "14\tsubtests; node-tap reads it, prove does not")
	completeValues(c, "junit-flavor", "ci\tfile and line on each testcase", "ant\tstrictly valid under the Ant schema")
}

// completeValues completes a flag's value from a fixed list ("VALUE\tdescription").
func completeValues(c *cobra.Command, name string, values ...string) {
	_ = c.RegisterFlagCompletionFunc(name, func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, v := range values {
			if strings.HasPrefix(v, toComplete) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}

// value is a flag value checked as it is set, so that a bad value is
// reported at once with the flag's name and what the flag accepts.
type value[T any] struct {
	p     *T
	typ   string // the placeholder in help: N, NAME, FORMAT
	parse func(string) (T, error)
}

func (v *value[T]) String() string {
	if v.p == nil {
		return ""
	}
	return fmt.Sprint(*v.p)
}

func (v *value[T]) Set(s string) error {
	x, err := v.parse(s)
	if err != nil {
		return err
	}
	*v.p = x
	return nil
}

func (v *value[T]) Type() string { return v.typ }

// atLeast is a whole number of at least min.
func atLeast(p *int, def, min int) *value[int] {
	*p = def
	return &value[int]{p: p, typ: "N", parse: func(s string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < min {
			return 0, fmt.Errorf("want a whole number ≥ %d", min)
		}
		return n, nil
	}}
}

// wholeIn is a whole number from min to max.
func wholeIn(p *int, def, min, max int) *value[int] {
	*p = def
	return &value[int]{p: p, typ: "N", parse: func(s string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < min || n > max {
			return 0, fmt.Errorf("want a whole number from %d to %d", min, max)
		}
		return n, nil
	}}
}

// rateValue is a rate in requests a second: 0 (no limit) or more.
func rateValue(p *float64) *value[float64] {
	*p = 0
	return &value[float64]{p: p, typ: "N", parse: func(s string) (float64, error) {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, errors.New("want a number of requests a second, 0 (no limit) or more")
		}
		return f, nil
	}}
}

// choice is one of a fixed list of words.
func choice(p *string, def, typ string, allowed ...string) *value[string] {
	*p = def
	return &value[string]{p: p, typ: typ, parse: func(s string) (string, error) {
		for _, a := range allowed {
			if s == a {
				return s, nil
			}
		}
		return "", fmt.Errorf("want %s", orList(allowed))
	}}
}

// reportPath is a report's path, or - for standard output. An empty path
// (--report-json "", a variable that was never set) is refused: taken as
// "no report", it would let a CI job that asked for a report pass without
// one.
func reportPath(p *string) *value[string] {
	*p = ""
	return &value[string]{p: p, typ: "FILE", parse: func(s string) (string, error) {
		if s == "" {
			return "", errors.New("want a file path, or - for standard output (an empty path writes no report)")
		}
		return s, nil
	}}
}

// tapVersion is 13 or 14.
func tapVersion(p *int) *value[int] {
	*p = 13
	return &value[int]{p: p, typ: "VERSION", parse: func(s string) (int, error) {
		switch s {
		case "13":
			return 13, nil
		case "14":
			return 14, nil
		}
		return 0, errors.New("want 13 or 14")
	}}
}

// orList writes "a, b or c".
func orList(words []string) string { return wordList(words, "or") }

// wordList writes "a, b CONJ c".
func wordList(words []string, conj string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}

// explainFlagError rewords pflag's errors: the flag with its dashes, the
// bad value and what is accepted, and a suggestion for a near miss.
func explainFlagError(c *cobra.Command, err error) string {
	var notExist *pflag.NotExistError
	var noValue *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	switch {
	case errors.As(err, &notExist):
		return unknownFlag(c, notExist)
	case errors.As(err, &noValue):
		return flagName(noValue.GetFlag()) + " needs a value"
	case errors.As(err, &invalid):
		return fmt.Sprintf("invalid value %q for %s: %v", invalid.GetValue(), flagName(invalid.GetFlag()), invalid.Unwrap())
	}
	return err.Error()
}

// unknownFlag names a flag the command does not have, and the one meant.
func unknownFlag(c *cobra.Command, e *pflag.NotExistError) string {
	var names []string
	c.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	// The short flags left to read from the word: "parallel" of -parallel,
	// "x" of -vx.
	if rest := e.GetSpecifiedShortnames(); rest != "" {
		if s := suggest.Closest(rest, names); s != "" && len(rest) > 2 {
			return fmt.Sprintf("unknown flag -%s; did you mean --%s? (long flags take two dashes)", rest, s)
		}
		return "unknown flag -" + e.GetSpecifiedName()
	}
	name := e.GetSpecifiedName()
	msg := "unknown flag --" + name
	if s := suggest.Closest(name, names); s != "" {
		msg += "; did you mean --" + s + "?"
	}
	return msg
}

// flagName is how a flag is written on the command line.
func flagName(f *pflag.Flag) string {
	if f == nil {
		return "the flag"
	}
	return "--" + f.Name
}
