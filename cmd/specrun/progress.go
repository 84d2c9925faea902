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
	// bySuite finds a selected suite's entry (one per suite, not per test).
	bySuite map[*spec.Suite]*progressSuite
	done    int
	total   int
	// teardowns counts the selected suites with teardown steps whose
	// TeardownFinished has not come.
	teardowns int
	// onTestsDone is called, from the event goroutine, when every test is
	// final while a teardown may still be running.
	onTestsDone func()
}

// progressSuite is one selected suite and what of it is final. results
// and started are indexed by the test's Index in its suite: a large run
// keeps two slices, not two maps with an entry per test.
type progressSuite struct {
	suite           *spec.Suite
	tests           []*spec.Test
	results         []*runner.TestResult // the final ones
	started         []bool               // started: one not final yet may have sent its request
	start           time.Time
	setup, teardown []*runner.StepResult
	// setupVerdict and teardownVerdict are the suite's, as final.
	setupVerdict, teardownVerdict runner.Verdict
	teardownDone                  bool
	seen                          bool
}

// newProgress lists the selected tests of the run, in the runner's order.
func newProgress(selected []*spec.Test, info runner.RunInfo, now func() time.Time) *progress {
	p := &progress{info: info, start: now(), now: now, bySuite: map[*spec.Suite]*progressSuite{}, total: len(selected)}
	var cur *progressSuite
	for _, t := range selected {
		if cur == nil || cur.suite != t.Suite {
			n := len(t.Suite.Tests)
			cur = &progressSuite{suite: t.Suite, results: make([]*runner.TestResult, n), started: make([]bool, n)}
			p.suites = append(p.suites, cur)
			p.bySuite[t.Suite] = cur
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
		ps = p.bySuite[ev.Suite.Suite]
	}
	if ps != nil && !ps.seen {
		// The runner sets a suite's Start before any event of it.
		ps.start, ps.seen = ev.Suite.Start, true
	}
	switch ev.Kind {
	case runner.TestStarted:
		if ts := p.bySuite[ev.Test.Test.Suite]; ts != nil {
			ts.started[ev.Test.Test.Index] = true
		}
	case runner.TestFinished:
		if ts := p.bySuite[ev.Test.Test.Suite]; ts != nil {
			ts.results[ev.Test.Test.Index] = ev.Test
		}
		p.done++
		return p.done == p.total && p.teardowns > 0
	case runner.SetupFinished:
		ps.setup, ps.setupVerdict = ev.Suite.Setup, ev.Suite.SetupVerdict
	case runner.TeardownFinished:
		ps.teardown, ps.teardownVerdict, ps.teardownDone = ev.Suite.Teardown, ev.Suite.TeardownVerdict, true
		if len(ps.suite.Teardown) > 0 {
			p.teardowns--
		}
	}
	return false
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
		sr := &runner.SuiteResult{Suite: ps.suite, Start: ps.start, Setup: ps.setup, Teardown: ps.teardown,
			SetupVerdict: ps.setupVerdict, TeardownVerdict: ps.teardownVerdict}
		if ps.seen {
			sr.Duration = now.Sub(ps.start)
		}
		for _, t := range ps.tests {
			tr := ps.results[t.Index]
			if tr == nil {
				tr = &runner.TestResult{Test: t, Status: runner.Skip, Reason: runner.ReasonInterrupted}
				if ps.started[t.Index] {
					tr.Status, tr.Reason = runner.Interrupted, runner.ReasonMayHaveRun
				}
				tr.Verdict = runner.NewVerdict(tr.Status, nil, tr.Reason)
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
