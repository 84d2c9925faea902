package runner

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/internal/redact"
	"github.com/specrun/specrun/internal/words"
	"github.com/specrun/specrun/spec"
)

// Invoker is what the runner needs of the API client; *client.Client
// implements it. Implementations must be safe for concurrent use.
type Invoker interface {
	Invoke(ctx context.Context, inv client.Invocation) (*client.Response, error)
	Activation(ctx context.Context, pkg, action, platform, activationID string) (*client.Response, error)
}

// Options configures Run. The zero value runs every test, 8 at a time, with
// the real clock.
type Options struct {
	// Selection chooses the tests; the zero value selects all.
	Selection Selection
	// Parallel is the number of tests in flight at once; zero means 8.
	Parallel int
	// FailFast stops starting tests after the first test, suite setup or
	// suite teardown that fails or errors; the tests not started are
	// reported as skipped.
	FailFast bool
	// Platform is used for steps whose spec gives none; empty sends no
	// platform parameter.
	Platform string
	// Verbose keeps the exchange of every attempt, not only of failed ones.
	Verbose bool
	// Secrets are values replaced by "***" in everything the result holds
	// (the secret key must be among them). Empty strings are ignored.
	// AccessKey, when set, is shortened wherever it appears.
	Secrets []string
	// AccessKey and CredentialSource name the credentials in messages about
	// authentication failures (the key is shortened, never the secret).
	AccessKey        string
	CredentialSource string
	// Info is copied into Result.Info.
	Info RunInfo
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand returns a number in [0,1) for jitter; nil means math/rand/v2.
	Rand func() float64
	// PollDelay is the first wait before polling an activation that
	// outlived its call; it grows by half each poll up to MaxPollDelay.
	// Zero means 500ms and 5s.
	PollDelay    time.Duration
	MaxPollDelay time.Duration
	// TeardownGrace bounds teardown after an interrupt; zero means 30s.
	TeardownGrace time.Duration
	// ReleaseSteps lets Run drop what a finished test's steps no longer
	// need: once a test is final, before its TestFinished event, each of
	// its steps drops all but its Pos, Index, Name, timeout and retry
	// (spec.Step.Release), which is what reports read. The compiled
	// invocations of a large run's finished tests (templates, params,
	// checks: most of a loaded test) can then be collected while the run
	// goes on. Set it only when the project is neither run nor read again
	// after Run; setup and teardown steps are kept.
	ReleaseSteps bool
}

// PhaseDeadline bounds a suite's setup steps, and its teardown steps, as a
// test's deadline bounds the test.
const PhaseDeadline = 2 * time.Minute

