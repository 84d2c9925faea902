package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/emulator"
	"github.com/specrun/specrun/internal/errlist"
	"github.com/specrun/specrun/internal/words"
	"github.com/specrun/specrun/monitor"
	"github.com/specrun/specrun/reporters"
	"github.com/specrun/specrun/reporters/console"
	"github.com/specrun/specrun/reporters/html"
	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/reporters/junit"
	"github.com/specrun/specrun/reporters/tap"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// runCommand is run, the default command.
func (sys *system) runCommand() *cobra.Command {
	var o runOptions
	c := &cobra.Command{
		Use:   "run [flags] PATH...",
		Short: "run the specs in PATH (files or directories)",
		Long: `Runs the specs in PATH (spec files, or directories walked for *.yaml and
*.yml) against the Cloud Functions API, or against the built-in emulator
with --local. Credentials come from NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY
(or NCLOUD_ACCESS_KEY_ID and NCLOUD_SECRET_ACCESS_KEY), else from the
profile NCLOUD_PROFILE (default DEFAULT) of ~/.ncloud/configure; they are
never taken from the command line. run is the default command:
'specrun ./specs' is 'specrun run ./specs'.`,
		Example: `  specrun ./specs
  specrun --local examples/manifest.yaml examples/specs
  specrun --tags 'smoke and not slow' --report-junit junit.xml ./specs
  specrun --shard 2/4 --parallel 32 ./specs`,
		Annotations:       map[string]string{synopsisAnnotation: "[run] [flags] PATH..."},
		ValidArgsFunction: completeSpecPaths,
		RunE: func(c *cobra.Command, paths []string) error {
			return sys.runCmd(c.Context(), o, paths)
		},
	}
	endpointFlags(c, &o.targetOptions)
	sys.selectionFlags(c, &o.selectionOptions)
	runningFlags(c, &o.runningOptions)
	varFlags(c, &o.varOptions)
	outputFlags(c, &o.outputOptions)
	return c
}

// varOptions are the variable flags of run and validate.
type varOptions struct {
	vars     []string
	varFiles []string
	secrets  []string
}

// specOptions are the options of spec.Load the flags give, with the
// credentials found now (complete or not, none required) for the loader's
// redaction: a spec that fails to load may quote one (${env.NCLOUD_SECRET_KEY}).
func (sys *system) specOptions(o *varOptions) spec.Options {
	return spec.Options{Vars: o.vars, VarFiles: o.varFiles, Secrets: o.secrets, LookupEnv: sys.lookupEnv,
		Credentials: client.CredentialValues(sys.lookupEnv, sys.home)}
}

// selectionOptions are the flags that select tests.
type selectionOptions struct {
	runRe string
	tags  string
	shard string
	list  bool
}

// runOptions are the flags of run, by group.
type runOptions struct {
	targetOptions
	selectionOptions
	runningOptions
	varOptions
	outputOptions
}

// targetOptions say where requests go.
type targetOptions struct {
	endpoint string
	platform string
	local    string
}

// runningOptions say how tests run.
type runningOptions struct {
	parallel   int
	rate       float64
	maxRetries int
	maxRespMB  int
	failFast   bool
	verbose    bool
}

// outputOptions say what goes to stdout and which reports are written.
type outputOptions struct {
	format      string
	reportJUnit string
	reportTAP   string
	reportJSON  string
	pushGateway string
	tapVersion  int
	noColor     bool
	junitFlavor string
	reportHTML  string
}

// junitOptions are the JUnit reporter's options: the flavor, and paths
// relative to the working directory, where CI tools resolve them.
func junitOptions(o *outputOptions) junit.Options {
	wd, _ := os.Getwd()
	return junit.Options{Flavor: junit.Flavor(o.junitFlavor), Dir: wd}
}

// plan is a run's validated configuration.
type plan struct {
	opts      runOptions
	selection runner.Selection
	paths     []string
	// gateway is --push-gateway, nil without it.
	gateway *monitor.Gateway
}

