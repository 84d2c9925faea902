package bench

import (
	"testing"

	"github.com/specrun/specrun/internal/race"
)

// The runner's allocations per test are a budget that a change must not
// raise unnoticed (counts are exact, unlike times; BenchmarkRunnerOnly has
// the times). The tests are BenchmarkRunnerOnly's, against the same canned
// API, so what is counted is the runner's own: each TestResult, StepResult,
// Attempt and their slices, the deadline context, the canned response, and
// a share of the run's fixed costs. It was 10.1 with a context.WithTimeout
// per test.
func TestRunnerAllocationBudget(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector changes allocation counts; .ci/run runs this without it")
	}
	const tests, budget = 500, 7.5
	_, p := writeAndLoad(t, SpecOptions{Tests: tests})
	inv := newCannedInvoker(t)
	runAll(t, p, inv, 8) // every test must pass: a failing one allocates more
	n := testing.AllocsPerRun(5, func() { runAll(t, p, inv, 8) }) / tests
	if n > budget {
		t.Errorf("the runner makes %.2f allocations per test; the budget is %v", n, budget)
	} else {
		t.Logf("%.2f allocations per test", n)
	}
}