func (o *Options) defaults() {
	if o.Parallel <= 0 {
		o.Parallel = 8
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.PollDelay <= 0 {
		o.PollDelay = 500 * time.Millisecond
	}
	if o.MaxPollDelay <= 0 {
		o.MaxPollDelay = 5 * time.Second
	}
	if o.TeardownGrace <= 0 {
		o.TeardownGrace = 30 * time.Second
	}
}

// engine is the state of one Run.
type engine struct {
	opts   Options
	inv    Invoker
	redact *redact.Redactor
	events chan Event
	// secretNames are the --secret names: their captures are redacted.
	secretNames map[string]bool
	// stop is set by --fail-fast once a test failed or errored.
	stop atomic.Bool
}

// Run runs the tests of p that opts selects and returns the result, with
// suites and tests in input order. It sends events to h (which may be nil)
// from one goroutine and returns only after the last event was handled.
//
// Cancelling ctx interrupts the run: no test starts, tests in flight are
// cancelled and reported as Interrupted when their request was sent (the
// action may have run) or skipped ("interrupted") when not, teardowns still
// run (bounded by Options.TeardownGrace), and Result.Interrupted is set.
func Run(ctx context.Context, p *spec.Project, inv Invoker, opts Options, h Handler) *Result {
	opts.defaults()
	e := &engine{
		opts:   opts,
		inv:    inv,
		redact: redact.New(opts.Secrets, accessKeyAlias(opts.AccessKey)...),
		events: make(chan Event, 64),
	}
	if len(p.SecretNames) > 0 {
		e.secretNames = make(map[string]bool, len(p.SecretNames))
		for _, n := range p.SecretNames {
			e.secretNames[n] = true
		}
	}
	res := &Result{Info: opts.Info, Start: opts.Now()}
	selected := opts.Selection.Select(p)
	res.Suites = skeleton(selected)

	// Without a handler nothing listens: events are not even made.
	var handled sync.WaitGroup
	if h == nil {
		e.events = nil
	} else {
		handled.Add(1)
		go func() {
			defer handled.Done()
			e.deliver(h, len(selected))
		}()
	}

	e.emit(Event{Kind: RunStarted})
	e.dispatch(ctx, res.Suites)
	res.Duration = opts.Now().Sub(res.Start)
	res.Interrupted = ctx.Err() != nil
	e.emit(Event{Kind: RunFinished, Result: res})
	if e.events != nil {
		close(e.events)
	}
	handled.Wait()
	return res
}

// deliver is the one owner of the handler: it numbers finished tests and
// calls h in the order events happened.
func (e *engine) deliver(h Handler, total int) {
	done := 0
	for ev := range e.events {
		if ev.Kind == TestFinished {
			done++
		}
		ev.Done, ev.Total = done, total
		h.Event(ev)
	}
}

// emit queues ev for the handler; a no-op when Run was given none.
func (e *engine) emit(ev Event) {
	if e.events != nil {
		e.events <- ev
	}
}

// skeleton builds the result tree of the selected tests, in input order.
func skeleton(tests []*spec.Test) []*SuiteResult {
	var suites []*SuiteResult
	var cur *SuiteResult
	for _, t := range tests {
		if cur == nil || cur.Suite != t.Suite {
			cur = &SuiteResult{Suite: t.Suite}
			suites = append(suites, cur)
		}
		cur.Tests = append(cur.Tests, &TestResult{Test: t})
	}
	return suites
}

// suiteRun is the state of one suite during a run.
type suiteRun struct {
	sr *SuiteResult
	// started records the suite's start when its first test is taken.
	started sync.Once
	// setup runs the suite's setup once, on the worker of the suite's first
	// runnable test; workers of its other tests wait in it until it is
	// done. shared and setupFailed are written inside it.
	setup       sync.Once
	shared      map[string]any
	setupFailed string
	// ran is set once setup or a test was started: teardown is then owed.
	ran atomic.Bool
	// remaining counts the suite's tests not yet final; the worker that
	// brings it to zero runs the teardown.
	remaining atomic.Int64
}

// job is one test and its suite.
type job struct {
	r  *suiteRun
	tr *TestResult
}

// dispatch runs every test on Options.Parallel workers. Workers take tests
// in input order from one cursor, so tests start in the order they are
// written and a run at --parallel 1 is fully ordered; each worker runs its
// tests one after another, as a bare loop of requests would, with no
// hand-off between goroutines per test. A suite's setup runs on the worker
// of its first runnable test (the others of the suite wait for it); the
// worker that finishes a suite's last test runs the suite's teardown.
func (e *engine) dispatch(ctx context.Context, suites []*SuiteResult) {
	var jobs []job
	for _, sr := range suites {
		r := &suiteRun{sr: sr}
		r.remaining.Store(int64(len(sr.Tests)))
		for _, tr := range sr.Tests {
			jobs = append(jobs, job{r: r, tr: tr})
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(e.opts.Parallel, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(len(jobs)) {
					return
				}
				e.do(ctx, jobs[i])
			}
		}()
	}
	wg.Wait()
}

// do runs or skips one test, with its suite's setup first and, when it is
// the suite's last, the teardown after.
func (e *engine) do(ctx context.Context, j job) {
	r, sr, tr := j.r, j.r.sr, j.tr
	r.started.Do(func() { sr.Start = e.opts.Now() })
	defer func() {
		if r.remaining.Add(-1) == 0 {
			e.finishSuite(ctx, r)
		}
	}()
	if reason := e.notStarting(ctx, tr); reason != "" {
		e.skip(sr, tr, reason)
		return
	}
	r.setup.Do(func() { e.runSetup(ctx, r) })
	switch {
	case r.setupFailed != "":
		e.skip(sr, tr, r.setupFailed)
	case ctx.Err() != nil:
		e.skip(sr, tr, ReasonInterrupted)
	default:
		r.ran.Store(true)
		e.runTest(ctx, sr, tr, r.shared)
	}
}

// notStarting says why a test must not start, or "".
func (e *engine) notStarting(ctx context.Context, tr *TestResult) string {
	switch {
	case tr.Test.Skip != "":
		return tr.Test.Skip
	case ctx.Err() != nil:
		return ReasonInterrupted
	case e.stop.Load():
		return "not run: --fail-fast stopped the run after a failure"
	}
	return ""
}

// runSetup runs the suite's setup steps, if any, and records whether they
// passed and what they captured.
func (e *engine) runSetup(ctx context.Context, r *suiteRun) {
	s := r.sr.Suite
	if len(s.Setup) == 0 {
		return
	}
	r.ran.Store(true)
	r.sr.Setup, r.shared = e.runPhase(ctx, r.sr, s.Setup, nil)
	for _, st := range r.sr.Setup {
		if st.Status != Pass {
			r.setupFailed = "setup failed: " + stepReason(st)
			break
		}
	}
	if ctx.Err() != nil {
		r.setupFailed = ReasonInterrupted
	}
	st, _ := Phase(r.sr.Setup)
	r.sr.SetupVerdict = NewVerdict(st, r.sr.Setup, "")
	e.failFast(st)
	e.emit(Event{Kind: SetupFinished, Suite: r.sr})
}

// finishSuite runs the teardown, when one is owed, once the suite's tests
// are final, and settles the suite's status. After an interrupt the
// teardown still runs, bounded by Options.TeardownGrace.
func (e *engine) finishSuite(ctx context.Context, r *suiteRun) {
	sr := r.sr
	defer func() { sr.Duration = e.opts.Now().Sub(sr.Start) }()
	if st, _ := Phase(sr.Setup); st.Failed() {
		sr.Status = Error
	}
	for _, tr := range sr.Tests {
		sr.Status = sr.Status.Merge(tr.Status)
	}
	if len(sr.Suite.Teardown) == 0 || !r.ran.Load() {
		return
	}
	tctx := ctx
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		tctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), e.opts.TeardownGrace)
		defer cancel()
	}
	sr.Teardown, _ = e.runPhase(tctx, sr, sr.Suite.Teardown, r.shared)
	st, _ := Phase(sr.Teardown)
	sr.TeardownVerdict = NewVerdict(st, sr.Teardown, "")
	e.failFast(st)
	e.emit(Event{Kind: TeardownFinished, Suite: sr})
	if st.Failed() {
		sr.Status = Error
	}
}

