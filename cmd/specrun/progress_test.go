package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// A snapshot holds the tests that are final as they are, a test that
// started but is not final as interrupted after it may have sent its
// request, and a test that did not start as skipped.
func TestProgressSnapshot(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "s.yaml"), "teardown:\n  - {action: p/a}\ntests:\n  - {name: done, action: p/a}\n  - {name: running, action: p/a}\n  - {name: waiting, action: p/a}\n")
	project, err := spec.Load([]string{dir}, spec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := project.Suites[0].Tests
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	prog := newProgress(tests, runner.RunInfo{Version: "v"}, func() time.Time { return now })
	testsDone := 0
	prog.onTestsDone = func() { testsDone++ }
	sr := &runner.SuiteResult{Suite: tests[0].Suite, Start: now}
	done := &runner.TestResult{Test: tests[0], Status: runner.Pass}
	prog.Event(runner.Event{Kind: runner.TestStarted, Suite: sr, Test: done})
	prog.Event(runner.Event{Kind: runner.TestFinished, Suite: sr, Test: done})
	prog.Event(runner.Event{Kind: runner.TestStarted, Suite: sr, Test: &runner.TestResult{Test: tests[1]}})

	res := prog.snapshot(true)
	if !res.Interrupted || len(res.Suites) != 1 || len(res.Suites[0].Tests) != 3 {
		t.Fatalf("snapshot %+v", res)
	}
	got := res.Suites[0].Tests
	if got[0] != done {
		t.Errorf("the final test is not kept as it is: %+v", got[0])
	}
	if got[1].Status != runner.Interrupted || got[1].Reason != runner.ReasonMayHaveRun {
		t.Errorf("the running test: %v %q, want interrupted, may have run", got[1].Status, got[1].Reason)
	}
	if got[2].Status != runner.Skip || got[2].Reason != runner.ReasonInterrupted {
		t.Errorf("the waiting test: %v %q, want skipped, interrupted", got[2].Status, got[2].Reason)
	}
	if res.Suites[0].Status != runner.Interrupted {
		t.Errorf("suite status %v, want the worst of its tests", res.Suites[0].Status)
	}
	// The last test final with the teardown owed: the early write is due.
	for _, tr := range []*runner.TestResult{{Test: tests[1], Status: runner.Fail}, {Test: tests[2], Status: runner.Pass}} {
		prog.Event(runner.Event{Kind: runner.TestFinished, Suite: sr, Test: tr})
	}
	if testsDone != 1 {
		t.Errorf("onTestsDone called %d times, want once", testsDone)
	}
}

// A snapshot keeps what decided a failed setup or teardown, so a report
// written early says why, as the final one does.
func TestProgressSnapshotKeepsTheFixturesVerdicts(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "s.yaml"), "setup:\n  - {name: seed, action: p/a}\nteardown:\n  - {name: clean, action: p/a}\ntests:\n  - {name: a, action: p/a}\n")
	project, err := spec.Load([]string{dir}, spec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := project.Suites[0]
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	prog := newProgress(s.Tests, runner.RunInfo{Version: "v"}, func() time.Time { return now })
	failed := func(st *spec.Step, msg string) []*runner.StepResult {
		return []*runner.StepResult{{Step: st, Status: runner.Error, Attempts: []*runner.Attempt{{Status: runner.Error, Err: msg}}}}
	}
	sr := &runner.SuiteResult{Suite: s, Start: now, Setup: failed(s.Setup[0], "setup broke")}
	sr.SetupVerdict = runner.NewVerdict(runner.Error, sr.Setup, "")
	prog.Event(runner.Event{Kind: runner.SetupFinished, Suite: sr})
	sr.Teardown = failed(s.Teardown[0], "teardown broke")
	sr.TeardownVerdict = runner.NewVerdict(runner.Error, sr.Teardown, "")
	prog.Event(runner.Event{Kind: runner.TeardownFinished, Suite: sr})

	got := prog.snapshot(true).Suites[0]
	if got.SetupVerdict.Message != "setup broke" || got.TeardownVerdict.Message != "teardown broke" {
		t.Errorf("snapshot verdicts: setup %q, teardown %q; want the fixtures' errors", got.SetupVerdict.Message, got.TeardownVerdict.Message)
	}
}
