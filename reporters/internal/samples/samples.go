// Package samples holds the runner results that the golden tests of the
// console and JSON reporters share, with fixed times. It is imported by
// tests only.
package samples

import (
	"time"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// T0 is the fixed start of every sample run.
var T0 = time.Date(2026, 11, 27, 9, 30, 0, 123_456_789, time.FixedZone("KST", 9*3600))

// Ms is n milliseconds.
func Ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// suite builds a spec suite with tests named and placed at the given lines.
func Suite(file, name string, tests ...*spec.Test) *spec.Suite {
	s := &spec.Suite{Name: name, File: file, Pos: spec.Pos{File: file, Line: 1, Col: 1}}
	for i, t := range tests {
		t.Suite, t.Index = s, i
		t.Pos.File = file
		s.Tests = append(s.Tests, t)
	}
	return s
}

// Test is a test named name at line of its file (set by Suite), with tags.
func Test(name string, line int, tags ...string) *spec.Test {
	return &spec.Test{Name: name, Pos: spec.Pos{Line: line, Col: 5}, Tags: tags, Deadline: 2 * time.Minute}
}

// Step is a step named name at line of file.
func Step(file, name string, line int) *spec.Step {
	return &spec.Step{Name: name, Pos: spec.Pos{File: file, Line: line, Col: 7}}
}

// PassAttempt is a passing attempt of duration d with activation id.
func PassAttempt(id string, d time.Duration) *runner.Attempt {
	return &runner.Attempt{Status: runner.Pass, Start: T0, Duration: d, Package: "shop", Action: "hello", HTTPStatus: 200, ActivationID: id}
}

// Info is the run metadata of every sample.
func Info() runner.RunInfo {
	return runner.RunInfo{Version: "0.1.0", Endpoint: "https://cloudfunctions.apigw.ntruss.com/api/v2", Parallel: 8}
}

// Single is the result of a single-step test t with status st and the given attempts.
func Single(t *spec.Test, st runner.Status, d time.Duration, atts ...*runner.Attempt) *runner.TestResult {
	if len(t.Steps) == 0 {
		t.Steps = []*spec.Step{Step(t.Pos.File, "shop/hello", t.Pos.Line+1)}
	}
	sr := &runner.StepResult{Step: t.Steps[0], Status: st, Start: T0, Duration: d, Attempts: atts}
	return &runner.TestResult{Test: t, Status: st, Start: T0, Duration: d, Steps: []*runner.StepResult{sr}}
}

// Result is a run of suites, starting at T0.
func Result(suites ...*runner.SuiteResult) *runner.Result {
	return &runner.Result{Info: Info(), Start: T0, Duration: Ms(1520), Suites: suites}
}

// SuiteResult is the result of suite s with the given tests, its status merged from theirs.
func SuiteResult(s *spec.Suite, tests ...*runner.TestResult) *runner.SuiteResult {
	sr := &runner.SuiteResult{Suite: s, Start: T0, Tests: tests}
	for _, t := range tests {
		sr.Status = sr.Status.Merge(t.Status)
		sr.Duration += t.Duration
	}
	return sr
}

// helloFile is the spec file of most samples.
const helloFile = "specs/hello.yaml"

// Fixtures are the results the golden files are made of, by name, with
// their counts and statuses decided as Run decides them.
func Fixtures() map[string]*runner.Result {
	out := map[string]*runner.Result{
		"pass":              passFixture(),
		"fail":              failFixture(),
		"error":             errorFixture(),
		"skip":              skipFixture(),
		"multistep":         multistepFixture(),
		"retries":           retriesFixture(),
		"interrupted":       interruptedFixture(),
		"setup-failure":     setupFailureFixture(),
		"setup-interrupted": setupInterruptedFixture(),
	}
	for _, r := range out {
		r.Decide() // as Run computes them
	}
	return out
}

// passFixture is the "pass" sample: two passing tests, one tagged.
func passFixture() *runner.Result {
	s := Suite(helloFile, "hello", Test("greets by name", 4, "smoke"), Test("greets the world", 12))
	return Result(SuiteResult(s,
		Single(s.Tests[0], runner.Pass, Ms(120), PassAttempt("a1b2c3d4e5f60718293a4b5c6d7e8f90", Ms(118))),
		Single(s.Tests[1], runner.Pass, 1500*time.Microsecond, PassAttempt("0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c", Ms(1))),
	))
}

// failFixture is the "fail" sample: a test whose three assertions fail, with
// its exchange.
func failFixture() *runner.Result {
	s := Suite(helloFile, "hello", Test("answers in Korean", 4, "i18n"))
	a := &runner.Attempt{
		Status: runner.Fail, Start: T0, Duration: Ms(240), Package: "shop", Action: "hello", Platform: "vpc",
		HTTPStatus: 200, ActivationID: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
		Failures: []*runner.Failure{
			{Pos: spec.Pos{File: helloFile, Line: 9, Col: 11}, Key: "result", Path: "$.greeting", Op: "equals",
				Expected: `"안녕하세요"`, Actual: `"hello"`, Node: "$['greeting']", Diff: `-"안녕하세요" +"hello"`,
				Reason: "values differ", Message: "the greeting must be in Korean"},
			{Pos: spec.Pos{File: helloFile, Line: 11, Col: 11}, Key: "assert", Path: "$.items", Op: "subset",
				Expected: `{"a": [1, 2], "b": null}`, Actual: `{"a":[1,3],"b":null,"c":"<x>&"}`, Node: "$['items']", Pointer: "/a/1",
				Diff: "-2\n+3", Reason: "not a subset"},
			{Pos: spec.Pos{File: helloFile, Line: 13, Col: 11}, Key: "assert", Path: "$.log", Op: "contains",
				Expected: `"ok"`, Actual: `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…(truncated)`, Reason: "no element contains \"ok\""},
		},
		Exchanges: []*runner.Exchange{{
			Request:  "POST https://cloudfunctions.apigw.ntruss.com/api/v2/packages/shop/actions/hello?blocking=true\nx-ncp-apigw-api-key: ***\nx-ncp-iam-access-key: ***\n\n{\"name\":\"Kim\"}",
			Response: "HTTP 200\nContent-Type: application/json\n\n{\"greeting\":\"hello\"}",
		}},
	}
	return Result(SuiteResult(s, Single(s.Tests[0], runner.Fail, Ms(250), a)))
}

// errorFixture is the "error" sample: a test that errors on its deadline
// while polling.
func errorFixture() *runner.Result {
	s := Suite(helloFile, "hello", Test("slow action", 4))
	a := &runner.Attempt{Status: runner.Error, Start: T0, Duration: Ms(30000), Package: "shop", Action: "slow",
		HTTPStatus: 202, ActivationID: "deadbeefdeadbeefdeadbeefdeadbeef", Polls: 14,
		Err:  "deadline of 30s reached while polling activation deadbeefdeadbeefdeadbeefdeadbeef",
		Hint: "raise the test's deadline, or the step's timeout if the action is meant to be slow"}
	tr := Single(s.Tests[0], runner.Error, Ms(30005), a)
	tr.Reason = a.Err
	tr.Steps[0].Reason = a.Err
	return Result(SuiteResult(s, tr))
}

// skipFixture is the "skip" sample: a skipped test next to a passing one.
func skipFixture() *runner.Result {
	t1 := Test("not yet", 4)
	t1.Skip = "the action is not deployed yet"
	s := Suite(helloFile, "hello", t1, Test("greets", 10))
	skipped := &runner.TestResult{Test: t1, Status: runner.Skip, Reason: t1.Skip}
	return Result(SuiteResult(s, skipped, Single(s.Tests[1], runner.Pass, Ms(80), PassAttempt("11112222333344445555666677778888", Ms(79)))))
}

// multistepFixture is the "multistep" sample: a multi-step test whose second
// step fails and third is skipped.
func multistepFixture() *runner.Result {
	const fo = "specs/orders.yaml"
	t1 := Test("create then fetch", 6)
	t1.MultiStep = true
	t1.Steps = []*spec.Step{Step(fo, "create order", 8), Step(fo, "fetch order", 14), Step(fo, "delete order", 22)}
	for i, st := range t1.Steps {
		st.Index = i
	}
	s := Suite(fo, "orders", t1)
	s1 := &runner.StepResult{Step: t1.Steps[0], Status: runner.Pass, Start: T0, Duration: Ms(300),
		Attempts: []*runner.Attempt{PassAttempt("c0ffee00c0ffee00c0ffee00c0ffee00", Ms(299))}}
	fa := &runner.Attempt{Status: runner.Fail, Start: T0, Duration: Ms(200), Package: "shop", Action: "get-order",
		HTTPStatus: 404, ActivationID: "c0ffee11c0ffee11c0ffee11c0ffee11",
		Failures: []*runner.Failure{{Pos: spec.Pos{File: fo, Line: 18, Col: 9}, Key: "http_status", Op: "equals",
			Expected: "200", Actual: "404", Reason: "status differs"}},
		Exchanges: []*runner.Exchange{{Request: "POST https://x/api/v2/packages/shop/actions/get-order?blocking=true\n\n{\"id\":\"o-1\"}", Response: "HTTP 404\n\n{\"error\":\"not found\"}"}}}
	s2 := &runner.StepResult{Step: t1.Steps[1], Status: runner.Fail, Start: T0, Duration: Ms(200), Attempts: []*runner.Attempt{fa}}
	s3 := &runner.StepResult{Step: t1.Steps[2], Status: runner.Skip, Reason: runner.ReasonEarlierStep}
	tr := &runner.TestResult{Test: t1, Status: runner.Fail, Start: T0, Duration: Ms(505), Steps: []*runner.StepResult{s1, s2, s3}}
	return Result(SuiteResult(s, tr))
}

// retriesFixture is the "retries" sample: a step that passes on its third
// attempt.
func retriesFixture() *runner.Result {
	t1 := Test("eventually ready", 4)
	t1.Steps = []*spec.Step{Step(helloFile, "shop/ready", 5)}
	t1.Steps[0].Retry = &spec.Retry{Attempts: 3, Delay: time.Second, Backoff: 2}
	s := Suite(helloFile, "hello", t1)
	fail := func(id string) *runner.Attempt {
		return &runner.Attempt{Status: runner.Fail, Start: T0, Duration: Ms(100), Package: "shop", Action: "ready", HTTPStatus: 200, ActivationID: id,
			Failures: []*runner.Failure{{Pos: spec.Pos{File: helloFile, Line: 8, Col: 9}, Key: "result", Path: "$.ready", Op: "equals", Expected: "true", Actual: "false", Reason: "values differ"}}}
	}
	tr := Single(t1, runner.Pass, Ms(3320), fail("aaaa0001"), fail("aaaa0002"), PassAttempt("aaaa0003", Ms(110)))
	return Result(SuiteResult(s, tr))
}

// interruptedFixture is the "interrupted" sample: an interrupted run of
// shard 2/3: one test passed, one interrupted after sending its request, one
// never started.
func interruptedFixture() *runner.Result {
	s := Suite(helloFile, "hello", Test("first", 4), Test("second", 10), Test("third", 16))
	r := Result(SuiteResult(s,
		Single(s.Tests[0], runner.Pass, Ms(90), PassAttempt("bbbb0001", Ms(88))),
		Single(s.Tests[1], runner.Interrupted, Ms(500), &runner.Attempt{Status: runner.Interrupted, Start: T0, Duration: Ms(500),
			Package: "shop", Action: "hello", MayHaveRun: true, Err: runner.ReasonMayHaveRun}),
		&runner.TestResult{Test: s.Tests[2], Status: runner.Skip, Reason: runner.ReasonInterrupted},
	))
	r.Interrupted = true
	r.Info.Shard = "2/3"
	r.Info.Run = "hello/"
	r.Info.Tags = "smoke,!slow"
	return r
}

// setupFailureFixture is the "setup-failure" sample: a local run whose suite
// setup errors, skipping its tests; its teardown passes.
func setupFailureFixture() *runner.Result {
	const fu = "specs/users.yaml"
	s := Suite(fu, "users", Test("lists users", 12), Test("gets a user", 18))
	s.Setup = []*spec.Step{Step(fu, "login", 4)}
	s.Teardown = []*spec.Step{Step(fu, "logout", 8)}
	login := &runner.StepResult{Step: s.Setup[0], Status: runner.Error, Start: T0, Duration: Ms(40), Reason: "HTTP 401 from the API",
		Attempts: []*runner.Attempt{{Status: runner.Error, Start: T0, Duration: Ms(40), Package: "auth", Action: "login", HTTPStatus: 401,
			Err: "HTTP 401 from the API: the request signature was rejected", Hint: "check NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY"}}}
	logout := &runner.StepResult{Step: s.Teardown[0], Status: runner.Pass, Start: T0, Duration: Ms(30),
		Attempts: []*runner.Attempt{PassAttempt("cccc0001", Ms(29))}}
	reason := "setup failed: login: HTTP 401 from the API"
	sr := SuiteResult(s,
		&runner.TestResult{Test: s.Tests[0], Status: runner.Skip, Reason: reason},
		&runner.TestResult{Test: s.Tests[1], Status: runner.Skip, Reason: reason})
	sr.Setup = []*runner.StepResult{login}
	sr.Teardown = []*runner.StepResult{logout}
	sr.Status = runner.Error
	sr.Duration = Ms(70)
	r := Result(sr)
	r.Info.Local = true
	r.Info.Endpoint = "http://127.0.0.1:41234/api/v2"
	return r
}

// setupInterruptedFixture is the "setup-interrupted" sample: a run
// interrupted while its suite's setup waited for its action (the request
// was sent: the action may have run); its tests never started and its
// teardown passed. The setup counts as interrupted, not as failed.
func setupInterruptedFixture() *runner.Result {
	const fu = "specs/users.yaml"
	s := Suite(fu, "users", Test("lists users", 12), Test("gets a user", 18))
	s.Setup = []*spec.Step{Step(fu, "login", 4)}
	s.Teardown = []*spec.Step{Step(fu, "logout", 8)}
	login := &runner.StepResult{Step: s.Setup[0], Status: runner.Interrupted, Start: T0, Duration: Ms(900), Reason: runner.ReasonMayHaveRun,
		Attempts: []*runner.Attempt{{Status: runner.Interrupted, Start: T0, Duration: Ms(900), Package: "auth", Action: "login",
			MayHaveRun: true, Err: runner.ReasonMayHaveRun}}}
	logout := &runner.StepResult{Step: s.Teardown[0], Status: runner.Pass, Start: T0, Duration: Ms(30),
		Attempts: []*runner.Attempt{PassAttempt("cccc0002", Ms(29))}}
	sr := SuiteResult(s,
		&runner.TestResult{Test: s.Tests[0], Status: runner.Skip, Reason: runner.ReasonInterrupted},
		&runner.TestResult{Test: s.Tests[1], Status: runner.Skip, Reason: runner.ReasonInterrupted})
	sr.Setup = []*runner.StepResult{login}
	sr.Teardown = []*runner.StepResult{logout}
	sr.Status = runner.Error
	sr.Duration = Ms(930)
	r := Result(sr)
	r.Interrupted = true
	return r
}
