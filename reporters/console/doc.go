// Package console is specrun's streaming reporter: it prints one line per
// test as the test finishes, the details of every failure and error below
// its line, and a summary when the run ends.
//
// A Reporter is a runner.Handler. The runner delivers events from a single
// goroutine, so a Reporter does no locking and is not safe for concurrent
// use. Everything it prints comes from the events (durations included), so
// the same event sequence always gives the same bytes.
//
// Output shape (without colour):
//
//	✓ hello › greets by name (120ms)
//	✗ hello › answers in Korean (250ms)
//	    specs/hello.yaml:9: $.greeting equals: values differ
//	      message:  the greeting must be in Korean
//	      expected: "안녕하세요"
//	      actual:   "hello"
//	    activation a1b2c3d4 — find its logs in the NCP console
//	- hello › not yet (skipped: the action is not deployed yet)
//
//	Failed and errored:
//	  ✗ hello › answers in Korean (specs/hello.yaml:4)
//	Slowest tests:
//	  250ms  hello › answers in Korean
//	  120ms  hello › greets by name
//	Ran 3 tests in 1.52s
//	1 passed, 1 failed, 1 skipped
//
// The summary lists failed and errored tests (and failed setups and
// teardowns) with their FILE:LINE, the slowest tests, and a line with the
// number of tests and the run's wall time, followed by ", N setup failed",
// ", N teardown failed" (an interrupted setup or teardown, marked "~", is
// counted with the interrupted results instead) and ", interrupted: N tests did not finish" when
// they apply. The last line always starts "N passed, N failed, N skipped", which
// CI tools read; "failed" counts failed and errored tests together, tests an
// interrupt stopped after their request was sent (marked "~") add ", N
// interrupted after sending their request (the action may have run)", and when
// any errored the line ends with " (failed includes N errored)".
//
// A test whose calls were sent again by the transport says so on its line
// (", N transport attempts"), and its details list each try: what was
// answered and why it was, or was not, sent again. With Options.Verbose every
// attempt prints every exchange in order (each transport try, the run-action
// call, its 202 and each poll), each followed by what the transport did.
package console