// parseRun checks what the flags' own types cannot: that there are paths,
// the selection expressions and the Pushgateway's URL.
func (sys *system) parseRun(opts runOptions, paths []string) (*plan, error) {
	p := &plan{opts: opts}
	o := &p.opts
	if len(paths) == 0 {
		return nil, usagef("run", "no PATH given: say which spec files or directories to run")
	}
	p.paths = paths
	var err error
	if p.selection, err = o.check("run"); err != nil {
		return nil, err
	}
	if o.pushGateway != "" {
		if p.gateway, err = monitor.ParseGateway(o.pushGateway); err != nil {
			return nil, usagef("run", "%v", err)
		}
	}
	return p, nil
}

// check checks the selection and variable flags for command cmd (run or
// monitor) and returns the selection they make.
func (o *runOptions) check(cmd string) (runner.Selection, error) {
	var sel runner.Selection
	if o.runRe != "" {
		re, err := regexp.Compile(o.runRe)
		if err != nil {
			return sel, usagef(cmd, "--run %q: %v", o.runRe, err)
		}
		sel.Run = re
	}
	var err error
	if o.tags != "" {
		if sel.Tags, err = runner.ParseTagExpr(o.tags); err != nil {
			return sel, usagef(cmd, "%v", err)
		}
	}
	if o.shard != "" {
		if sel.Shard, err = runner.ParseShard(o.shard); err != nil {
			return sel, usagef(cmd, "%v", err)
		}
	}
	for _, v := range o.vars {
		if msg := spec.VarProblem(v); msg != "" {
			return sel, usagef(cmd, "--var: %s", msg)
		}
	}
	return sel, nil
}

func (sys *system) runCmd(ctx context.Context, opts runOptions, paths []string) error {
	p, err := sys.parseRun(opts, paths)
	if err != nil {
		return err
	}
	o := &p.opts
	if err := checkReportPaths(o, p.paths); err != nil {
		return err
	}
	project, err := sys.load(p.paths, sys.specOptions(&o.varOptions), ": nothing was run")
	if err != nil {
		return err
	}
	if err := checkReportInputs(o, project.SchemaFiles); err != nil {
		return err
	}
	warnings, err := checkSelection(p.selection, project)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	for _, w := range warnings {
		fmt.Fprintln(sys.stderr, "specrun: warning: "+w)
	}
	if o.list {
		sys.list(p, project)
		return nil
	}

	target, err := sys.target(ctx, o)
	if err != nil {
		return err
	}
	defer target.close()
	if err := checkReportInputs(o, target.inputs); err != nil {
		return err
	}
	return sys.execute(ctx, p, project, target)
}

// checkSelection is sel.Check with the project's secrets hidden in what it
// says: it quotes --run and --tags, which may hold one.
func checkSelection(sel runner.Selection, project *spec.Project) ([]string, error) {
	warnings, err := sel.Check(project)
	for i := range warnings {
		warnings[i] = project.Redact(warnings[i])
	}
	if err != nil {
		err = errors.New(project.Redact(err.Error()))
	}
	return warnings, err
}

// list prints the tests --list selects.
func (sys *system) list(p *plan, project *spec.Project) {
	for _, t := range p.selection.Select(project) {
		fmt.Fprintf(sys.stdout, "%s\t%s\n", t.FullName(), t.Pos.FileLine())
	}
}

// newClient is the API client of a run against target.
func newClient(o *runOptions, target *target) (*client.Client, error) {
	cl, err := client.New(client.Config{
		Endpoint:         target.endpoint,
		Credentials:      target.creds,
		Parallelism:      o.parallel,
		MaxRetries:       o.maxRetries,
		Rate:             o.rate,
		MaxResponseBytes: int64(o.maxRespMB) << 20,
	})
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return cl, nil
}

// otherCredentials are the keys the credentials could be read from (both
// names of each variable, the configure file's profile) but the access key
// the run signs with, which the runner shows in its short form: under
// --local the run signs with the emulator's keys, and the user's own are
// secrets all the same.
func (sys *system) otherCredentials(target *target) []string {
	all := client.CredentialValues(sys.lookupEnv, sys.home)
	return slices.DeleteFunc(all, func(v string) bool { return v == target.creds.AccessKey })
}

// runnerOptions are the runner's options for a run of project against
// target, with its report headers.
func (sys *system) runnerOptions(p *plan, project *spec.Project, target *target) runner.Options {
	o := &p.opts
	return runner.Options{
		Selection:        p.selection,
		Parallel:         o.parallel,
		FailFast:         o.failFast,
		Platform:         o.platform,
		Verbose:          o.verbose,
		Secrets:          slices.Concat([]string{target.creds.SecretKey}, sys.otherCredentials(target), project.Secrets),
		AccessKey:        target.creds.AccessKey,
		CredentialSource: target.creds.Source,
		Now:              sys.now,
		Info:             sys.runInfo(p, project, target),
	}
}

