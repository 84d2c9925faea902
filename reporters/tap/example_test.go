package tap_test

import (
	"os"
	"time"

	"github.com/specrun/specrun/reporters/tap"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

func ExampleWrite() {
	suite := &spec.Suite{Name: "health", File: "specs/health.yaml"}
	ping := &spec.Test{Suite: suite, Name: "ping", Pos: spec.Pos{File: "specs/health.yaml", Line: 3}}
	later := &spec.Test{Suite: suite, Name: "metrics", Pos: spec.Pos{File: "specs/health.yaml", Line: 9}}
	r := &runner.Result{
		Duration: 42 * time.Millisecond,
		Suites: []*runner.SuiteResult{{
			Suite: suite, Status: runner.Pass,
			Tests: []*runner.TestResult{
				{Test: ping, Status: runner.Pass, Duration: 40 * time.Millisecond},
				{Test: later, Status: runner.Skip, Reason: "not deployed # yet"},
			},
		}},
	}
	if err := tap.Write(os.Stdout, r, tap.Options{}); err != nil {
		panic(err)
	}
	// Output:
	// TAP version 13
	// 1..2
	// ok 1 - health / ping
	// ok 2 - health / metrics # SKIP not deployed \# yet
}
