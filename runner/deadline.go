package runner

import (
	"context"
	"time"
)

// deadlines gives one worker's tests their deadline contexts, one after
// another, without making a context and a runtime timer for every test:
// context.WithTimeout costs seven allocations and a timer per test, plus
// the map in which the HTTP transport registers each request's own context,
// which is a few percent of a run against a fast API (BenchmarkOverhead).
//
// A generation is a context.WithCancelCause of the run's context and an
// AfterFunc timer that cancels it with context.DeadlineExceeded. Each test
// re-arms the timer and runs in a deadlineCtx over the generation; when the
// timer did not fire, the next test reuses the generation (the transport's
// registrations are removed when each request completes). When it fired,
// or may be firing, the generation is cancelled and dropped, and the next
// test starts a new one, so a late timer can only cancel a context that no
// test uses any more.
//
// A deadlines belongs to one goroutine; the contexts it returns are safe
// for concurrent use like any context, until finish: a finished test's
// context may share its generation with later tests, and end with them.
type deadlines struct {
	parent context.Context
	cur    context.Context // the generation's context; nil: none yet
	cancel context.CancelCauseFunc
	timer  *time.Timer
}

func newDeadlines(parent context.Context) *deadlines {
	return &deadlines{parent: parent}
}

// start returns the context of a test that must end within d. Call finish
// when the test is over, before the next start.
func (dl *deadlines) start(d time.Duration) context.Context {
	deadline := time.Now().Add(d)
	if dl.cur == nil {
		dl.cur, dl.cancel = context.WithCancelCause(dl.parent)
		cancel := dl.cancel // this generation's, whatever dl holds later
		dl.timer = time.AfterFunc(d, func() { cancel(context.DeadlineExceeded) })
	} else {
		dl.timer.Reset(d)
	}
	return &deadlineCtx{Context: dl.cur, deadline: deadline}
}

// finish ends the current test's context.
func (dl *deadlines) finish() {
	if dl.cur == nil {
		return
	}
	if !dl.timer.Stop() || dl.cur.Err() != nil {
		// The timer fired (its cancel may still be on its way) or the run
		// was cancelled: this generation is spent.
		dl.cancel(context.Canceled)
		dl.cur, dl.cancel, dl.timer = nil, nil, nil
	}
}

// close releases the current generation; the worker is done.
func (dl *deadlines) close() {
	if dl.cur != nil {
		dl.timer.Stop()
		dl.cancel(context.Canceled)
		dl.cur, dl.cancel, dl.timer = nil, nil, nil
	}
}

// deadlineCtx is one test's context: its generation's cancellation, values
// and Done channel, with the test's own deadline. Err says
// context.DeadlineExceeded when the test's time ran out, as a context of
// context.WithDeadline would, and context.Canceled when the run was
// interrupted; context.Cause says the same. The transport sees through it
// to the generation's cancelCtx (Done and Value are the generation's), so
// deriving a context from it starts no goroutine.
type deadlineCtx struct {
	context.Context
	deadline time.Time
}

func (c *deadlineCtx) Deadline() (time.Time, bool) { return c.deadline, true }

func (c *deadlineCtx) Err() error {
	err := c.Context.Err()
	if err != nil && context.Cause(c.Context) == context.DeadlineExceeded {
		return context.DeadlineExceeded
	}
	return err
}
