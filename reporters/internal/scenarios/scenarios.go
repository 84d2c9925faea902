// Package scenarios holds the runner results that the golden tests of the
// JUnit and TAP reporters share: one runner.Result per scenario, built from
// the contract types with fixed times. It is imported by tests only.
package scenarios

// Fixtures: one runner.Result per scenario, built from the contract types
// with fixed times. The same All are in reporters/tap.

import (
	"fmt"
	"time"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// T0 is the fixed start of every scenario.
var T0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// At is ms milliseconds after T0.
func At(ms int) time.Time { return T0.Add(time.Duration(ms) * time.Millisecond) }

// Msec is ms milliseconds.
func Msec(ms int) time.Duration { return time.Duration(ms) * time.Millisecond }

// Pos is line of file, column 5.
func Pos(file string, line int) spec.Pos { return spec.Pos{File: file, Line: line, Col: 5} }

// NewSuite is a suite named name in file, with tags.
func NewSuite(name, file string, tags ...string) *spec.Suite {
	return &spec.Suite{Name: name, File: file, Pos: spec.Pos{File: file, Line: 1, Col: 1}, Tags: tags}
}

// newTest adds a test with the named steps (one step: a single-step test).
func NewTest(s *spec.Suite, name string, line int, steps ...string) *spec.Test {
	t := &spec.Test{Suite: s, Index: len(s.Tests), Name: name, Pos: Pos(s.File, line), Tags: s.Tags, MultiStep: len(steps) > 1}
	for i, st := range steps {
		t.Steps = append(t.Steps, &spec.Step{Pos: Pos(s.File, line+2+4*i), Index: i, Name: st})
	}
	s.Tests = append(s.Tests, t)
	return t
}

// Attempt is an attempt with status st, start and duration in ms after T0, and activation id.
func Attempt(st runner.Status, startMS, durMS int, id string) *runner.Attempt {
	return &runner.Attempt{Status: st, Start: At(startMS), Duration: Msec(durMS), Package: "demo", Action: "hello", Platform: "vpc", HTTPStatus: 200, ActivationID: id}
}

// StepResult is the result of step s with the given attempts.
func StepResult(s *spec.Step, st runner.Status, startMS, durMS int, atts ...*runner.Attempt) *runner.StepResult {
	return &runner.StepResult{Step: s, Status: st, Start: At(startMS), Duration: Msec(durMS), Attempts: atts}
}

// TestResult is the result of test t with the given steps.
func TestResult(t *spec.Test, st runner.Status, startMS, durMS int, steps ...*runner.StepResult) *runner.TestResult {
	return &runner.TestResult{Test: t, Status: st, Start: At(startMS), Duration: Msec(durMS), Steps: steps}
}

// decided returns r with its verdicts computed, as Run computes them.
func decided(r *runner.Result) *runner.Result {
	r.Decide()
	return r
}

// Result is a run of suites, starting at T0.
func Result(suites ...*runner.SuiteResult) *runner.Result {
	r := &runner.Result{
		Info:  runner.RunInfo{Version: "0.1.0", Endpoint: "https://fn.example.test", Parallel: 4},
		Start: T0, Duration: Msec(1234),
	}
	for _, s := range suites {
		r.Suites = append(r.Suites, s)
	}
	return r
}

// SuiteResult is the result of suite s with the given tests.
func SuiteResult(s *spec.Suite, tests ...*runner.TestResult) *runner.SuiteResult {
	sr := &runner.SuiteResult{Suite: s, Start: T0, Duration: Msec(1200), Tests: tests}
	for _, t := range tests {
		sr.Status = sr.Status.Merge(t.Status)
	}
	return sr
}

// Exchange is the (already redacted) exchange of failed attempts.
var Exchange = &runner.Exchange{
	Request:  "POST https://fn.example.test/packages/demo/actions/hello?blocking=true\nx-ncp-apigw-api-key: ***\n\n{\"name\":\"bob\"}",
	Response: "HTTP 200\ncontent-type: application/json\n\n{\"name\":\"alice\",\"age\":41}",
}

// Pass is a run whose tests all pass.
func Pass() *runner.Result {
	s := NewSuite("users", "specs/users.yaml", "smoke")
	t1 := NewTest(s, "get user", 5, "demo/hello")
	t2 := NewTest(s, "list users", 12, "demo/list")
	return decided(Result(SuiteResult(s,
		TestResult(t1, runner.Pass, 0, 120, StepResult(t1.Steps[0], runner.Pass, 0, 120, Attempt(runner.Pass, 0, 120, "a1b2c3"))),
		TestResult(t2, runner.Pass, 0, 80, StepResult(t2.Steps[0], runner.Pass, 0, 80, Attempt(runner.Pass, 0, 80, "d4e5f6"))),
	)))
}

// Fail is a run with a failed test: several failures and a diff.
func Fail() *runner.Result {
	s := NewSuite("users", "specs/users.yaml")
	t1 := NewTest(s, "get user", 5, "demo/hello")
	a := Attempt(runner.Fail, 0, 150, "0f1e2d")
	a.Exchanges = []*runner.Exchange{Exchange}
	a.Failures = []*runner.Failure{
		{Pos: Pos("specs/users.yaml", 9), Key: "result", Path: "$.name", Op: "equals", Expected: `"bob"`, Actual: `"alice"`, Node: "$['name']", Reason: "values differ", Message: "the name must round-trip"},
		{Pos: Pos("specs/users.yaml", 10), Key: "assert", Path: "$", Op: "subset", Expected: `{"age":40,"role":"admin"}`, Actual: `{"age":41,"name":"alice"}`, Node: "$", Pointer: "/age", Diff: "  {\n-   \"age\": 40,\n+   \"age\": 41,\n-   \"role\": \"admin\"\n  }", Reason: "not a subset"},
		{Pos: Pos("specs/users.yaml", 11), Key: "http_status", Op: "equals", Expected: "201", Actual: "200"},
	}
	tr := TestResult(t1, runner.Fail, 0, 150, StepResult(t1.Steps[0], runner.Fail, 0, 150, a))
	return decided(Result(SuiteResult(s, tr)))
}

// Error is a run with errored tests: a transport error with a hint, and a body that is not JSON.
func Error() *runner.Result {
	s := NewSuite("users", "specs/users.yaml")
	t1 := NewTest(s, "get user", 5, "demo/hello")
	t2 := NewTest(s, "bad gateway", 14, "demo/hello")
	a := Attempt(runner.Error, 0, 3000, "")
	a.HTTPStatus = 0
	a.Err = "POST https://fn.example.test/packages/demo/actions/hello: dial tcp 127.0.0.1:9: connect: connection refused"
	a.Hint = "check --endpoint, or use --local to run against the built-in emulator"
	a.Exchanges = []*runner.Exchange{{Request: Exchange.Request}}
	a.Tries = []runner.Try{
		{Method: "POST", Start: T0, Answer: "dial tcp 127.0.0.1:9: connect: connection refused", Resent: true,
			Why: "could not connect, so the action did not run: sent again after 150ms"},
		{Method: "POST", Start: T0.Add(200 * time.Millisecond), Answer: "cannot connect (2 attempts), so the action did not run"},
	}
	b := Attempt(runner.Error, 0, 40, "77aa")
	b.HTTPStatus = 502
	b.MayHaveRun = true
	b.Err = "HTTP 502 with a text/html body after the request was sent, so the action may have run; it was not sent again"
	b.Tries = []runner.Try{
		{Method: "POST", Start: T0, HTTPStatus: 429, Answer: "HTTP 429 errorCode 420: Rate Limited", Resent: true,
			Why: "HTTP 429 (errorCode 420: Rate Limited), so the action did not run: sent again after 150ms"},
		{Method: "POST", Start: T0.Add(200 * time.Millisecond), HTTPStatus: 502, Answer: "HTTP 502 <html>Bad Gateway</html>", Why: b.Err},
	}
	b.Exchanges = []*runner.Exchange{
		{Start: T0, Request: Exchange.Request, Response: "HTTP 429\r\ncontent-type: application/json\r\n\r\n{\"error\":{\"errorCode\":\"420\"}}", Note: b.Tries[0].Why},
		{Start: T0.Add(200 * time.Millisecond), Request: Exchange.Request, Response: "HTTP 502\r\ncontent-type: text/html\r\n\r\n<html>Bad Gateway</html>", Note: b.Err},
	}
	return decided(Result(SuiteResult(s,
		TestResult(t1, runner.Error, 0, 3000, StepResult(t1.Steps[0], runner.Error, 0, 3000, a)),
		TestResult(t2, runner.Error, 0, 40, StepResult(t2.Steps[0], runner.Error, 0, 40, b)),
	)))
}

// Skip is a run with a skipped test.
func Skip() *runner.Result {
	s := NewSuite("users", "specs/users.yaml")
	t1 := NewTest(s, "get user", 5, "demo/hello")
	t2 := NewTest(s, "delete user", 12, "demo/delete")
	tr := TestResult(t2, runner.Skip, 0, 0, StepResult(t2.Steps[0], runner.Skip, 0, 0))
	tr.Reason = "not on this platform yet"
	tr.Steps[0].Reason = tr.Reason
	return decided(Result(SuiteResult(s,
		TestResult(t1, runner.Pass, 0, 100, StepResult(t1.Steps[0], runner.Pass, 0, 100, Attempt(runner.Pass, 0, 100, "a1"))),
		tr,
	)))
}

// MultiStep is a run with a multi-step test.
func MultiStep() *runner.Result {
	s := NewSuite("orders", "specs/orders.yaml", "flow")
	t1 := NewTest(s, "order lifecycle", 3, "create order", "fetch order", "delete order")
	t2 := NewTest(s, "happy path", 30, "create", "fetch")
	bad := Attempt(runner.Fail, 50, 60, "bb02")
	bad.Exchanges = []*runner.Exchange{Exchange}
	bad.Failures = []*runner.Failure{{Pos: Pos("specs/orders.yaml", 11), Key: "result", Path: "$.status", Op: "equals", Expected: `"open"`, Actual: `"closed"`, Reason: "values differ"}}
	skipped := StepResult(t1.Steps[2], runner.Skip, 0, 0)
	skipped.Reason = runner.ReasonEarlierStep
	return decided(Result(SuiteResult(s,
		TestResult(t1, runner.Fail, 0, 110,
			StepResult(t1.Steps[0], runner.Pass, 0, 50, Attempt(runner.Pass, 0, 50, "bb01")),
			StepResult(t1.Steps[1], runner.Fail, 50, 60, bad),
			skipped),
		TestResult(t2, runner.Pass, 0, 90,
			StepResult(t2.Steps[0], runner.Pass, 0, 40, Attempt(runner.Pass, 0, 40, "cc01")),
			StepResult(t2.Steps[1], runner.Pass, 40, 50, Attempt(runner.Pass, 40, 50, "cc02"))),
	)))
}

// Retry is a run with a test that passed on its third attempt.
func Retry() *runner.Result {
	s := NewSuite("jobs", "specs/jobs.yaml")
	t1 := NewTest(s, "job finishes", 4, "demo/job")
	t2 := NewTest(s, "eventually ready", 20, "demo/ready")
	fails := func(id string, start int) *runner.Attempt {
		a := Attempt(runner.Fail, start, 100, id)
		a.Failures = []*runner.Failure{{Pos: Pos("specs/jobs.yaml", 8), Key: "status", Path: "$.state", Op: "equals", Expected: `"done"`, Actual: `"running"`, Reason: "values differ"}}
		return a
	}
	last := fails("r3", 2000)
	last.Exchanges = []*runner.Exchange{Exchange}
	return decided(Result(SuiteResult(s,
		TestResult(t1, runner.Fail, 0, 2100, StepResult(t1.Steps[0], runner.Fail, 0, 2100, fails("r1", 0), fails("r2", 1000), last)),
		TestResult(t2, runner.Pass, 0, 1600, StepResult(t2.Steps[0], runner.Pass, 0, 1600, fails("q1", 0), fails("q2", 500), Attempt(runner.Pass, 1500, 100, "q3"))),
	)))
}

// Interrupted is a run stopped by an interrupt.
func Interrupted() *runner.Result {
	s := NewSuite("users", "specs/users.yaml")
	t1 := NewTest(s, "get user", 5, "demo/hello")
	t2 := NewTest(s, "slow report", 12, "demo/report")
	t3 := NewTest(s, "list users", 20, "demo/list")
	t4 := NewTest(s, "delete user", 28, "demo/delete")
	intr := func(t *spec.Test) *runner.TestResult {
		tr := TestResult(t, runner.Skip, 0, 0)
		tr.Reason = runner.ReasonInterrupted
		return tr
	}
	sent := Attempt(runner.Interrupted, 0, 400, "")
	sent.MayHaveRun, sent.Err, sent.HTTPStatus = true, runner.ReasonMayHaveRun, 0
	inFlight := TestResult(t2, runner.Interrupted, 0, 400, StepResult(t2.Steps[0], runner.Interrupted, 0, 400, sent))
	inFlight.Reason = runner.ReasonMayHaveRun
	r := Result(SuiteResult(s,
		TestResult(t1, runner.Pass, 0, 100, StepResult(t1.Steps[0], runner.Pass, 0, 100, Attempt(runner.Pass, 0, 100, "i1"))),
		inFlight,
		TestResult(t3, runner.Pass, 0, 90, StepResult(t3.Steps[0], runner.Pass, 0, 90, Attempt(runner.Pass, 0, 90, "i3"))),
		intr(t4),
	))
	r.Interrupted = true
	return decided(r)
}

// Setup is a run whose setup and teardown failed.
func Setup() *runner.Result {
	s := NewSuite("billing", "specs/billing.yaml")
	s.Setup = []*spec.Step{{Pos: Pos("specs/billing.yaml", 3), Name: "create account"}}
	s.Teardown = []*spec.Step{{Pos: Pos("specs/billing.yaml", 40), Name: "delete account"}}
	t1 := NewTest(s, "charge", 10, "demo/charge")
	t2 := NewTest(s, "refund", 20, "demo/refund")
	sa := Attempt(runner.Error, 0, 30, "")
	sa.HTTPStatus = 401
	sa.Err = "authentication failed: 401 Unauthorized"
	sa.Hint = "check NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY"
	sa.Exchanges = []*runner.Exchange{{Request: Exchange.Request, Response: "HTTP 401\n\n{\"error\":\"unauthorized\"}"}}
	ta := Attempt(runner.Fail, 100, 20, "td1")
	ta.Failures = []*runner.Failure{{Pos: Pos("specs/billing.yaml", 44), Key: "success", Path: "$.response.success", Op: "equals", Expected: "true", Actual: "false", Reason: "values differ"}}
	skipped := func(t *spec.Test) *runner.TestResult {
		tr := TestResult(t, runner.Skip, 0, 0)
		tr.Reason = "setup failed: step create account: authentication failed: 401 Unauthorized"
		return tr
	}
	sr := SuiteResult(s, skipped(t1), skipped(t2))
	sr.Status = runner.Error
	sr.Setup = []*runner.StepResult{StepResult(s.Setup[0], runner.Error, 0, 30, sa)}
	sr.Teardown = []*runner.StepResult{StepResult(s.Teardown[0], runner.Fail, 100, 20, ta)}

	ok := NewSuite("health", "specs/health.yaml")
	h := NewTest(ok, "ping", 2, "demo/ping")
	return decided(Result(sr, SuiteResult(ok, TestResult(h, runner.Pass, 0, 10, StepResult(h.Steps[0], runner.Pass, 0, 10, Attempt(runner.Pass, 0, 10, "p1"))))))
}

// Hostile is text that every format must escape.
const Hostile = "a <b> & \"c\" 'd' ]]> e\x01\x1b[31m\x7f f\xff\xfe g\uFFFE h # not a directive \\# \\ i\nsecond line\r\nthird: - [x] {y} --- ... \u2028 end "

// Escape is a run whose names and values need escaping in every format.
func Escape() *runner.Result {
	s := NewSuite("odd <suite> & \"co\" # 1", "specs/odd.yaml", "tag<1>")
	t1 := NewTest(s, Hostile, 5, "step ]]> #2")
	t2 := NewTest(s, "skip # me\nplease", 15, "demo/x")
	a := Attempt(runner.Fail, 0, 10, "id<&>")
	a.Platform = "vpc\x00"
	a.Exchanges = []*runner.Exchange{{Request: "POST /x\n\n" + Hostile, Response: "HTTP 200\n\n{\"v\":\"]]>]]]]>\"}\x00\xc3\x28"}}
	a.Failures = []*runner.Failure{{
		Pos: Pos("specs/odd.yaml", 9), Key: "result", Path: "$[\"a#b\"]", Op: "equals",
		Expected: "\"yes\"", Actual: "\"key: value # no comment\\n- item\" \xff ---\n...\n- [ ] &anchor *ref !tag %YAML @x `y` |", Diff: "- \"yes\"\n+ " + Hostile,
		Reason: "values differ", Message: Hostile,
	}}
	tr2 := TestResult(t2, runner.Skip, 0, 0)
	tr2.Reason = "why # not\nnow \\ ok"
	return decided(Result(SuiteResult(s,
		TestResult(t1, runner.Fail, 0, 10, StepResult(t1.Steps[0], runner.Fail, 0, 10, a)),
		tr2,
	)))
}

// All are the golden cases: name (the testdata file's base) and Result.
var All = []struct {
	Name string
	R    func() *runner.Result
}{
	{"pass", Pass},
	{"fail", Fail},
	{"error", Error},
	{"skip", Skip},
	{"multistep", MultiStep},
	{"retries", Retry},
	{"interrupted", Interrupted},
	{"setup", Setup},
	{"escaping", Escape},
}

// Big has 50 suites of 20 tests: a quarter failing with three
// failures, the rest passing.
func Big() *runner.Result {
	r := Result()
	for i := 0; i < 50; i++ {
		f := Fail().Suites[0]
		p := Pass().Suites[0]
		sr := &runner.SuiteResult{Suite: f.Suite, Status: runner.Fail, Start: T0}
		for j := 0; j < 5; j++ {
			sr.Tests = append(sr.Tests, f.Tests[0], p.Tests[0], p.Tests[1], p.Tests[0])
		}
		sr.Suite.Name = fmt.Sprintf("suite %d", i)
		r.Suites = append(r.Suites, sr)
	}
	return decided(r)
}

// Events are the events a run that gave r would have sent, suite after
// suite, as the runner sends them: RunStarted with the number of selected
// tests, each attempt, each test, setup and teardown, then RunFinished.
func Events(r *runner.Result) []runner.Event {
	total := 0
	for _, s := range r.Suites {
		total += len(s.Tests)
	}
	done := 0
	evs := []runner.Event{{Kind: runner.RunStarted, Total: total}}
	for _, s := range r.Suites {
		for _, st := range s.Setup {
			for i, a := range st.Attempts {
				evs = append(evs, runner.Event{Kind: runner.AttemptFinished, Suite: s, Step: st, Attempt: a, AttemptNum: i + 1, Done: done, Total: total})
			}
		}
		if s.Setup != nil {
			evs = append(evs, runner.Event{Kind: runner.SetupFinished, Suite: s, Done: done, Total: total})
		}
		for _, t := range s.Tests {
			evs = append(evs, runner.Event{Kind: runner.TestStarted, Suite: s, Test: t, Done: done, Total: total})
			for _, st := range t.Steps {
				for i, a := range st.Attempts {
					evs = append(evs, runner.Event{Kind: runner.AttemptFinished, Suite: s, Test: t, Step: st, Attempt: a, AttemptNum: i + 1, Done: done, Total: total})
				}
			}
			done++
			evs = append(evs, runner.Event{Kind: runner.TestFinished, Suite: s, Test: t, Done: done, Total: total})
		}
		for _, st := range s.Teardown {
			for i, a := range st.Attempts {
				evs = append(evs, runner.Event{Kind: runner.AttemptFinished, Suite: s, Step: st, Attempt: a, AttemptNum: i + 1, Done: done, Total: total})
			}
		}
		if s.Teardown != nil {
			evs = append(evs, runner.Event{Kind: runner.TeardownFinished, Suite: s, Done: done, Total: total})
		}
	}
	return append(evs, runner.Event{Kind: runner.RunFinished, Result: r, Done: done, Total: total})
}
