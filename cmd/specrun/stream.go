package main

import (
	"errors"
	"io"
	"sync"

	"github.com/specrun/specrun/reporters/console"
	"github.com/specrun/specrun/reporters/jsonl"
	"github.com/specrun/specrun/reporters/status"
	"github.com/specrun/specrun/reporters/tap"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// outputs are what a run writes as it goes: the console, a streamed
// machine format, status lines.
type outputs struct {
	handler runner.Handler
	// errs report the first write error of each output.
	errs []interface{ Err() error }
	done func()
}

// err joins the outputs' write errors, but for standard output's reader
// going away, which specrun said when it happened (see stopper).
func (o *outputs) err() error {
	var errs []error
	for _, e := range o.errs {
		if err := e.Err(); !errors.Is(err, errReaderGone) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// outputs builds the handlers of a run: the console reporter for --format
// console, the stream of --format tap or jsonl, and status lines where no
// live progress line can be drawn (see progressPlan).
func (sys *system) outputs(o *runOptions, selected []*spec.Test, info runner.RunInfo) (*outputs, error) {
	stream, streamDone, err := sys.streamHandler(o, selected, info)
	if err != nil {
		return nil, err
	}
	out := &outputs{done: streamDone}
	var hs handlers
	if stream != nil {
		hs = append(hs, stream)
		out.errs = append(out.errs, stream.(interface{ Err() error }))
	}
	stdout, stderr := io.Writer(&lockedWriter{w: sys.stdout}), io.Writer(&lockedWriter{w: sys.stderr})
	live := progressPlan(o.format, sys.stdoutFile != nil && console.IsTerminal(sys.stdoutFile), sys.lookupEnv)
	if cons := sys.console(o, stdout, stderr, live.live); cons != nil {
		hs = append(hs, cons)
		out.errs = append(out.errs, cons)
	}
	if live.statusTo != "" {
		w := stdout
		if live.statusTo == "stderr" {
			w = stderr
		}
		hs = append(hs, status.New(w, status.Options{Now: sys.now, NewTicker: sys.newTicker}))
	}
	out.handler = hs
	return out, nil
}

// liveness says how a run shows it is alive: live, a progress line redrawn on
// a terminal; statusTo, where status lines go ("stdout", "stderr" or "").
type liveness struct {
	live     bool
	statusTo string
}

// progressPlan chooses for --format format: the console on a terminal
// (colour or not, NO_COLOR included) keeps a live progress line, unless
// TERM=dumb cannot redraw it; elsewhere status lines go to stdout beside
// the console's lines, or to stderr when stdout carries a machine format.
func progressPlan(format string, terminal bool, lookupEnv func(string) (string, bool)) liveness {
	if format != "console" {
		return liveness{statusTo: "stderr"}
	}
	if term, _ := lookupEnv("TERM"); terminal && term != "dumb" {
		return liveness{live: true}
	}
	return liveness{statusTo: "stdout"}
}

// lockedWriter serializes the writes of the console reporter and of the
// status lines, which come from different goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// streamHandler returns the handler that streams stdout's machine format
// (--format tap, --format jsonl) as the run goes, or nil for formats
// written after the run; done unregisters its abort hook.
func (sys *system) streamHandler(o *runOptions, selected []*spec.Test, info runner.RunInfo) (h runner.Handler, done func(), err error) {
	switch o.format {
	case "tap":
		s, err := tap.NewStream(sys.stdout, tap.StreamOptions{Version: o.tapVersion, PlanFirst: !anyFixtures(selected)})
		if err != nil {
			return nil, nil, err
		}
		return s, sys.abort.add(s.Abort), nil
	case "jsonl":
		s := jsonl.NewStream(sys.stdout, jsonl.Options{Now: sys.now, Info: info})
		return s, sys.abort.add(s.Abort), nil
	}
	return nil, func() {}, nil
}

// anyFixtures reports whether a suite of the selected tests has setup or
// teardown steps (whose failure adds a result, so the count of results is
// not known before the run).
func anyFixtures(selected []*spec.Test) bool {
	for _, t := range selected {
		if t.Suite != nil && len(t.Suite.Setup)+len(t.Suite.Teardown) > 0 {
			return true
		}
	}
	return false
}
