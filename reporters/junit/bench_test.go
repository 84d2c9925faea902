package junit

import (
	"fmt"
	"github.com/specrun/specrun/reporters/internal/scenarios"
	"io"
	"testing"

	"github.com/specrun/specrun/runner"
)

// bigResult has 50 suites of 20 tests: a quarter failing with three
// failures, the rest passing.
func bigResult() *runner.Result {
	r := scenarios.Result()
	for i := 0; i < 50; i++ {
		f := scenarios.Fail().Suites[0]
		p := scenarios.Pass().Suites[0]
		sr := &runner.SuiteResult{Suite: f.Suite, Status: runner.Fail, Start: scenarios.T0}
		for j := 0; j < 5; j++ {
			sr.Tests = append(sr.Tests, f.Tests[0], p.Tests[0], p.Tests[1], p.Tests[0])
		}
		sr.Suite.Name = fmt.Sprintf("suite %d", i)
		r.Suites = append(r.Suites, sr)
	}
	return r
}

func BenchmarkWrite(b *testing.B) {
	r := bigResult()
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