// execute runs the selected tests of project against target and writes the
// reports.
func (sys *system) execute(ctx context.Context, p *plan, project *spec.Project, target *target) error {
	o := &p.opts
	cl, err := newClient(o, target)
	if err != nil {
		return err
	}
	defer cl.CloseIdleConnections()

	opts := sys.runnerOptions(p, project, target)
	// A one-shot run reads nothing of a finished test's steps but their
	// names and positions: the compiled invocations can go as the run goes
	// (the monitor, which runs its project again, keeps them).
	opts.ReleaseSteps = true
	selected := p.selection.Select(project)
	out, err := sys.outputs(o, selected, opts.Info)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	defer out.done()
	handler := runner.Handler(out.handler)
	reports := sys.newReportWriter(o)
	if o.writesReports() {
		prog := newProgress(selected, opts.Info, sys.now)
		reports.track(ctx, prog)
		handler = withProgress(handler, prog)
	}
	res := runner.Run(ctx, project, cl, opts, handler)

	// Standard output failing (a closed pipe, a full disk) fails the run
	// as a report file would.
	reportErr := errors.Join(out.err(), reports.final(res))
	if p.gateway != nil {
		reportErr = errors.Join(reportErr, pushMetrics(p.gateway, project, res))
	}
	switch {
	case res.Interrupted:
		return &exitError{code: exitInterrupted, err: reportErr}
	case reportErr != nil:
		return &exitError{code: exitFailed, err: reportErr}
	case res.Status().Failed():
		return &exitError{code: exitFailed}
	}
	return nil
}

// runInfo describes the run for report headers, the project's secrets
// hidden in the --run and --tags it repeats, as they are in the names.
func (sys *system) runInfo(p *plan, project *spec.Project, target *target) runner.RunInfo {
	o := &p.opts
	return runner.RunInfo{
		Version:  sys.buildVersion(),
		Endpoint: target.endpoint,
		Local:    o.local != "",
		Parallel: o.parallel,
		Hostname: sys.hostname(),
		Shard:    p.selection.Shard.String(),
		Run:      project.Redact(o.runRe),
		Tags:     project.Redact(o.tags),
	}
}

// console is the console reporter: of --format console on standard
// output (with the live progress line when live), or of -v on standard
// error when standard output carries a machine format; else nil.
func (sys *system) console(o *runOptions, stdout, stderr io.Writer, live bool) *console.Reporter {
	switch {
	case o.format == "console":
		// Colours only on a terminal, and not with NO_COLOR, --no-color or
		// TERM=dumb; the progress line on any terminal that can redraw it
		// (progressPlan).
		color := sys.stdoutFile != nil && console.ColorWanted(sys.stdoutFile, o.noColor, sys.lookupEnv)
		return console.New(stdout, console.Options{Color: color, Progress: live, Verbose: o.verbose, Local: o.local != ""})
	case o.verbose:
		// Standard output carries a machine format: what -v prints goes to
		// standard error, without colour or progress line.
		return console.New(stderr, console.Options{Verbose: true, Local: o.local != ""})
	}
	return nil
}

// reportWrite says which reports a write of a run's reports writes.
type reportWrite uint8

const (
	// finalWrite: standard output's format and every report.
	finalWrite reportWrite = iota
	// abortWrite: every report file, before a second interrupt exits.
	abortWrite
	// interimWrite: the report files that are replaced whole (a pipe or a
	// device would get the report twice).
	interimWrite
)

