package jsonreport_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

func Example() {
	s := &spec.Suite{Name: "hello", File: "specs/hello.yaml"}
	tc := &spec.Test{Suite: s, Name: "greets", Pos: spec.Pos{File: s.File, Line: 3}}
	r := &runner.Result{
		Info:     runner.RunInfo{Version: "0.1.0", Endpoint: "http://127.0.0.1:8080/api/v2", Local: true},
		Start:    time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Duration: 42 * time.Millisecond,
		Suites: []*runner.SuiteResult{{Suite: s, Status: runner.Pass, Duration: 40 * time.Millisecond,
			Tests: []*runner.TestResult{{Test: tc, Status: runner.Pass, Duration: 40 * time.Millisecond}}}},
	}
	if err := jsonreport.Write(os.Stdout, r); err != nil {
		fmt.Println(err)
	}

	// Shard reports are read back and merged.
	a, _ := jsonreport.Read(strings.NewReader(`{"schema_version":2,"status":"pass","run":{"shard":"1/2"},"suites":[]}`))
	b, _ := jsonreport.Read(strings.NewReader(`{"schema_version":2,"status":"fail","run":{"shard":"2/2"},"suites":[]}`))
	m, err := jsonreport.Merge(a, b)
	fmt.Println(m.Run.Shards, err)
	// Output:
	// {
	//   "schema_version": 2,
	//   "status": "pass",
	//   "counts": {
	//     "total": 1,
	//     "passed": 1,
	//     "failed": 0,
	//     "errored": 0,
	//     "skipped": 0,
	//     "interrupted": 0,
	//     "fixtures": 0
	//   },
	//   "run": {
	//     "specrun_version": "0.1.0",
	//     "endpoint": "http://127.0.0.1:8080/api/v2",
	//     "local": true,
	//     "start": "2026-01-02T03:04:05.000Z",
	//     "duration_ms": 42,
	//     "interrupted": false
	//   },
	//   "suites": [
	//     {
	//       "name": "hello",
	//       "file": "specs/hello.yaml",
	//       "status": "pass",
	//       "duration_ms": 40,
	//       "tests": [
	//         {
	//           "name": "greets",
	//           "full_name": "hello/greets",
	//           "file": "specs/hello.yaml",
	//           "line": 3,
	//           "status": "pass",
	//           "duration_ms": 40,
	//           "attempts": 0
	//         }
	//       ]
	//     }
	//   ]
	// }
	// [1/2 2/2] <nil>
}
