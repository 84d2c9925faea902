package runner

import (
	"time"

	"github.com/specrun/specrun/spec"
)

// Status is the outcome of an attempt, a step, a test or a suite. Statuses
// are ordered from best to worst so that Merge keeps the worst; the zero
// value is Skip, so a result that was never run never reads as passed.
type Status uint8

const (
	// Skip: not run (`skip`, --fail-fast, a failed setup, an interrupt, an
	// earlier step that failed).
	Skip Status = iota
	// Pass: every expectation held.
	Pass
	// Fail: an expectation was false.
	Fail
	// Error: an expectation could not be evaluated (transport, auth, a body
	// that is not JSON, the deadline).
	Error
	// Interrupted: the run was interrupted after the test's request was
	// sent, so the action may have run but the test has no verdict. A run
	// that was interrupted is Interrupted as a whole.
	Interrupted
)

// String returns "skip", "pass", "fail", "error" or "interrupted".
func (s Status) String() string {
	switch s {
	case Skip:
		return "skip"
	case Pass:
		return "pass"
	case Fail:
		return "fail"
	case Error:
		return "error"
	case Interrupted:
		return "interrupted"
	}
	return "unknown"
}

// Merge returns the worse of s and o.
func (s Status) Merge(o Status) Status {
	if o > s {
		return o
	}
	return s
}

// Failed reports whether s is Fail, Error or Interrupted: an outcome that
// fails the run.
func (s Status) Failed() bool { return s == Fail || s == Error || s == Interrupted }

// FixtureStatus is the result a suite's setup or teardown whose steps
// ended with st (Phase) counts as, in every report: Error when it failed
// or errored (the suite's fixture, not a test's expectation, went wrong),
// Interrupted when an interrupt stopped it, else st (Pass or Skip, which
// are no result).
func FixtureStatus(st Status) Status {
	if st == Fail {
		return Error
	}
	return st
}

// Phase sums up a suite's setup or teardown steps: the worst of their
// statuses (Skip when there are none) and their total duration. Nil steps
// are ignored.
func Phase(steps []*StepResult) (Status, time.Duration) {
	st, d := Skip, time.Duration(0)
	for _, s := range steps {
		if s != nil {
			st = st.Merge(s.Status)
			d += s.Duration
		}
	}
	return st, d
}

// RunInfo describes the run as a whole, for report headers.
type RunInfo struct {
	// Version is specrun's version.
	Version string
	// Endpoint is the API base URL the run used ("local" runs show the
	// emulator's URL).
	Endpoint string
	// Local is true when the run used the built-in emulator.
	Local bool
	// Parallel is --parallel.
	Parallel int
	// Shard is "K/N" when --shard was given, else empty.
	Shard string
	// Hostname is the machine the run ran on, for reports (empty when
	// unknown).
	Hostname string
	// Run and Tags are the --run and --tags selections, else empty.
	Run  string
	Tags string
}

// Result is a whole run: suites and tests in input order, whatever the
// completion order. A Result is built by Run and must not be modified while
// Run is in progress; afterwards it is read-only.
//
// A Result built by Run, or by jsonreport's Report.Result, keeps a promise
// that reporters rely on instead of checking: no element of Suites, Tests,
// Setup, Teardown, Steps, Attempts, Failures or Exchanges is nil; every
// SuiteResult's Suite, TestResult's Test (and its Suite) and StepResult's
// Step is set; every verdict is decided (Decide, for a Result built by
// hand). The pointers that may be nil say so where they are documented
// (Verdict.Step and Verdict.Attempt; Event's fields by kind).
type Result struct {
	Info     RunInfo
	Start    time.Time
	Duration time.Duration
	// Interrupted is true when the run was stopped by a signal or a
	// cancelled context (Status is then Interrupted). Tests whose request
	// had been sent are Interrupted with Reason ReasonMayHaveRun; tests that
	// had sent nothing are Skip with Reason ReasonInterrupted.
	Interrupted bool
	Suites      []*SuiteResult
}