// runPhase runs setup or teardown steps in order, stopping at the first that
// does not pass, and returns their results and the variables they captured.
func (e *engine) runPhase(ctx context.Context, sr *SuiteResult, steps []*spec.Step, vars map[string]any) ([]*StepResult, map[string]any) {
	ctx, cancel := context.WithTimeout(ctx, PhaseDeadline)
	defer cancel()
	results, vars, _ := e.runSteps(ctx, PhaseDeadline, sr, nil, steps, vars, e.opts.Now())
	return results, vars
}

// runSteps runs the steps of a test (tr) or of a setup or teardown (tr nil)
// in order from start, each when the one before it ended; every step after
// the first that does not pass is skipped. It returns their results, vars
// with their captures added, and when the last step run ended.
func (e *engine) runSteps(ctx context.Context, deadline time.Duration, sr *SuiteResult, tr *TestResult, steps []*spec.Step, vars map[string]any, start time.Time) ([]*StepResult, map[string]any, time.Time) {
	results := make([]*StepResult, len(steps))
	if tr != nil {
		tr.Steps = results
	}
	end := start
	failed := false
	for i, st := range steps {
		r := &StepResult{Step: st}
		results[i] = r
		if failed {
			r.Status, r.Reason = Skip, ReasonEarlierStep
			continue
		}
		vars = e.runStep(ctx, deadline, sr, tr, r, vars, end)
		end = r.Start.Add(r.Duration)
		failed = r.Status != Pass
	}
	return results, vars, end
}