// writeReports writes the reports that kind says. A report that cannot be
// written does not keep the others from being written. --format tap and
// jsonl were streamed as the run went; --format json is written here.
func (sys *system) writeReports(o *runOptions, res *runner.Result, kind reportWrite) error {
	var errs []error
	if kind != interimWrite && o.format == "json" {
		errs = append(errs, sys.toStdout(kind, func(w io.Writer) error { return jsonreport.Write(w, res) }))
	}
	tapOpts := tap.Options{Version: o.tapVersion}
	errs = append(errs, sys.writeOutputs(kind, []reportOutput{
		{o.reportJUnit, "JUnit report", func(w io.Writer) error { return junit.WriteWith(w, res, junitOptions(&o.outputOptions)) }},
		{o.reportTAP, "TAP report", func(w io.Writer) error { return tap.Write(w, res, tapOpts) }},
		{o.reportJSON, "JSON report", func(w io.Writer) error { return jsonreport.Write(w, res) }},
		{o.reportHTML, "HTML report", func(w io.Writer) error { return html.Write(w, res, html.Options{}) }},
	}))
	return errors.Join(errs...)
}

// toStdout writes a report to standard output with write. Before a
// second interrupt exits, the console may still be printing a test's
// lines: the report is then made first and goes out in one write, which
// no line can cut in two, and the last (see readerWatch.writeLast).
func (sys *system) toStdout(kind reportWrite, write func(io.Writer) error) error {
	if kind != abortWrite {
		return write(sys.stdout)
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	var err error
	if last, ok := sys.stdout.(interface{ writeLast([]byte) (int, error) }); ok {
		_, err = last.writeLast(buf.Bytes())
	} else {
		_, err = sys.stdout.Write(buf.Bytes())
	}
	return err
}

// reportOutput is a report to write to path (none when path is empty).
type reportOutput struct {
	path, what string
	write      func(io.Writer) error
}

// writeOutputs writes the reports that kind says: neither "-" (standard
// output) nor a report that goes into a pipe or a device in an interim
// write.
func (sys *system) writeOutputs(kind reportWrite, outs []reportOutput) error {
	var errs []error
	for _, f := range outs {
		if f.path == "" {
			continue
		}
		if f.path == stdoutPath {
			if kind == interimWrite {
				continue
			}
			if err := sys.toStdout(kind, f.write); err != nil {
				errs = append(errs, fmt.Errorf("writing the %s to standard output: %w", f.what, err))
			}
			continue
		}
		if kind == interimWrite && reporters.InPlace(f.path) {
			continue
		}
		if err := reporters.WriteFile(f.path, f.write); err != nil {
			errs = append(errs, fmt.Errorf("writing the %s: %w", f.what, err))
		}
	}
	return errors.Join(errs...)
}

// load loads the specs, printing every problem; invalid specs are exit 2,
// and the closing line ends with outcome (": nothing was run" for run).
func (sys *system) load(paths []string, opts spec.Options, outcome string) (*spec.Project, error) {
	project, err := spec.Load(paths, opts)
	if err == nil {
		for _, w := range shortSecrets(project) {
			fmt.Fprintln(sys.stderr, "specrun: warning: "+w)
		}
		return project, nil
	}
	return nil, sys.specProblems(err, outcome)
}

// minSecretLen is the length under which a --secret value is warned about:
// 4 bytes, the least a base64 or hex form is masked for (32 bits). A value
// of 1 to 3 bytes ("e", "200", "yes") stands in ordinary words, numbers and
// status codes: masking every occurrence garbles specrun's own text and can
// show the value by context ("HTTP ***" beside "HTTP 200").
const minSecretLen = 4

// shortSecrets are the warnings about --secret names whose value is shorter
// than minSecretLen, one per name, naming the variable, never the value.
func shortSecrets(project *spec.Project) []string {
	var out []string
	for _, name := range project.SecretNames {
		for _, v := range project.SecretValues[name] {
			if len(v) < minSecretLen {
				out = append(out, fmt.Sprintf("--secret %s: the value is shorter than %d bytes: every occurrence of it is masked, in specrun's own words too, which can show it by context, and its base64 and hex are not (see Secrets in docs/spec-format.md)", name, minSecretLen))
				break
			}
		}
	}
	return out
}

// specProblems prints every problem of specs that do not load and returns
// exit 2, its closing line ending with outcome.
func (sys *system) specProblems(err error, outcome string) error {
	n := printProblems(sys.stderr, err)
	return &exitError{code: exitUsage, err: fmt.Errorf("%s in the specs%s", words.Plural(n, "problem"), outcome)}
}

// printProblems prints each joined error on its own line and counts them.
func printProblems(w io.Writer, err error) int {
	list := errlist.Of(err)
	for _, e := range list {
		fmt.Fprintln(w, e)
	}
	return len(list)
}

// target is where requests go, and what to stop after the run.
type target struct {
	endpoint string
	creds    client.Credentials
	close    func()
	// inputs are the files the emulator's actions run (--local).
	inputs []string
}

// target starts the emulator for --local, or reads the endpoint and the
// credentials for a remote run.
func (sys *system) target(ctx context.Context, o *runOptions) (*target, error) {
	if o.local != "" {
		return sys.startLocal(o.local)
	}
	endpoint := o.endpoint
	if endpoint == "" {
		endpoint, _ = sys.lookupEnv("SPECRUN_ENDPOINT")
	}
	if endpoint == "" {
		endpoint = client.DefaultEndpoint
	}
	creds, err := client.LoadCredentials(sys.lookupEnv, sys.home)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return &target{endpoint: endpoint, creds: creds, close: func() {}}, nil
}

// startLocal serves manifest on a free loopback port with fresh credentials.
func (sys *system) startLocal(manifest string) (*target, error) {
	m, err := sys.loadManifest(manifest, ": nothing was run")
	if err != nil {
		return nil, err
	}
	access, secret := localKeys()
	creds := client.Credentials{AccessKey: access, SecretKey: secret, Source: "the built-in emulator (--local)"}
	emu := emulator.New(m, emulator.Options{AccessKey: creds.AccessKey, SecretKey: creds.SecretKey, NewID: sys.newID})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		emu.Close()
		return nil, fmt.Errorf("starting the local emulator: %w", err)
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return &target{
		endpoint: "http://" + ln.Addr().String() + "/api/v2",
		creds:    creds,
		inputs:   manifestFiles(m),
		close:    sys.stopLocal(srv, done, emu),
	}, nil
}

// stopLocal is what stops a --local run's emulator: at the end of the run,
// or before a second interrupt exits, so that no action's process group
// outlives specrun. The run is over (or abandoned) when it is called:
// Close, not Shutdown, which would wait out keep-alive connections the
// client opened but never used (golang.org/issue/22682).
func (sys *system) stopLocal(srv *http.Server, served <-chan struct{}, emu *emulator.Server) func() {
	stop := sync.OnceFunc(func() {
		_ = srv.Close()
		<-served
		emu.Close()
	})
	unregister := sys.abort.addStop(stop)
	return func() {
		stop()
		unregister()
	}
}

// loadManifest loads an emulator manifest, printing every problem; an
// invalid manifest is exit 2, and the closing line ends with outcome.
func (sys *system) loadManifest(path, outcome string) (*emulator.Manifest, error) {
	m, err := emulator.LoadManifest(path)
	if err != nil {
		n := printProblems(sys.stderr, err)
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s in the manifest %s%s", words.Plural(n, "problem"), path, outcome)}
	}
	return m, nil
}

// localKeys makes a key pair for an emulator that nobody else shares.
func localKeys() (access, secret string) {
	return "LOCAL" + randomHex(8), randomHex(20)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}

// validateCommand loads and checks specs without running them.
func (sys *system) validateCommand() *cobra.Command {
	var o varOptions
	c := &cobra.Command{
		Use:   "validate [flags] PATH...",
		Short: "load and check the specs; run nothing",
		Long: `Loads and checks the specs, runs nothing. Prints every problem as
FILE:LINE:COL: message and exits 2, or prints a one-line summary and exits 0.`,
		Example:           "  specrun validate ./specs\n  specrun validate --var-file staging.yaml ./specs",
		ValidArgsFunction: completeSpecPaths,
		RunE: func(_ *cobra.Command, paths []string) error {
			return sys.validateCmd(o, paths)
		},
	}
	varFlags(c, &o)
	return c
}

func (sys *system) validateCmd(o varOptions, paths []string) error {
	if len(paths) == 0 {
		return usagef("validate", "no PATH given: say which spec files or directories to check")
	}
	project, err := sys.load(paths, sys.specOptions(&o), "")
	if err != nil {
		return err
	}
	fmt.Fprintf(sys.stdout, "ok: %s, %s, %s\n", words.Plural(len(project.Suites), "file"), words.Plural(len(project.Suites), "suite"), words.Plural(project.Tests(), "test"))
	return nil
}

func specSchema() []byte { return spec.Schema() }
