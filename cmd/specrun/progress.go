package main

import (
	"sync"
	"time"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// progress mirrors, from the runner's events, what of a run is final, so
// that report files of this run can be written while it is still going:
// once every test is final but a teardown may still be running, and when
// a second interrupt ends the process at once. A report of an earlier run
// then never survives this one. progress reads only what the events make
// final (tests from TestFinished, setups and teardowns from their
// events), so a snapshot never races with the runner.
type progress struct {
	mu     sync.Mutex
	info   runner.RunInfo
	start  time.Time
	now    func() time.Time
	suites []*progressSuite
	tests  map[*spec.Test]*runner.TestResult // the final ones
	// started holds the tests that started: one not final yet may have
	// sent its request.
	started map[*spec.Test]bool
	done    int
	total   int
	// teardowns counts the selected suites with teardown steps whose
	// TeardownFinished has not come.
	teardowns int
	// onTestsDone is called, from the event goroutine, when every test is
	// final while a teardown may still be running.
	onTestsDone func()
}

// progressSuite is one selected suite and what of it is final.
type progressSuite struct {
	suite              *spec.Suite
	tests              []*spec.Test
	start              time.Time
	setup, teardown    []*runner.StepResult
	teardownDone, seen bool
}

// newProgress lists the selected tests of the run, in the runner's order.
func newProgress(selected []*spec.Test, info runner.RunInfo, now func() time.Time) *progress {
	p := &progress{info: info, start: now(), now: now, tests: map[*spec.Test]*runner.TestResult{}, started: map[*spec.Test]bool{}, total: len(selected)}
	var cur *progressSuite
	for _, t := range selected {
		if cur == nil || cur.suite != t.Suite {
			cur = &progressSuite{suite: t.Suite}
			p.suites = append(p.suites, cur)
			if len(t.Suite.Teardown) > 0 {
				p.teardowns++
			}
		}
		cur.tests = append(cur.tests, t)
	}
	return p
}

// Event records what ev makes final.
func (p *progress) Event(ev runner.Event) {
	p.mu.Lock()
	testsDone := p.record(ev)
	p.mu.Unlock()
	if testsDone && p.onTestsDone != nil {
		p.onTestsDone()
	}
}

// record records ev and reports whether it made the last test final while
// a teardown is owed.
func (p *progress) record(ev runner.Event) bool {
	var ps *progressSuite
	if ev.Suite != nil {
		ps = p.suite(ev.Suite.Suite)
	}
	if ps != nil && !ps.seen {
		// The runner sets a suite's Start before any event of it.
		ps.start, ps.seen = ev.Suite.Start, true
	}
	switch ev.Kind {
	case runner.TestStarted:
		p.started[ev.Test.Test] = true
	case runner.TestFinished:
		p.tests[ev.Test.Test] = ev.Test
		p.done++
		return p.done == p.total && p.teardowns > 0
	case runner.SetupFinished:
		ps.setup = ev.Suite.Setup
	case runner.TeardownFinished:
		ps.teardown, ps.teardownDone = ev.Suite.Teardown, true
		if len(ps.suite.Teardown) > 0 {
			p.teardowns--
		}
	}
	return false
}

func (p *progress) suite(s *spec.Suite) *progressSuite {
	for _, ps := range p.suites {
		if ps.suite == s {
			return ps
		}
	}
	return nil
}

// snapshot is the run as far as it is final, interrupted when interrupted
// is set: a test not yet final is Interrupted (it may have sent its
// request) when it started, else skipped as interrupted.
func (p *progress) snapshot(interrupted bool) *runner.Result {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	res := &runner.Result{Info: p.info, Start: p.start, Duration: now.Sub(p.start), Interrupted: interrupted}
	for _, ps := range p.suites {
		sr := &runner.SuiteResult{Suite: ps.suite, Start: ps.start, Setup: ps.setup, Teardown: ps.teardown}
		if ps.seen {
			sr.Duration = now.Sub(ps.start)
		}
		for _, t := range ps.tests {
			tr := p.tests[t]
			if tr == nil {
				tr = &runner.TestResult{Test: t, Status: runner.Skip, Reason: runner.ReasonInterrupted}
				if p.started[t] {
					tr.Status, tr.Reason = runner.Interrupted, runner.ReasonMayHaveRun
				}
			}
			sr.Tests = append(sr.Tests, tr)
			sr.Status = sr.Status.Merge(tr.Status)
		}
		if st, _ := runner.Phase(ps.setup); st.Failed() {
			sr.Status = runner.Error
		}
		if st, _ := runner.Phase(ps.teardown); st.Failed() {
			sr.Status = runner.Error
		}
		res.Suites = append(res.Suites, sr)
	}
	return res
}

// handlers sends each event to every handler, in order.
type handlers []runner.Handler

// Event calls every handler with ev.
func (hs handlers) Event(ev runner.Event) {
	for _, h := range hs {
		h.Event(ev)
	}
}
