package tap

import (
	"bufio"
	"fmt"
	"io"
	"sync"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// StreamOptions configures NewStream.
type StreamOptions struct {
	// Version is as in Options.
	Version int
	// PlanFirst writes the plan before the first point, from the number of
	// selected tests; set it only when that is the number of points, that
	// is when no selected suite has setup or teardown steps. Otherwise the
	// plan is written last.
	PlanFirst bool
}

// Stream writes TAP as a run goes: it is a runner.Handler. It is safe to
// call Abort from another goroutine while events are delivered.
type Stream struct {
	mu        sync.Mutex
	bw        *bufio.Writer
	p         *printer
	planFirst bool
	planned   int
	// done marks the tests that have their point, by suite and the test's
	// Index in it: a byte a test, not a map entry a test.
	done     map[*spec.Suite][]bool
	finished bool
	err      error
}

// NewStream returns a Stream writing to w, or an error for an unsupported
// version.
func NewStream(w io.Writer, opts StreamOptions) (*Stream, error) {
	version := opts.Version
	if version == 0 {
		version = 13
	}
	if version != 13 && version != 14 {
		return nil, fmt.Errorf("tap: unsupported TAP version %d; use 13 or 14", opts.Version)
	}
	bw := bufio.NewWriter(w)
	return &Stream{
		bw: bw, p: &printer{w: bw, v14: version == 14}, planFirst: opts.PlanFirst,
		done: map[*spec.Suite][]bool{},
	}, nil
}

// Event writes what e finished: the header (and the plan first) on
// RunStarted, a point on TestFinished, a point for a failed setup or
// teardown, and on RunFinished the points of tests that never finished,
// the plan (when last) and a bail-out for an interrupted run. Each event's
// lines are flushed at once.
func (s *Stream) Event(e runner.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return
	}
	switch e.Kind {
	case runner.RunStarted:
		fmt.Fprintf(s.bw, "TAP version %d\n", s.version())
		if s.planFirst {
			s.planned = e.Total
			writePlan(s.bw, e.Total, "no tests selected")
		}
	case runner.TestFinished:
		if s.first(e.Test) {
			s.p.test(suiteName(e.Suite), e.Test)
		}
	case runner.SetupFinished:
		s.p.phase(suiteName(e.Suite), setupName, e.Suite.Setup, e.Suite.SetupVerdict)
	case runner.TeardownFinished:
		s.p.phase(suiteName(e.Suite), teardownName, e.Suite.Teardown, e.Suite.TeardownVerdict)
	case runner.RunFinished:
		s.finish(e.Result)
	}
	s.flush()
}

// first reports whether tr has no point yet, and marks it as having one.
func (s *Stream) first(tr *runner.TestResult) bool {
	t := tr.Test
	marks := s.done[t.Suite]
	if t.Index >= len(marks) {
		marks = append(marks, make([]bool, max(t.Index+1, len(t.Suite.Tests))-len(marks))...)
		s.done[t.Suite] = marks
	}
	if marks[t.Index] {
		return false
	}
	marks[t.Index] = true
	return true
}

func (s *Stream) version() int {
	if s.p.v14 {
		return 14
	}
	return 13
}

// finish writes the tests of r that got no point yet (in input order), the
// plan when it comes last, and the bail-out of an interrupted run.
func (s *Stream) finish(r *runner.Result) {
	s.finished = true
	if r == nil {
		return
	}
	for _, sr := range r.Suites {
		for _, tr := range sr.Tests {
			if s.first(tr) {
				s.p.test(suiteName(sr), tr)
			}
		}
	}
	s.end(r.Interrupted)
}

// end fills a plan written first with SKIP points (only an abort leaves it
// short), writes a plan that comes last, and the bail-out.
func (s *Stream) end(interrupted bool) {
	for s.planFirst && s.p.n < s.planned {
		s.p.n++
		fmt.Fprintf(s.bw, "ok %d - (did not finish)%s\n", s.p.n, skip(runner.ReasonInterrupted))
	}
	if !s.planFirst {
		reason := "no tests selected"
		if interrupted {
			reason = runner.ReasonInterrupted
		}
		writePlan(s.bw, s.p.n, reason)
	}
	if interrupted {
		s.bw.WriteString("Bail out! " + runner.ReasonInterrupted + "\n")
	}
}

// Abort completes the stream of a run that will not finish (a second
// interrupt): the points the plan still needs as SKIP points, the plan when
// it comes last, and "Bail out! interrupted". It does nothing after the
// run finished.
func (s *Stream) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return
	}
	s.finished = true
	s.end(true)
	s.flush()
}

func (s *Stream) flush() {
	if err := s.bw.Flush(); err != nil && s.err == nil {
		s.err = fmt.Errorf("tap: %w", err)
	}
}

// Err returns the first error writing the stream.
func (s *Stream) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
