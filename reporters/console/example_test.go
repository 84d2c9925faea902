package console_test

import (
	"os"
	"time"

	"github.com/specrun/specrun/reporters/console"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

func Example() {
	s := &spec.Suite{Name: "hello", File: "specs/hello.yaml"}
	tc := &spec.Test{Suite: s, Name: "greets", Pos: spec.Pos{File: s.File, Line: 3}}
	tr := &runner.TestResult{Test: tc, Status: runner.Pass, Duration: 120 * time.Millisecond}
	sr := &runner.SuiteResult{Suite: s, Status: runner.Pass, Tests: []*runner.TestResult{tr}}
	res := &runner.Result{Duration: 130 * time.Millisecond, Suites: []*runner.SuiteResult{sr}}

	// In specrun: console.Options{Color: console.ColorWanted(os.Stdout, noColor, os.LookupEnv),
	// Progress: console.IsTerminal(os.Stdout)}.
	rep := console.New(os.Stdout, console.Options{})
	rep.Event(runner.Event{Kind: runner.RunStarted, Total: 1})
	rep.Event(runner.Event{Kind: runner.TestStarted, Suite: sr, Test: tr, Total: 1})
	rep.Event(runner.Event{Kind: runner.TestFinished, Suite: sr, Test: tr, Done: 1, Total: 1})
	rep.Event(runner.Event{Kind: runner.RunFinished, Result: res, Done: 1, Total: 1})
	// Output:
	// ✓ hello › greets (120ms)
	//
	// Slowest tests:
	//   120ms  hello › greets
	// Ran 1 test in 130ms
	// 1 passed, 0 failed, 0 skipped
}