// Decide computes every verdict of r from its statuses, steps and reasons:
// what Run does as each test and phase ends, for a Result built otherwise
// (rebuilt from a report, or by hand in a test).
func (r *Result) Decide() {
	for _, s := range r.Suites {
		s.decide()
	}
}

func (s *SuiteResult) decide() {
	st, _ := Phase(s.Setup)
	s.SetupVerdict = NewVerdict(st, s.Setup, "")
	st, _ = Phase(s.Teardown)
	s.TeardownVerdict = NewVerdict(st, s.Teardown, "")
	for _, t := range s.Tests {
		t.decide()
	}
}

func (t *TestResult) decide() { t.Verdict = NewVerdict(t.Status, t.Steps, t.Reason) }

// ReasonInterrupted is the Reason of tests that an interrupt kept from
// starting, or from sending their request (Skip).
const ReasonInterrupted = "interrupted"

// ReasonMayHaveRun is the Reason of tests that an interrupt stopped after
// their request was sent (Interrupted).
const ReasonMayHaveRun = "interrupted after the request was sent: the action may have run"

// ReasonEarlierStep is the Reason of the steps skipped after one that did
// not pass.
const ReasonEarlierStep = "not run: an earlier step did not pass"

// Counts tallies a run's results by status: every selected test, and one
// result for each suite setup or teardown that failed, errored or was
// interrupted. A setup or teardown that failed or errored is Errored (the
// suite's fixture, not a test's expectation, went wrong) and also counted
// in Fixtures; one that an interrupt stopped is Interrupted, as a test
// whose request was sent, and also counted in InterruptedFixtures. Every
// reporter uses this one model: the console's totals, the JSON counts, the
// TAP plan and the JUnit testcases agree.
type Counts struct {
	Total, Passed, Failed, Errored, Skipped, Interrupted int
	// Fixtures is how many of Errored are failed setups and teardowns.
	Fixtures int
	// InterruptedFixtures is how many of Interrupted are setups and
	// teardowns stopped by an interrupt.
	InterruptedFixtures int
}

// Tests is how many of Total are tests, not setups or teardowns.
func (c Counts) Tests() int { return c.Total - c.Fixtures - c.InterruptedFixtures }

// Counts tallies the tests of every suite by status, with their failed
// setups and teardowns.
func (r *Result) Counts() Counts {
	var c Counts
	for _, s := range r.Suites {
		c.add(s.Counts())
	}
	return c
}

func (c *Counts) add(o Counts) {
	c.Total += o.Total
	c.Passed += o.Passed
	c.Failed += o.Failed
	c.Errored += o.Errored
	c.Skipped += o.Skipped
	c.Interrupted += o.Interrupted
	c.Fixtures += o.Fixtures
	c.InterruptedFixtures += o.InterruptedFixtures
}

// Status merges the statuses of all suites (Skip when nothing ran), and is
// Interrupted whenever the run was.
func (r *Result) Status() Status {
	if r.Interrupted {
		return Interrupted
	}
	st := Skip
	for _, s := range r.Suites {
		st = st.Merge(s.Status)
	}
	return st
}

// SuiteResult is one suite's outcome.
type SuiteResult struct {
	Suite *spec.Suite
	// Status merges the tests' statuses, and Error when setup or teardown
	// errored or failed.
	Status   Status
	Start    time.Time
	Duration time.Duration
	// Setup and Teardown hold the results of the suite's setup and teardown
	// steps (nil when the suite has none, or none was run).
	Setup    []*StepResult
	Teardown []*StepResult
	// SetupVerdict and TeardownVerdict say what decided a failed setup or
	// teardown (zero when it did not fail); final from SetupFinished and
	// TeardownFinished on.
	SetupVerdict, TeardownVerdict Verdict
	// Tests holds the selected tests only, in input order.
	Tests []*TestResult
}

