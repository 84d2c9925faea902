// Package runner is specrun's engine and its result model.
//
// Run takes a loaded spec.Project, selects tests (Selection: --run, --tags,
// --shard), and runs them on Options.Parallel workers, which take the tests
// in input order. Steps of a test run in order; a suite's setup runs before its tests
// (its captures become variables of every test of the suite) and its teardown
// after them, also after failures and interrupts. For each step the runner
// substitutes captures, invokes the action, polls the activation when the
// action outlived the call's timeout (tolerating 404/80322 until the test's
// deadline), checks the expectations, takes the captures, and retries when the
// step asks to.
//
// Every outcome is a Status: Pass, Fail (an expectation is false), Error (it
// could not be evaluated: transport, authentication, a body that is not JSON,
// the deadline) or Skip. Statuses merge, the worst winning, from attempts to
// steps, tests, suites and the run.
//
// One goroutine delivers events to the Handler (the console reporter) in the
// order things happened, while the Result lists suites and tests in input
// order. Results keep what reports need: the exchange (request and response)
// only of failed and errored attempts, or of all with Options.Verbose, and
// every text redacted of Options.Secrets.
package runner