func (e *engine) skip(sr *SuiteResult, tr *TestResult, reason string) {
	tr.Status, tr.Reason = Skip, reason
	tr.Start = e.opts.Now()
	tr.decide()
	if e.opts.ReleaseSteps {
		release(tr)
	}
	e.emit(Event{Kind: TestFinished, Suite: sr, Test: tr})
}

// release drops what the steps of a finished test held for running them
// (spec.Step.Release, Options.ReleaseSteps): the steps stay where the
// project and the result point, with what reports read of them. Only the
// test's own worker reads the dropped fields, and only before its
// TestFinished event.
func release(tr *TestResult) {
	for _, st := range tr.Test.Steps {
		st.Release()
	}
}

func (e *engine) runTest(runCtx context.Context, sr *SuiteResult, tr *TestResult, shared map[string]any) {
	t := tr.Test
	tr.Start = e.opts.Now()
	e.emit(Event{Kind: TestStarted, Suite: sr, Test: tr})
	ctx, cancel := context.WithTimeout(runCtx, t.Deadline)
	defer cancel()

	// Each step starts when the one before it ended, and the test ends
	// with its last step run: the clock is read once per attempt, not at
	// every level (a read is about 50 ns on a virtual machine).
	_, _, end := e.runSteps(ctx, t.Deadline, sr, tr, t.Steps, shared, tr.Start)
	tr.Status, _ = Phase(tr.Steps)
	tr.Duration = end.Sub(tr.Start)
	if runCtx.Err() != nil && tr.Status != Pass && tr.Status != Fail {
		// Interrupted: once a request was sent the action may have run,
		// and that is no skip.
		tr.Status, tr.Reason = Skip, ReasonInterrupted
		if sent(tr.Steps) {
			tr.Status, tr.Reason = Interrupted, ReasonMayHaveRun
		}
	} else if tr.Status == Error {
		if dr, _ := tr.Decisive(); dr != nil {
			tr.Reason = dr.Reason
		}
	}
	e.failFast(tr.Status)
	tr.decide()
	if e.opts.ReleaseSteps {
		release(tr)
	}
	e.emit(Event{Kind: TestFinished, Suite: sr, Test: tr})
}

// failFast stops the starting of new tests, under --fail-fast, once a
// test, a setup or a teardown ended with st failed: a failed setup or
// teardown is a failure of the run as a test's is (an errored result in
// every count).
func (e *engine) failFast(st Status) {
	if e.opts.FailFast && st.Failed() {
		e.stop.Store(true)
	}
}

// runStep runs a step's attempts until one passes, the attempts run out or
// ctx ends, and returns vars with the step's captures added. The step
// starts at start and ends with its last attempt.
func (e *engine) runStep(ctx context.Context, deadline time.Duration, sr *SuiteResult, tr *TestResult, r *StepResult, vars map[string]any, start time.Time) map[string]any {
	st := r.Step
	r.Start = start
	defer func() {
		if n := len(r.Attempts); n > 0 {
			last := r.Attempts[n-1]
			r.Duration = last.Start.Add(last.Duration).Sub(r.Start)
		}
	}()

	attempts := 1
	var delay time.Duration
	if st.Retry != nil {
		attempts, delay = st.Retry.Attempts, st.Retry.Delay
	}
	var captured map[string]any
	at := start
	for i := 0; i < attempts; i++ {
		if i > 0 {
			at = e.opts.Now() // after the delay between attempts
		}
		a, caps := e.attempt(ctx, deadline, st, vars, at)
		r.Attempts = append(r.Attempts, a)
		if i > 0 && e.capturesSecret(st) {
			e.rehide(r)
		}
		r.Status, r.Reason = a.Status, a.Err
		if e.events != nil { // the snapshot is for a handler: none, no copy
			e.emit(attemptFinished(sr, tr, r))
		}
		if a.Status == Pass {
			captured = caps
			break
		}
		if e.stopRetrying(ctx, deadline, r, a, i == attempts-1) {
			break
		}
		if !sleep(ctx, e.jitter(delay)) {
			e.cutShort(ctx, deadline, r)
			break
		}
		delay = nextDelay(delay, st.Retry)
	}
	if len(captured) == 0 {
		return vars
	}
	next := make(map[string]any, len(vars)+len(captured))
	for k, v := range vars {
		next[k] = v
	}
	for k, v := range captured {
		next[k] = v
	}
	return next
}

