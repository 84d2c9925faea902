package junit_test

import (
	"os"
	"time"

	"github.com/specrun/specrun/reporters/junit"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

func ExampleWrite() {
	suite := &spec.Suite{Name: "health", File: "specs/health.yaml"}
	test := &spec.Test{Suite: suite, Name: "ping", Pos: spec.Pos{File: "specs/health.yaml", Line: 3}}
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	r := &runner.Result{
		Start:    start,
		Duration: 42 * time.Millisecond,
		Suites: []*runner.SuiteResult{{
			Suite: suite, Status: runner.Pass, Start: start, Duration: 40 * time.Millisecond,
			Tests: []*runner.TestResult{{Test: test, Status: runner.Pass, Duration: 40 * time.Millisecond}},
		}},
	}
	if err := junit.Write(os.Stdout, r); err != nil {
		panic(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <testsuites name="specrun" tests="1" failures="0" errors="0" time="0.042">
	//   <testsuite name="health" tests="1" failures="0" errors="0" skipped="0" time="0.040" timestamp="2026-03-01T10:00:00" hostname="localhost" id="0" package="health" file="specs/health.yaml">
	//     <properties>
	//       <property name="file" value="specs/health.yaml"></property>
	//     </properties>
	//     <testcase name="ping" classname="health" time="0.040" file="specs/health.yaml" line="3">
	//       <properties>
	//         <property name="file" value="specs/health.yaml"></property>
	//         <property name="line" value="3"></property>
	//       </properties>
	//     </testcase>
	//     <system-out></system-out>
	//     <system-err></system-err>
	//   </testsuite>
	// </testsuites>
}
