package tap

import (
	"io"
	"runtime"
	"testing"
	"weak"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// TestStreamKeepsNoFinishedResult: once a test's point is written, the
// stream keeps nothing of its result (a mark by the test's index only), so
// a streamed run of 100,000 tests does not hold an entry per test; the
// result stays collectable (a map keyed by results fails this).
func TestStreamKeepsNoFinishedResult(t *testing.T) {
	s, err := NewStream(io.Discard, StreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	suite := &spec.Suite{Name: "s", File: "s.yaml"}
	test := &spec.Test{Suite: suite, Name: "t"}
	suite.Tests = []*spec.Test{test}
	sr := &runner.SuiteResult{Suite: suite}
	s.Event(runner.Event{Kind: runner.RunStarted, Total: 1})
	w := finish(s, sr, test)
	runtime.GC()
	if w.Value() != nil {
		t.Error("the stream still holds the result of a test whose point it wrote")
	}
	runtime.KeepAlive(s)
}

// finish sends TestFinished for a passing result of test, and returns a
// weak pointer to that result.
func finish(s *Stream, sr *runner.SuiteResult, test *spec.Test) weak.Pointer[runner.TestResult] {
	tr := &runner.TestResult{Test: test, Status: runner.Pass}
	s.Event(runner.Event{Kind: runner.TestFinished, Suite: sr, Test: tr, Done: 1, Total: 1})
	return weak.Make(tr)
}