// Counts tallies the suite's tests by status, and its setup and teardown
// when they failed, errored or were interrupted (see Counts).
func (s *SuiteResult) Counts() Counts {
	var c Counts
	for _, steps := range [][]*StepResult{s.Setup, s.Teardown} {
		st, _ := Phase(steps)
		switch FixtureStatus(st) {
		case Interrupted:
			c.Total++
			c.Interrupted++
			c.InterruptedFixtures++
		case Error:
			c.Total++
			c.Errored++
			c.Fixtures++
		}
	}
	for _, t := range s.Tests {
		c.Total++
		switch t.Status {
		case Pass:
			c.Passed++
		case Fail:
			c.Failed++
		case Error:
			c.Errored++
		case Interrupted:
			c.Interrupted++
		default:
			c.Skipped++
		}
	}
	return c
}

// TestResult is one test's outcome.
type TestResult struct {
	Test   *spec.Test
	Status Status
	// Reason says why a test was skipped ("skip" reason, "--fail-fast",
	// "setup failed: ...", ReasonInterrupted) or, for Error, what could not
	// be evaluated. Empty for Pass and Fail.
	Reason   string
	Start    time.Time
	Duration time.Duration
	// Steps holds one result per step of the test, in order; steps after a
	// failed one are Skip with a Reason.
	Steps []*StepResult
	// Verdict says what decided a Fail, Error or Interrupted test (zero
	// otherwise); final from TestFinished on.
	Verdict Verdict
}

// Attempts counts the attempts of all steps (1 for a single-step test that
// passed at once).
func (t *TestResult) Attempts() int {
	n := 0
	for _, s := range t.Steps {
		n += len(s.Attempts)
	}
	return n
}

// Retried reports whether any step took more than one attempt.
func (t *TestResult) Retried() bool {
	for _, s := range t.Steps {
		if len(s.Attempts) > 1 {
			return true
		}
	}
	return false
}

// ActivationIDs lists the activation ids of every attempt, in order,
// without empties.
func (t *TestResult) ActivationIDs() []string {
	var ids []string
	for _, s := range t.Steps {
		for _, a := range s.Attempts {
			if a.ActivationID != "" {
				ids = append(ids, a.ActivationID)
			}
		}
	}
	return ids
}

// Decisive returns the step and attempt that decided a Fail or Error (the
// last attempt of the first step that did not pass), or nils.
func (t *TestResult) Decisive() (*StepResult, *Attempt) { return decisive(t.Steps) }

// decisive returns the first of steps that failed or errored and its last
// attempt (nil when it made none), or nils; nil steps are ignored. For a
// test's steps, a setup's or a teardown's.
func decisive(steps []*StepResult) (*StepResult, *Attempt) {
	for _, s := range steps {
		if s != nil && s.Status.Failed() {
			if n := len(s.Attempts); n > 0 {
				return s, s.Attempts[n-1]
			}
			return s, nil
		}
	}
	return nil, nil
}

// StepResult is one step's outcome.
type StepResult struct {
	Step   *spec.Step
	Status Status
	// Reason is set for Skip and Error, as for TestResult.
	Reason   string
	Start    time.Time
	Duration time.Duration
	// Attempts holds every attempt, in order (several only with `retry`).
	Attempts []*Attempt
}

// Attempt is one invocation of a step and what was found of its response.
type Attempt struct {
	Status   Status
	Start    time.Time
	Duration time.Duration
	// Package, Action and Platform are what was invoked, after variable
	// substitution.
	Package, Action, Platform string
	// HTTPStatus is the status of the run-action call (0 when none came).
	HTTPStatus int
	// ActivationID is the activation's id, when the API gave one.
	ActivationID string
	// Polls counts activation-detail calls made because the action outlived
	// its wait.
	Polls int
	// Failures lists every expectation that was false (Status Fail).
	Failures []*Failure
	// Err says what could not be evaluated (Status Error), and Hint what to
	// do about it (may be empty).
	Err  string
	Hint string
	// MayHaveRun is true when the attempt ended without the API's answer
	// after its request was sent (a broken connection, a proxy's 5xx, an
	// interrupt): the action may have run. Such an attempt is not made
	// again unless the step's retry says the action is idempotent.
	MayHaveRun bool
	// Tries lists every transport attempt of the attempt's calls when there
	// was more than one, or when the last answer came from the transport
	// (429s that ran out, a proxy's 5xx, no answer at all); nil when each
	// call was answered by the API at its first try.
	Tries []Try
	// Exchanges are the redacted requests and responses of the attempt, in
	// order: the run-action call (each transport try), then every poll of
	// the activation. Kept for failed and errored attempts, and for all
	// attempts with --verbose; nil otherwise.
	Exchanges []*Exchange
}

