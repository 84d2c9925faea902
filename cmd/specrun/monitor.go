package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/specrun/specrun/monitor"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// defaultListen is monitor's address: loopback only, unless told.
const defaultListen = "127.0.0.1:9479"

// pushTimeout bounds a push to a Pushgateway.
const pushTimeout = 30 * time.Second

// schedule is monitor's own flags.
type schedule struct {
	every  time.Duration
	listen string
}

// monitorCommand runs the specs on a schedule and serves their metrics. It
// takes run's flags but those of its output.
func (sys *system) monitorCommand() *cobra.Command {
	var o runOptions
	var sch schedule
	c := &cobra.Command{
		Use:   "monitor --every D [flags] PATH...",
		Short: "run the specs on a schedule, serve Prometheus metrics",
		Long: `Runs the specs in PATH at once and then every DURATION, never two runs at
once, until interrupted, and serves Prometheus metrics on /metrics, the
loop's health on /healthz and the latest run's JSON report on /. Spec files
that change are loaded again before the next run; a set that does not
validate is refused (logged, and counted in specrun_specs_reloads_total)
and the last good set keeps running. SIGTERM or SIGINT stops the run in
progress (teardowns still run) and exits 0. The first line of output is the
base URL of the server. See docs/monitor.md.`,
		Example: `  specrun monitor --every 5m ./specs
  specrun monitor --every 30s --local examples/manifest.yaml examples/specs`,
		ValidArgsFunction: completeSpecPaths,
		RunE: func(c *cobra.Command, paths []string) error {
			return sys.monitorCmd(c.Context(), o, sch, paths)
		},
	}
	flagGroup(c, "Schedule", func(fs *pflag.FlagSet) {
		fs.Var(&interval{&sch.every}, "every", "run the specs every DURATION, such as 30s or 5m (required; at least 1s)")
		fs.StringVar(&sch.listen, "listen", defaultListen, "serve /metrics, /healthz and / on `HOST:PORT` (port 0 picks a free one)")
	})
	endpointFlags(c, &o.targetOptions)
	sys.selectionFlags(c, &o.selectionOptions)
	runningFlags(c, &o.runningOptions)
	varFlags(c, &o.varOptions)
	// The monitor prints no console: --verbose keeps the exchanges in /.
	c.Flags().Lookup("verbose").Usage = "keep every attempt's request and response in the report on / (credentials and secrets redacted)"
	for _, name := range []string{"every", "listen"} {
		_ = c.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	return c
}

// interval is --every: a duration of at least 1s, checked as it is set;
// unset (zero) it prints no default in help.
type interval struct{ p *time.Duration }

func (v *interval) String() string {
	if v.p == nil || *v.p == 0 {
		return ""
	}
	return v.p.String()
}

func (v *interval) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Second {
		return errors.New("want a duration of 1s or more, such as 30s or 5m")
	}
	*v.p = d
	return nil
}

func (v *interval) Type() string { return "DURATION" }

func (sys *system) monitorCmd(ctx context.Context, opts runOptions, sch schedule, paths []string) error {
	if len(paths) == 0 {
		return usagef("monitor", "no PATH given: say which spec files or directories to run")
	}
	if sch.every == 0 {
		return usagef("monitor", "--every is required: say how often to run the specs, such as --every 5m")
	}
	p := &plan{opts: opts, paths: paths}
	o := &p.opts
	var err error
	if p.selection, err = o.check("monitor"); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(sys.stderr, nil))
	load := sys.monitorLoader(p, log)
	if o.list {
		project, err := load()
		if err != nil {
			return sys.loadFailure(err)
		}
		sys.list(p, project)
		return nil
	}
	// Remote runs read the credentials again each run (a mounted secret may
	// rotate); the emulator of --local is started once.
	tg, err := sys.target(ctx, o)
	if err != nil {
		return err
	}
	defer tg.close()
	connect := func() (*target, error) { return tg, nil }
	if o.local == "" {
		connect = func() (*target, error) { return sys.target(ctx, o) }
	}
	mon, err := monitor.New(monitor.Config{
		Every: sch.every,
		Paths: slices.Concat(paths, o.varFiles),
		Load:  load,
		Run: func(ctx context.Context, project *spec.Project, started func()) (*runner.Result, error) {
			t, err := connect()
			if err != nil {
				return nil, err
			}
			return sys.monitorRun(ctx, p, project, t, started)
		},
		Log: log,
	})
	if err != nil {
		return sys.loadFailure(err)
	}
	return sys.serveMonitor(ctx, mon, sch)
}

// selectionError is a --run or --tags that keeps no test.
type selectionError struct{ error }

// monitorLoader loads the specs and checks the selection as run does
// before anything is sent: a selection that keeps no test is an error, at
// start and on a reload alike. Warnings go to log.
func (sys *system) monitorLoader(p *plan, log *slog.Logger) func() (*spec.Project, error) {
	var once sync.Once
	return func() (*spec.Project, error) {
		// The credentials are read again before each run: so are they
		// for the loader's redaction.
		project, err := spec.Load(p.paths, sys.specOptions(&p.opts.varOptions))
		if err != nil {
			return nil, err
		}
		once.Do(func() {
			for _, w := range shortSecrets(project) {
				log.Warn(w)
			}
		})
		warnings, err := checkSelection(p.selection, project)
		if err != nil {
			return nil, selectionError{err}
		}
		for _, w := range warnings {
			log.Warn(w)
		}
		return project, nil
	}
}

// loadFailure is exit 2 for specs that do not load at start, or a
// selection that keeps no test.
func (sys *system) loadFailure(err error) error {
	var se selectionError
	if errors.As(err, &se) {
		return &exitError{code: exitUsage, err: se.error}
	}
	return sys.specProblems(err, ": nothing was run")
}

// monitorRun runs the selected tests once for the monitor, calling started
// as the run begins: no console, no report files (the monitor serves its
// own). An error means the run could not start.
func (sys *system) monitorRun(ctx context.Context, p *plan, project *spec.Project, tg *target, started func()) (*runner.Result, error) {
	cl, err := newClient(&p.opts, tg)
	if err != nil {
		return nil, err
	}
	defer cl.CloseIdleConnections()
	started()
	return runner.Run(ctx, project, cl, sys.runnerOptions(p, project, tg), nil), nil
}

// serveMonitor listens and serves until ctx is done.
func (sys *system) serveMonitor(ctx context.Context, mon *monitor.Monitor, sch schedule) error {
	ln, err := net.Listen("tcp", sch.listen)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("--listen %s: %w", sch.listen, err)}
	}
	fmt.Fprintf(sys.stdout, "http://%s\n", ln.Addr())
	fmt.Fprintf(sys.stderr, "running the specs every %s; serving /metrics, /healthz and / on http://%s until interrupted\n", sch.every, ln.Addr())
	return mon.Serve(ctx, ln)
}

// pushMetrics pushes the metrics of a one-shot run to a Pushgateway.
func pushMetrics(gw *monitor.Gateway, project *spec.Project, res *runner.Result) error {
	reg := prometheus.NewRegistry()
	m := monitor.NewRunMetrics(reg)
	m.Started()
	m.Observe(res, project.Redact)
	// The run's context may be cancelled (an interrupt): the push, like
	// the reports, still happens.
	ctx, cancel := context.WithTimeout(context.Background(), pushTimeout)
	defer cancel()
	return gw.Push(ctx, reg)
}
