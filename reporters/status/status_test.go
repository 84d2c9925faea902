package status

import (
	"sync"
	"testing"
	"time"

	"github.com/specrun/specrun/internal/syncbuf"
	"github.com/specrun/specrun/reporters/internal/scenarios"
	"github.com/specrun/specrun/runner"
)

// fake is an injected clock and ticker: tick sends a tick and returns once
// the status goroutine has taken it; the clock is set by the test.
type fake struct {
	mu       sync.Mutex
	now      time.Time
	ticks    chan time.Time
	interval time.Duration
	stopped  bool
}

func newFake() *fake { return &fake{now: scenarios.T0, ticks: make(chan time.Time)} }

func (f *fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fake) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func (f *fake) NewTicker(d time.Duration) (<-chan time.Time, func()) {
	f.interval = d
	return f.ticks, func() { f.mu.Lock(); f.stopped = true; f.mu.Unlock() }
}

// newTicking is a Status on a fake clock and ticker, writing to out; tick
// sends a tick and returns once it was handled.
func newTicking() (f *fake, s *Status, out *syncbuf.Buffer, tick func()) {
	f, out = newFake(), new(syncbuf.Buffer)
	s = New(out, Options{Now: f.Now, NewTicker: f.NewTicker})
	handled := make(chan struct{})
	s.afterTick = func() { handled <- struct{}{} }
	return f, s, out, func() { f.ticks <- f.Now(); <-handled }
}

// TestStatusLines drives a run of the retries scenario with an injected
// clock and ticker: ticks while tests run write one line each, with the
// counts, the longest-running test and the elapsed time; ticks before any
// test started write nothing, and RunFinished stops the ticker.
func TestStatusLines(t *testing.T) {
	f, s, out, tick := newTicking()
	evs := scenarios.Events(scenarios.Retry())
	s.Event(evs[0]) // RunStarted
	if f.interval != DefaultInterval {
		t.Errorf("interval %v, want %v", f.interval, DefaultInterval)
	}
	tick() // nothing runs yet
	var first, second runner.Event
	for _, e := range evs {
		if e.Kind == runner.TestStarted {
			if first.Test == nil {
				first = e
			} else if second.Test == nil {
				second = e
			}
		}
	}
	s.Event(first)
	f.advance(20 * time.Second)
	s.Event(second)
	f.advance(75 * time.Second)
	tick()
	s.Event(runner.Event{Kind: runner.TestFinished, Suite: second.Suite, Test: second.Test, Done: 1, Total: 2})
	f.advance(30 * time.Second)
	tick()
	s.Event(runner.Event{Kind: runner.TestFinished, Suite: first.Suite, Test: first.Test, Done: 2, Total: 2})
	tick() // nothing runs any more
	s.Event(evs[len(evs)-1])
	want := "specrun: 0/2 tests finished, 2 running (longest: jobs › job finishes, 1m35s), 1m35s elapsed\n" +
		"specrun: 1/2 tests finished, 1 running (longest: jobs › job finishes, 2m05s), 2m05s elapsed\n"
	if got := out.String(); got != want {
		t.Errorf("status lines:\n%s\nwant:\n%s", got, want)
	}
	if !f.stopped {
		t.Error("the ticker was not stopped at RunFinished")
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 1499 * time.Millisecond: "1s", 62 * time.Second: "1m02s", time.Hour + 2*time.Minute + 3*time.Second: "1h02m03s",
	} {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestStatusLineShowsControlCharacters: a test name with control
// characters and a line feed is shown escaped, on one line.
func TestStatusLineShowsControlCharacters(t *testing.T) {
	_, s, out, tick := newTicking()
	evs := scenarios.Events(scenarios.Escape())
	s.Event(evs[0])
	for _, e := range evs {
		if e.Kind == runner.TestStarted {
			s.Event(e)
			break
		}
	}
	tick()
	s.Event(evs[len(evs)-1])
	want := `specrun: 0/2 tests finished, 1 running (longest: odd <suite> & "co" # 1 › a <b> & "c" 'd' ]]> e\x01\x1b[31m\x7f f\xff\xfe g` + "\uFFFE" +
		` h # not a directive \# \ i\nsecond line\r\nthird: - [x] {y} --- ... ` + "\u2028" + " end , 0s), 0s elapsed\n"
	if got := out.String(); got != want {
		t.Errorf("status line:\n%q\nwant:\n%q", got, want)
	}
}