// Try is one transport attempt of a call: when it was made, what came back
// and why it was, or was not, sent again.
type Try struct {
	// Method is POST for the run-action call, GET for a poll.
	Method string
	Start  time.Time
	// HTTPStatus is the answer's status; 0 when none came.
	HTTPStatus int
	// Answer says what came back ("HTTP 429 errorCode 420 Rate Limited"),
	// or why nothing did.
	Answer string
	// Resent is true when the call was sent again after this try.
	Resent bool
	// Why says why it was sent again, or why not (empty for an answer of
	// the API itself).
	Why string
}

// LastExchange returns the attempt's last exchange, or nil.
func (a *Attempt) LastExchange() *Exchange {
	if n := len(a.Exchanges); n > 0 {
		return a.Exchanges[n-1]
	}
	return nil
}

// RunExchange returns the last exchange of the attempt's run-action call
// (its answer, before any poll), or nil.
func (a *Attempt) RunExchange() *Exchange {
	var last *Exchange
	for _, x := range a.Exchanges {
		if x != nil && !x.Poll {
			last = x
		}
	}
	return last
}

// Sends counts the transport attempts of the attempt's run-action call (1
// when it was answered at its first try, 0 when none was made).
func (a *Attempt) Sends() int {
	n := 0
	for _, t := range a.Tries {
		if t.Method == "POST" {
			n++
		}
	}
	if n == 0 && (a.HTTPStatus != 0 || a.MayHaveRun) {
		n = 1
	}
	return n
}

// Failure is one expectation that did not hold. All text is redacted.
type Failure struct {
	// Pos is where the expectation is written in the spec.
	Pos spec.Pos
	// Key is the spec key it came from: http_status, success, status,
	// result, error, duration or assert.
	Key string
	// Path is the JSONPath as written (empty for http_status); Op the
	// operator (equals, subset, ...).
	Path string
	Op   string
	// Expected and Actual are compact JSON text, truncated when huge.
	Expected string
	Actual   string
	// Node is the normalized path of the failing node; Pointer the JSON
	// pointer of the first difference within it; Diff a compact diff.
	Node    string
	Pointer string
	Diff    string
	// Reason says in words why it failed; Message is the spec's `message`.
	Reason  string
	Message string
}

// Summary is a one-line description: "PATH OP EXPECTED: REASON (got ACTUAL)".
func (f *Failure) Summary() string {
	s := f.Key
	if f.Path != "" {
		s = f.Path
	}
	s += " " + f.Op + " " + f.Expected
	if f.Reason != "" {
		s += ": " + f.Reason
	}
	if f.Actual != "" {
		s += " (got " + f.Actual + ")"
	}
	if f.Message != "" {
		s = f.Message + ": " + s
	}
	return s
}

// Exchange is one HTTP request and its response as text, with credentials,
// signatures and secrets already replaced by "***".
type Exchange struct {
	// Start is when the request was sent (zero when unknown).
	Start time.Time
	// Request is "METHOD URL", the headers, a blank line and the body.
	Request string
	// Response is "HTTP STATUS", the headers, a blank line and the body
	// (truncated when huge). Empty when no response came.
	Response string
	// Poll is true for an activation-detail call made because the action
	// outlived its wait, false for the run-action call.
	Poll bool
	// Note says what the transport did with this answer ("... sent again
	// after 150ms"), or why no answer came; empty for a plain answer.
	Note string
}
