// Package status keeps a long run from being silent where no live progress
// line can be drawn (a pipe, a CI log, or stderr beside a machine format on
// stdout): while tests run, it writes a one-line status at most once per
// interval (30 seconds by default), such as
//
//	specrun: 12/40 tests finished (2 failed), 3 running (longest: users › slow report, 1m02s), 1m30s elapsed
//
// It writes nothing before the run starts, after it ends, or while no test
// is running; a run shorter than the interval writes nothing at all.
package status

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/specrun/specrun/reporters/internal/termtext"
	"github.com/specrun/specrun/runner"
)

// DefaultInterval is the interval between two status lines.
const DefaultInterval = 30 * time.Second

// Options configure New. The clock and the ticker are injectable so that
// tests need no timing.
type Options struct {
	// Interval is DefaultInterval when zero.
	Interval time.Duration
	// Now is time.Now when nil.
	Now func() time.Time
	// NewTicker returns a channel that ticks every d and a stop function;
	// nil means time.NewTicker.
	NewTicker func(d time.Duration) (<-chan time.Time, func())
}

// Status is a runner.Handler that writes status lines to its writer from a
// goroutine of its own, between RunStarted and RunFinished.
type Status struct {
	w    io.Writer
	opts Options

	mu      sync.Mutex
	start   time.Time
	done    int
	failed  int
	total   int
	running map[*runner.TestResult]running
	err     error

	stop    chan struct{}
	stopped chan struct{}
	// afterTick, when set (tests), is called after each tick is handled.
	afterTick func()
}

type running struct {
	name  string
	since time.Time
}

// New returns a Status writing to w. Each line is one Write call.
func New(w io.Writer, opts Options) *Status {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.NewTicker == nil {
		opts.NewTicker = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		}
	}
	return &Status{w: w, opts: opts, running: map[*runner.TestResult]running{}}
}

// Event keeps count of the run; RunStarted starts the ticker, RunFinished
// stops it and returns once no status line can be written any more.
func (s *Status) Event(e runner.Event) {
	switch e.Kind {
	case runner.RunStarted:
		s.begin(e.Total)
	case runner.TestStarted:
		if e.Test != nil {
			s.mu.Lock()
			s.running[e.Test] = running{name: testName(e), since: s.opts.Now()}
			s.mu.Unlock()
		}
	case runner.TestFinished:
		s.mu.Lock()
		delete(s.running, e.Test)
		s.done = e.Done
		if e.Test != nil && e.Test.Status.Failed() {
			s.failed++
		}
		s.mu.Unlock()
	case runner.RunFinished:
		s.end()
	}
}

// testName is "SUITE › TEST", its control characters (line feeds too)
// shown as escapes, so that the status line stays one line that moves
// nothing on the terminal.
func testName(e runner.Event) string {
	name := ""
	if e.Suite != nil {
		name = e.Suite.Suite.Name + " › "
	}
	return termtext.Visible(name+e.Test.Test.Name, false)
}

func (s *Status) begin(total int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stop != nil {
		return
	}
	s.start, s.total = s.opts.Now(), total
	s.stop, s.stopped = make(chan struct{}), make(chan struct{})
	ticks, stopTicker := s.opts.NewTicker(s.opts.Interval)
	go func() {
		defer close(s.stopped)
		defer stopTicker()
		for {
			select {
			case <-s.stop:
				return
			case <-ticks:
				s.report()
				if s.afterTick != nil {
					s.afterTick()
				}
			}
		}
	}()
}

func (s *Status) end() {
	s.mu.Lock()
	stop, stopped := s.stop, s.stopped
	s.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	<-stopped
}

// report writes one status line when a test is running.
func (s *Status) report() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.running) == 0 || s.err != nil {
		return
	}
	now := s.opts.Now()
	var longest running
	for _, r := range s.running {
		if longest.since.IsZero() || r.since.Before(longest.since) || (r.since.Equal(longest.since) && r.name < longest.name) {
			longest = r
		}
	}
	line := fmt.Sprintf("specrun: %d/%d tests finished", s.done, s.total)
	if s.failed > 0 {
		line += fmt.Sprintf(" (%d failed)", s.failed)
	}
	line += fmt.Sprintf(", %d running (longest: %s, %s), %s elapsed\n", len(s.running), longest.name, duration(now.Sub(longest.since)), duration(now.Sub(s.start)))
	if _, err := io.WriteString(s.w, line); err != nil {
		s.err = err
	}
}

// duration rounds d to the second, "1m02s" style.
func duration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	h, m, sec := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	if h > 0 {
		return fmt.Sprintf("%dh%02dm%02ds", h, m, sec)
	}
	return fmt.Sprintf("%dm%02ds", m, sec)
}

// Err returns the first error writing a line.
func (s *Status) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
