package runner

// EventKind says what happened.
type EventKind uint8

const (
	// RunStarted: Total tests are selected (Suite, Test, Step are nil).
	RunStarted EventKind = iota
	// TestStarted: Test began (Suite is its suite).
	TestStarted
	// AttemptFinished: one attempt of Step of Test (nil Test for setup and
	// teardown steps) finished; Attempt holds it and AttemptNum its number.
	// Sent for every attempt, so --verbose output can print each exchange as
	// it happens. Step and Test are snapshots taken when the attempt
	// finished, which the engine never writes again: Step as of this
	// attempt (its Attempts up to Attempt, its Status and Reason
	// Attempt's), Test with its Steps up to Step (the earlier ones final)
	// and its Status not yet decided. They are not the pointers of the
	// final Result: read the outcome from TestFinished.
	AttemptFinished
	// TestFinished: Test is final (Pass, Fail, Error, or Skip).
	TestFinished
	// SetupFinished and TeardownFinished: the suite's setup or teardown
	// steps are final (Suite.Setup or Suite.Teardown is filled).
	SetupFinished
	TeardownFinished
	// RunFinished: Result is final; no event follows.
	RunFinished
)

// Event is one thing that happened during a run. Suite is set for every
// kind but RunStarted and RunFinished; Test for TestStarted, TestFinished
// and the AttemptFinished of a test's step; Step and Attempt for
// AttemptFinished. Events are delivered to the
// Handler from a single goroutine, one at a time, in the order they happened;
// the pointers stay valid after the call, but a TestResult is only final
// from its TestFinished event on.
type Event struct {
	Kind    EventKind
	Suite   *SuiteResult
	Test    *TestResult
	Step    *StepResult
	Attempt *Attempt
	// AttemptNum is the 1-based number of Attempt within its step, on
	// AttemptFinished.
	AttemptNum int
	// Done and Total count finished and selected tests, for progress.
	Done, Total int
	// Result is set on RunFinished.
	Result *Result
}

// Handler receives events (the console reporter is one). Run never calls a
// Handler concurrently with itself, so a Handler needs no locking; it should
// return quickly, since the run's event queue waits for it.
type Handler interface {
	Event(Event)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(Event)

// Event calls f(e).
func (f HandlerFunc) Event(e Event) { f(e) }
