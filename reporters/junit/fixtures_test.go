package junit

// Fixtures: one runner.Result per scenario, built from the contract types
// with fixed times. The same scenarios are in reporters/tap.

import (
	"time"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func at(ms int) time.Time                { return t0.Add(time.Duration(ms) * time.Millisecond) }
func msec(ms int) time.Duration          { return time.Duration(ms) * time.Millisecond }
func pos(file string, line int) spec.Pos { return spec.Pos{File: file, Line: line, Col: 5} }

func newSuite(name, file string, tags ...string) *spec.Suite {
	return &spec.Suite{Name: name, File: file, Pos: spec.Pos{File: file, Line: 1, Col: 1}, Tags: tags}
}

// newTest adds a test with the named steps (one step: a single-step test).
func newTest(s *spec.Suite, name string, line int, steps ...string) *spec.Test {
	t := &spec.Test{Suite: s, Index: len(s.Tests), Name: name, Pos: pos(s.File, line), Tags: s.Tags, MultiStep: len(steps) > 1}
	for i, st := range steps {
		t.Steps = append(t.Steps, &spec.Step{Pos: pos(s.File, line+2+4*i), Index: i, Name: st})
	}
	s.Tests = append(s.Tests, t)
	return t
}

func attempt(st runner.Status, startMS, durMS int, id string) *runner.Attempt {
	return &runner.Attempt{Status: st, Start: at(startMS), Duration: msec(durMS), Package: "demo", Action: "hello", Platform: "vpc", HTTPStatus: 200, ActivationID: id}
}

func stepResult(s *spec.Step, st runner.Status, startMS, durMS int, atts ...*runner.Attempt) *runner.StepResult {
	return &runner.StepResult{Step: s, Status: st, Start: at(startMS), Duration: msec(durMS), Attempts: atts}
}

func testResult(t *spec.Test, st runner.Status, startMS, durMS int, steps ...*runner.StepResult) *runner.TestResult {
	return &runner.TestResult{Test: t, Status: st, Start: at(startMS), Duration: msec(durMS), Steps: steps}
}

func result(suites ...*runner.SuiteResult) *runner.Result {
	r := &runner.Result{
		Info:  runner.RunInfo{Version: "0.1.0", Endpoint: "https://fn.example.test", Parallel: 4},
		Start: t0, Duration: msec(1234),
	}
	for _, s := range suites {
		r.Suites = append(r.Suites, s)
	}
	return r
}

func suiteResult(s *spec.Suite, tests ...*runner.TestResult) *runner.SuiteResult {
	sr := &runner.SuiteResult{Suite: s, Start: t0, Duration: msec(1200), Tests: tests}
	for _, t := range tests {
		sr.Status = sr.Status.Merge(t.Status)
	}
	return sr
}

var exchange = &runner.Exchange{
	Request:  "POST https://fn.example.test/packages/demo/actions/hello?blocking=true\nx-ncp-apigw-api-key: ***\n\n{\"name\":\"bob\"}",
	Response: "HTTP 200\ncontent-type: application/json\n\n{\"name\":\"alice\",\"age\":41}",
}

func passResult() *runner.Result {
	s := newSuite("users", "specs/users.yaml", "smoke")
	t1 := newTest(s, "get user", 5, "demo/hello")
	t2 := newTest(s, "list users", 12, "demo/list")
	return result(suiteResult(s,
		testResult(t1, runner.Pass, 0, 120, stepResult(t1.Steps[0], runner.Pass, 0, 120, attempt(runner.Pass, 0, 120, "a1b2c3"))),
		testResult(t2, runner.Pass, 0, 80, stepResult(t2.Steps[0], runner.Pass, 0, 80, attempt(runner.Pass, 0, 80, "d4e5f6"))),
	))
}

func failResult() *runner.Result {
	s := newSuite("users", "specs/users.yaml")
	t1 := newTest(s, "get user", 5, "demo/hello")
	a := attempt(runner.Fail, 0, 150, "0f1e2d")
	a.Exchange = exchange
	a.Failures = []*runner.Failure{
		{Pos: pos("specs/users.yaml", 9), Key: "result", Path: "$.name", Op: "equals", Expected: `"bob"`, Actual: `"alice"`, Node: "$['name']", Reason: "values differ", Message: "the name must round-trip"},
		{Pos: pos("specs/users.yaml", 10), Key: "assert", Path: "$", Op: "subset", Expected: `{"age":40,"role":"admin"}`, Actual: `{"age":41,"name":"alice"}`, Node: "$", Pointer: "/age", Diff: "  {\n-   \"age\": 40,\n+   \"age\": 41,\n-   \"role\": \"admin\"\n  }", Reason: "not a subset"},
		{Pos: pos("specs/users.yaml", 11), Key: "http_status", Op: "equals", Expected: "201", Actual: "200"},
	}
	tr := testResult(t1, runner.Fail, 0, 150, stepResult(t1.Steps[0], runner.Fail, 0, 150, a))
	return result(suiteResult(s, tr))
}

func errorResult() *runner.Result {
	s := newSuite("users", "specs/users.yaml")
	t1 := newTest(s, "get user", 5, "demo/hello")
	t2 := newTest(s, "bad gateway", 14, "demo/hello")
	a := attempt(runner.Error, 0, 3000, "")
	a.HTTPStatus = 0
	a.Err = "POST https://fn.example.test/packages/demo/actions/hello: dial tcp 127.0.0.1:9: connect: connection refused"
	a.Hint = "check --endpoint, or use --local to run against the built-in emulator"
	a.Exchange = &runner.Exchange{Request: exchange.Request}
	b := attempt(runner.Error, 0, 40, "77aa")
	b.HTTPStatus = 502
	b.Err = "response body is not JSON: invalid character '<' looking for beginning of value"
	b.Exchange = &runner.Exchange{Request: exchange.Request, Response: "HTTP 502\r\ncontent-type: text/html\r\n\r\n<html>Bad Gateway</html>"}
	return result(suiteResult(s,
		testResult(t1, runner.Error, 0, 3000, stepResult(t1.Steps[0], runner.Error, 0, 3000, a)),
		testResult(t2, runner.Error, 0, 40, stepResult(t2.Steps[0], runner.Error, 0, 40, b)),
	))
}

func skipResult() *runner.Result {
	s := newSuite("users", "specs/users.yaml")
	t1 := newTest(s, "get user", 5, "demo/hello")
	t2 := newTest(s, "delete user", 12, "demo/delete")
	tr := testResult(t2, runner.Skip, 0, 0, stepResult(t2.Steps[0], runner.Skip, 0, 0))
	tr.Reason = "not on this platform yet"
	tr.Steps[0].Reason = tr.Reason
	return result(suiteResult(s,
		testResult(t1, runner.Pass, 0, 100, stepResult(t1.Steps[0], runner.Pass, 0, 100, attempt(runner.Pass, 0, 100, "a1"))),
		tr,
	))
}

func multiStepResult() *runner.Result {
	s := newSuite("orders", "specs/orders.yaml", "flow")
	t1 := newTest(s, "order lifecycle", 3, "create order", "fetch order", "delete order")
	t2 := newTest(s, "happy path", 30, "create", "fetch")
	bad := attempt(runner.Fail, 50, 60, "bb02")
	bad.Exchange = exchange
	bad.Failures = []*runner.Failure{{Pos: pos("specs/orders.yaml", 11), Key: "result", Path: "$.status", Op: "equals", Expected: `"open"`, Actual: `"closed"`, Reason: "values differ"}}
	skipped := stepResult(t1.Steps[2], runner.Skip, 0, 0)
	skipped.Reason = "an earlier step failed"
	return result(suiteResult(s,
		testResult(t1, runner.Fail, 0, 110,
			stepResult(t1.Steps[0], runner.Pass, 0, 50, attempt(runner.Pass, 0, 50, "bb01")),
			stepResult(t1.Steps[1], runner.Fail, 50, 60, bad),
			skipped),
		testResult(t2, runner.Pass, 0, 90,
			stepResult(t2.Steps[0], runner.Pass, 0, 40, attempt(runner.Pass, 0, 40, "cc01")),
			stepResult(t2.Steps[1], runner.Pass, 40, 50, attempt(runner.Pass, 40, 50, "cc02"))),
	))
}

func retryResult() *runner.Result {
	s := newSuite("jobs", "specs/jobs.yaml")
	t1 := newTest(s, "job finishes", 4, "demo/job")
	t2 := newTest(s, "eventually ready", 20, "demo/ready")
	fails := func(id string, start int) *runner.Attempt {
		a := attempt(runner.Fail, start, 100, id)
		a.Failures = []*runner.Failure{{Pos: pos("specs/jobs.yaml", 8), Key: "status", Path: "$.state", Op: "equals", Expected: `"done"`, Actual: `"running"`, Reason: "values differ"}}
		return a
	}
	last := fails("r3", 2000)
	last.Exchange = exchange
	return result(suiteResult(s,
		testResult(t1, runner.Fail, 0, 2100, stepResult(t1.Steps[0], runner.Fail, 0, 2100, fails("r1", 0), fails("r2", 1000), last)),
		testResult(t2, runner.Pass, 0, 1600, stepResult(t2.Steps[0], runner.Pass, 0, 1600, fails("q1", 0), fails("q2", 500), attempt(runner.Pass, 1500, 100, "q3"))),
	))
}

func interruptedResult() *runner.Result {
	s := newSuite("users", "specs/users.yaml")
	t1 := newTest(s, "get user", 5, "demo/hello")
	t2 := newTest(s, "slow report", 12, "demo/report")
	t3 := newTest(s, "list users", 20, "demo/list")
	t4 := newTest(s, "delete user", 28, "demo/delete")
	intr := func(t *spec.Test) *runner.TestResult {
		tr := testResult(t, runner.Skip, 0, 0)
		tr.Reason = runner.ReasonInterrupted
		return tr
	}
	r := result(suiteResult(s,
		testResult(t1, runner.Pass, 0, 100, stepResult(t1.Steps[0], runner.Pass, 0, 100, attempt(runner.Pass, 0, 100, "i1"))),
		intr(t2),
		testResult(t3, runner.Pass, 0, 90, stepResult(t3.Steps[0], runner.Pass, 0, 90, attempt(runner.Pass, 0, 90, "i3"))),
		intr(t4),
	))
	r.Interrupted = true
	return r
}

func setupResult() *runner.Result {
	s := newSuite("billing", "specs/billing.yaml")
	s.Setup = []*spec.Step{{Pos: pos("specs/billing.yaml", 3), Name: "create account"}}
	s.Teardown = []*spec.Step{{Pos: pos("specs/billing.yaml", 40), Name: "delete account"}}
	t1 := newTest(s, "charge", 10, "demo/charge")
	t2 := newTest(s, "refund", 20, "demo/refund")
	sa := attempt(runner.Error, 0, 30, "")
	sa.HTTPStatus = 401
	sa.Err = "authentication failed: 401 Unauthorized"
	sa.Hint = "check NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY"
	sa.Exchange = &runner.Exchange{Request: exchange.Request, Response: "HTTP 401\n\n{\"error\":\"unauthorized\"}"}
	ta := attempt(runner.Fail, 100, 20, "td1")
	ta.Failures = []*runner.Failure{{Pos: pos("specs/billing.yaml", 44), Key: "success", Path: "$.response.success", Op: "equals", Expected: "true", Actual: "false", Reason: "values differ"}}
	skipped := func(t *spec.Test) *runner.TestResult {
		tr := testResult(t, runner.Skip, 0, 0)
		tr.Reason = "setup failed: step create account: authentication failed: 401 Unauthorized"
		return tr
	}
	sr := suiteResult(s, skipped(t1), skipped(t2))
	sr.Status = runner.Error
	sr.Setup = []*runner.StepResult{stepResult(s.Setup[0], runner.Error, 0, 30, sa)}
	sr.Teardown = []*runner.StepResult{stepResult(s.Teardown[0], runner.Fail, 100, 20, ta)}

	ok := newSuite("health", "specs/health.yaml")
	h := newTest(ok, "ping", 2, "demo/ping")
	return result(sr, suiteResult(ok, testResult(h, runner.Pass, 0, 10, stepResult(h.Steps[0], runner.Pass, 0, 10, attempt(runner.Pass, 0, 10, "p1")))))
}

// hostile is text that every format must escape.
const hostile = "a <b> & \"c\" 'd' ]]> e\x01\x1b[31m\x7f f\xff\xfe g\uFFFE h # not a directive \\# \\ i\nsecond line\r\nthird: - [x] {y} --- ... \u2028 end "

func escapeResult() *runner.Result {
	s := newSuite("odd <suite> & \"co\" # 1", "specs/odd.yaml", "tag<1>")
	t1 := newTest(s, hostile, 5, "step ]]> #2")
	t2 := newTest(s, "skip # me\nplease", 15, "demo/x")
	a := attempt(runner.Fail, 0, 10, "id<&>")
	a.Platform = "vpc\x00"
	a.Exchange = &runner.Exchange{Request: "POST /x\n\n" + hostile, Response: "HTTP 200\n\n{\"v\":\"]]>]]]]>\"}\x00\xc3\x28"}
	a.Failures = []*runner.Failure{{
		Pos: pos("specs/odd.yaml", 9), Key: "result", Path: "$[\"a#b\"]", Op: "equals",
		Expected: "\"yes\"", Actual: "\"key: value # no comment\\n- item\" \xff ---\n...\n- [ ] &anchor *ref !tag %YAML @x `y` |", Diff: "- \"yes\"\n+ " + hostile,
		Reason: "values differ", Message: hostile,
	}}
	tr2 := testResult(t2, runner.Skip, 0, 0)
	tr2.Reason = "why # not\nnow \\ ok"
	return result(suiteResult(s,
		testResult(t1, runner.Fail, 0, 10, stepResult(t1.Steps[0], runner.Fail, 0, 10, a)),
		tr2,
	))
}

// scenarios are the golden cases: name (the testdata file's base) and Result.
var scenarios = []struct {
	name string
	r    func() *runner.Result
}{
	{"pass", passResult},
	{"fail", failResult},
	{"error", errorResult},
	{"skip", skipResult},
	{"multistep", multiStepResult},
	{"retries", retryResult},
	{"interrupted", interruptedResult},
	{"setup", setupResult},
	{"escaping", escapeResult},
}
