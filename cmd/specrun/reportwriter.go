package main

import (
	"context"
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
// is owed, and before the process exits on a second interrupt.
func (w *reportWriter) track(ctx context.Context, prog *progress) {
	prog.onTestsDone = func() { w.early(prog.snapshot(ctx.Err() != nil), interimWrite) }
	w.sys.abort.add(func() { w.early(prog.snapshot(true), abortWrite) })
}

// early writes the report files of res that kind says, unless the final
// reports are written. An error is left for the final write to report.
func (w *reportWriter) early(res *runner.Result, kind reportWrite) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		_ = w.sys.writeReports(w.o, res, kind)
	}
}

// final writes standard output's format and every report of res.
func (w *reportWriter) final(res *runner.Result) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	return w.sys.writeReports(w.o, res, finalWrite)
}

// hasReportFiles reports whether a report goes to a file.
func (o *runOptions) hasReportFiles() bool {
	for _, r := range o.reportFiles() {
		if r.path != stdoutPath {
			return true
		}
	}
	return false
}

// withProgress adds prog to the run's handler.
func withProgress(h runner.Handler, prog *progress) runner.Handler {
	if h == nil {
		return prog
	}
	return handlers{prog, h}
}

// aborter holds what to do before the process exits on a second
// interrupt (complete a streamed output, write the reports), in the order
// added; a nil aborter (a run in a test) does nothing.
type aborter struct {
	mu  sync.Mutex
	fns []func()
}

// add registers fn; the returned function unregisters it.
func (a *aborter) add(fn func()) func() {
	if a == nil {
		return func() {}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fns = append(a.fns, fn)
	i := len(a.fns) - 1
	return func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.fns[i] = nil
	}
}

// run calls what was added, in order, waiting for it at most timeout.
func (a *aborter) run(timeout time.Duration) {
	if a == nil {
		return
	}
	a.mu.Lock()
	fns := append([]func(){}, a.fns...)
	a.mu.Unlock()
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