// attemptFinished is the event of r's last attempt. Its Step and Test are
// copies of r and tr as they stand, which the engine does not write again:
// the handler may read them while the step goes on.
func attemptFinished(sr *SuiteResult, tr *TestResult, r *StepResult) Event {
	step := *r
	step.Attempts = slices.Clone(r.Attempts)
	a := step.Attempts[len(step.Attempts)-1]
	step.Duration = a.Start.Add(a.Duration).Sub(step.Start)
	ev := Event{Kind: AttemptFinished, Suite: sr, Step: &step, Attempt: a, AttemptNum: len(step.Attempts)}
	if tr != nil {
		test := *tr
		test.Steps = nil
		for _, s := range tr.Steps {
			if s == r {
				test.Steps = append(test.Steps, &step)
				break
			}
			test.Steps = append(test.Steps, s)
		}
		ev.Test = &test
	}
	return ev
}

// stopRetrying says whether the step must not be attempted again after a
// that did not pass: its attempts ran out (last), the test's deadline or an
// interrupt ended the loop, or a may have run the action and the step's
// retry does not say the action is idempotent.
func (e *engine) stopRetrying(ctx context.Context, deadline time.Duration, r *StepResult, a *Attempt, last bool) bool {
	switch {
	case ctx.Err() != nil:
		if !last {
			e.cutShort(ctx, deadline, r)
		}
		return true
	case last:
		return true
	case a.Status == Error && a.MayHaveRun && !r.Step.Retry.Idempotent:
		return true
	}
	return false
}

// cutShort settles a step whose retry loop ctx ended before its attempts
// ran out. One rule, whatever the moment the deadline came (during an
// attempt or between two): the step is Error, with the attempts made kept.
// An interrupt makes it Interrupted.
func (e *engine) cutShort(ctx context.Context, deadline time.Duration, r *StepResult) {
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		r.Status, r.Reason = Interrupted, ReasonInterrupted
		return
	}
	reason := "deadline of " + deadline.String() + " reached after " + words.Plural(len(r.Attempts), "attempt")
	if n := len(r.Attempts); n > 0 {
		last := r.Attempts[n-1]
		switch {
		case last.Err != "":
			reason += "; the last: " + last.Err
		case len(last.Failures) > 0:
			reason += "; the last failed: " + last.Failures[0].Summary()
		}
	}
	r.Status, r.Reason = Error, reason
}

func nextDelay(d time.Duration, r *spec.Retry) time.Duration {
	if r.Backoff > 1 {
		d = time.Duration(float64(d) * r.Backoff)
	}
	if r.MaxDelay > 0 && d > r.MaxDelay {
		d = r.MaxDelay
	}
	return d
}

// jitter spreads d over [0.5d, 1.5d) so that retries of many tests do not
// arrive in step.
func (e *engine) jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(float64(d) * (0.5 + e.opts.Rand()))
}

// sleep waits d or until ctx ends; it reports whether the full wait passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// sent reports whether any attempt of steps sent its request.
func sent(steps []*StepResult) bool {
	for _, s := range steps {
		for _, a := range s.Attempts {
			if a.HTTPStatus != 0 || a.MayHaveRun {
				return true
			}
		}
	}
	return false
}

func stepReason(st *StepResult) string {
	name := st.Step.Name
	if st.Reason != "" {
		return name + ": " + st.Reason
	}
	if n := len(st.Attempts); n > 0 {
		if fs := st.Attempts[n-1].Failures; len(fs) > 0 {
			return name + ": " + fs[0].Summary()
		}
	}
	return name + ": " + st.Status.String()
}
