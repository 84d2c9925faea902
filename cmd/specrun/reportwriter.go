package main

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/specrun/specrun/runner"
)

// reportWriter writes a run's reports: the final ones once the run is
// over and, when report files are asked for, the run as far as it is final
// before that, so that a report of an earlier run never survives this one:
// when every test is final while a teardown may still be running, and when
// a second interrupt ends the process at once.
type reportWriter struct {
	sys  *system
	o    *runOptions
	mu   sync.Mutex
	done bool // the final reports are written (or being written)
}

func (sys *system) newReportWriter(o *runOptions) *reportWriter {
	return &reportWriter{sys: sys, o: o}
}

// track writes prog's snapshot when every test is final while a teardown
// is owed (the report files), and before the process exits on a second
// interrupt (standard output's report too).
func (w *reportWriter) track(ctx context.Context, prog *progress) {
	prog.onTestsDone = func() { w.early(prog.snapshot(ctx.Err() != nil), interimWrite) }
	w.sys.abort.add(func() { w.early(prog.snapshot(true), abortWrite) })
}

// early writes the reports of res that kind says, unless the final
// reports are written. An error is left for the final write to report. A
// second interrupt's write is the last: standard output must not get a
// second report if the run ends while the process exits.
func (w *reportWriter) early(res *runner.Result, kind reportWrite) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.done = kind == abortWrite
		_ = w.sys.writeReports(w.o, res, kind)
	}
}

// final writes standard output's format and every report of res, unless
// a second interrupt's write took its place.
func (w *reportWriter) final(res *runner.Result) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return nil
	}
	w.done = true
	return w.sys.writeReports(w.o, res, finalWrite)
}

// writesReports reports whether the run writes a report once it is over:
// a report file, or one on standard output (--format json, a report to -).
func (o *runOptions) writesReports() bool {
	return o.format == "json" || len(o.reportFiles()) > 0
}

// withProgress adds prog to the run's handler.
func withProgress(h runner.Handler, prog *progress) runner.Handler {
	if h == nil {
		return prog
	}
	return handlers{prog, h}
}

// aborter holds what to do before the process exits on a second
// interrupt: first what writes (complete a streamed output, write the
// reports), then what stops (the emulator's running actions), each in the
// order added; a nil aborter (a run in a test) does nothing.
type aborter struct {
	mu            sync.Mutex
	writes, stops []func()
}

// add registers fn to write; the returned function unregisters it.
func (a *aborter) add(fn func()) func() {
	if a == nil {
		return func() {}
	}
	return a.register(&a.writes, fn)
}

// addStop registers fn to stop what must not outlive the process, after
// the writes; the returned function unregisters it.
func (a *aborter) addStop(fn func()) func() {
	if a == nil {
		return func() {}
	}
	return a.register(&a.stops, fn)
}

func (a *aborter) register(list *[]func(), fn func()) func() {
	a.mu.Lock()
	defer a.mu.Unlock()
	*list = append(*list, fn)
	i := len(*list) - 1
	return func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		(*list)[i] = nil
	}
}

// run calls what writes, then what stops, waiting for each at most
// timeout: a report stuck on a full pipe does not keep the actions from
// being stopped.
func (a *aborter) run(timeout time.Duration) {
	if a == nil {
		return
	}
	a.mu.Lock()
	writes, stops := slices.Clone(a.writes), slices.Clone(a.stops)
	a.mu.Unlock()
	callAll(writes, timeout)
	callAll(stops, timeout)
}

// callAll calls fns in order, waiting at most timeout.
func callAll(fns []func(), timeout time.Duration) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, fn := range fns {
			if fn != nil {
				fn()
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(timeout):
	}
}
