package main

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// abortTimeout bounds each phase of a second interrupt's exit: writing
// the reports, then stopping the emulator's actions.
const abortTimeout = 5 * time.Second

// stopper is what the process does when a run is asked to stop. The first
// interrupt (SIGINT, SIGTERM, or the reader of standard output going
// away) cancels the run, which finishes up: running tests are stopped,
// teardowns run, the reports are written. A second interrupt exits at
// once, after the aborter ran.
type stopper struct {
	cancel func()
	abort  *aborter
	stderr io.Writer
	exit   func(int)

	// aborted is closed once a second interrupt's aborter ran.
	aborted chan struct{}

	mu         sync.Mutex
	interrupts int
	gone       bool // standard output's reader going away stopped the run
}

// end exits for a command that ended with err, unless a second interrupt
// is exiting: the run may end while the aborter stops the emulator, and it
// is then that exit's to say how the process ends, after the aborter.
func (s *stopper) end(err error) {
	s.mu.Lock()
	aborting := s.interrupts > 1
	s.mu.Unlock()
	if aborting {
		<-s.aborted
		s.exit(s.code(exitInterrupted))
		return
	}
	s.exit(s.code(exitCode(err, s.stderr)))
}

// interrupt is a SIGINT or a SIGTERM.
func (s *stopper) interrupt() {
	s.mu.Lock()
	s.interrupts++
	n := s.interrupts
	s.mu.Unlock()
	switch n {
	case 1:
		fmt.Fprintln(s.stderr, "specrun: interrupted: finishing up (interrupt again to exit at once)")
		s.cancel()
	case 2:
		fmt.Fprintln(s.stderr, "specrun: interrupted twice: exiting at once")
		// The report files must be this run's, not the last one's, and
		// the emulator's actions must not outlive the process.
		s.abort.run(abortTimeout)
		close(s.aborted)
		s.exit(s.code(exitInterrupted))
	}
}

// readerGone is standard output's reader going away: a first interrupt.
// After an interrupt it is not a second one: a Ctrl-C on `specrun | head`
// reaches head too, and must still let specrun finish up.
func (s *stopper) readerGone() {
	s.mu.Lock()
	first := s.interrupts == 0
	if first {
		s.interrupts++
		s.gone = true
	}
	s.mu.Unlock()
	if first {
		fmt.Fprintln(s.stderr, "specrun: standard output was closed by its reader: finishing up as on an interrupt (interrupt to exit at once)")
		s.cancel()
	}
}

// code is the process's exit code for a command that ended with code:
// exitReaderGone when standard output's reader going away stopped it, as
// a shell shows a process that SIGPIPE killed, unless the command line
// was wrong.
func (s *stopper) code(code int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gone && code != exitUsage {
		return exitReaderGone
	}
	return code
}

// errReaderGone is what writing to standard output returns once its
// reader went away.
var errReaderGone = errors.New("standard output was closed by its reader")

// readerWatch is standard output, watched for its reader going away (a
// closed pipe: EPIPE, SIGPIPE being ignored). Then gone is called once
// and nothing more is written.
type readerWatch struct {
	w    io.Writer
	gone func()
	once sync.Once
	// mu keeps writeLast's bytes the last: no write starts while it runs.
	mu sync.Mutex
	// closed: nothing more is written. seal sets it without mu, which a
	// write blocked on a full pipe may hold.
	closed atomic.Bool
}

func (r *readerWatch) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.write(p)
}

// writeLast writes p and then nothing more: after a second interrupt's
// report, the run's last lines must not follow it.
func (r *readerWatch) writeLast(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n, err := r.write(p)
	r.closed.Store(true)
	return n, err
}

// seal stops all writing that has not started, before a second interrupt
// exits.
func (r *readerWatch) seal() { r.closed.Store(true) }

func (r *readerWatch) write(p []byte) (int, error) {
	if r.closed.Load() {
		return 0, errReaderGone
	}
	n, err := r.w.Write(p)
	if errors.Is(err, syscall.EPIPE) {
		r.closed.Store(true)
		r.once.Do(r.gone)
		return n, errReaderGone
	}
	return n, err
}
