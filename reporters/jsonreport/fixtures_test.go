package jsonreport

import (
	"time"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

var t0 = time.Date(2026, 11, 27, 9, 30, 0, 123_456_789, time.FixedZone("KST", 9*3600))

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// suite builds a spec suite with tests named and placed at the given lines.
func suite(file, name string, tests ...*spec.Test) *spec.Suite {
	s := &spec.Suite{Name: name, File: file, Pos: spec.Pos{File: file, Line: 1, Col: 1}}
	for i, t := range tests {
		t.Suite, t.Index = s, i
		t.Pos.File = file
		s.Tests = append(s.Tests, t)
	}
	return s
}

func test(name string, line int, tags ...string) *spec.Test {
	return &spec.Test{Name: name, Pos: spec.Pos{Line: line, Col: 5}, Tags: tags, Deadline: 2 * time.Minute}
}

func step(file, name string, line int) *spec.Step {
	return &spec.Step{Name: name, Pos: spec.Pos{File: file, Line: line, Col: 7}}
}

func passAttempt(id string, d time.Duration) *runner.Attempt {
	return &runner.Attempt{Status: runner.Pass, Start: t0, Duration: d, Package: "shop", Action: "hello", HTTPStatus: 200, ActivationID: id}
}

func info() runner.RunInfo {
	return runner.RunInfo{Version: "0.1.0", Endpoint: "https://cloudfunctions.apigw.ntruss.com/api/v2", Parallel: 8}
}

func single(t *spec.Test, st runner.Status, d time.Duration, atts ...*runner.Attempt) *runner.TestResult {
	if len(t.Steps) == 0 {
		t.Steps = []*spec.Step{step(t.Pos.File, "shop/hello", t.Pos.Line+1)}
	}
	sr := &runner.StepResult{Step: t.Steps[0], Status: st, Start: t0, Duration: d, Attempts: atts}
	return &runner.TestResult{Test: t, Status: st, Start: t0, Duration: d, Steps: []*runner.StepResult{sr}}
}

func result(suites ...*runner.SuiteResult) *runner.Result {
	return &runner.Result{Info: info(), Start: t0, Duration: ms(1520), Suites: suites}
}

func suiteResult(s *spec.Suite, tests ...*runner.TestResult) *runner.SuiteResult {
	sr := &runner.SuiteResult{Suite: s, Start: t0, Tests: tests}
	for _, t := range tests {
		sr.Status = sr.Status.Merge(t.Status)
		sr.Duration += t.Duration
	}
	return sr
}

// fixtures are the results the golden files are made of, by name.
func fixtures() map[string]*runner.Result {
	const f = "specs/hello.yaml"
	out := map[string]*runner.Result{}

	{
		s := suite(f, "hello", test("greets by name", 4, "smoke"), test("greets the world", 12))
		out["pass"] = result(suiteResult(s,
			single(s.Tests[0], runner.Pass, ms(120), passAttempt("a1b2c3d4e5f60718293a4b5c6d7e8f90", ms(118))),
			single(s.Tests[1], runner.Pass, 1500*time.Microsecond, passAttempt("0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c", ms(1))),
		))
	}
	{
		s := suite(f, "hello", test("answers in Korean", 4, "i18n"))
		a := &runner.Attempt{
			Status: runner.Fail, Start: t0, Duration: ms(240), Package: "shop", Action: "hello", Platform: "vpc",
			HTTPStatus: 200, ActivationID: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
			Failures: []*runner.Failure{
				{Pos: spec.Pos{File: f, Line: 9, Col: 11}, Key: "result", Path: "$.greeting", Op: "equals",
					Expected: `"안녕하세요"`, Actual: `"hello"`, Node: "$['greeting']", Diff: `-"안녕하세요" +"hello"`,
					Reason: "values differ", Message: "the greeting must be in Korean"},
				{Pos: spec.Pos{File: f, Line: 11, Col: 11}, Key: "assert", Path: "$.items", Op: "subset",
					Expected: `{"a": [1, 2], "b": null}`, Actual: `{"a":[1,3],"b":null,"c":"<x>&"}`, Node: "$['items']", Pointer: "/a/1",
					Diff: "-2\n+3", Reason: "not a subset"},
				{Pos: spec.Pos{File: f, Line: 13, Col: 11}, Key: "assert", Path: "$.log", Op: "contains",
					Expected: `"ok"`, Actual: `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…(truncated)`, Reason: "no element contains \"ok\""},
			},
			Exchange: &runner.Exchange{
				Request:  "POST https://cloudfunctions.apigw.ntruss.com/api/v2/packages/shop/actions/hello?blocking=true\nx-ncp-apigw-api-key: ***\nx-ncp-iam-access-key: ***\n\n{\"name\":\"Kim\"}",
				Response: "HTTP 200\nContent-Type: application/json\n\n{\"greeting\":\"hello\"}",
			},
		}
		out["fail"] = result(suiteResult(s, single(s.Tests[0], runner.Fail, ms(250), a)))
	}
	{
		s := suite(f, "hello", test("slow action", 4))
		a := &runner.Attempt{Status: runner.Error, Start: t0, Duration: ms(30000), Package: "shop", Action: "slow",
			HTTPStatus: 202, ActivationID: "deadbeefdeadbeefdeadbeefdeadbeef", Polls: 14,
			Err:  "deadline of 30s reached while polling activation deadbeefdeadbeefdeadbeefdeadbeef",
			Hint: "raise the test's deadline, or the step's timeout if the action is meant to be slow"}
		tr := single(s.Tests[0], runner.Error, ms(30005), a)
		tr.Reason = a.Err
		tr.Steps[0].Reason = a.Err
		out["error"] = result(suiteResult(s, tr))
	}
	{
		t1 := test("not yet", 4)
		t1.Skip = "the action is not deployed yet"
		s := suite(f, "hello", t1, test("greets", 10))
		skipped := &runner.TestResult{Test: t1, Status: runner.Skip, Reason: t1.Skip}
		out["skip"] = result(suiteResult(s, skipped, single(s.Tests[1], runner.Pass, ms(80), passAttempt("11112222333344445555666677778888", ms(79)))))
	}
	{
		const fo = "specs/orders.yaml"
		t1 := test("create then fetch", 6)
		t1.MultiStep = true
		t1.Steps = []*spec.Step{step(fo, "create order", 8), step(fo, "fetch order", 14), step(fo, "delete order", 22)}
		for i, st := range t1.Steps {
			st.Index = i
		}
		s := suite(fo, "orders", t1)
		s1 := &runner.StepResult{Step: t1.Steps[0], Status: runner.Pass, Start: t0, Duration: ms(300),
			Attempts: []*runner.Attempt{passAttempt("c0ffee00c0ffee00c0ffee00c0ffee00", ms(299))}}
		fa := &runner.Attempt{Status: runner.Fail, Start: t0, Duration: ms(200), Package: "shop", Action: "get-order",
			HTTPStatus: 404, ActivationID: "c0ffee11c0ffee11c0ffee11c0ffee11",
			Failures: []*runner.Failure{{Pos: spec.Pos{File: fo, Line: 18, Col: 9}, Key: "http_status", Op: "equals",
				Expected: "200", Actual: "404", Reason: "status differs"}},
			Exchange: &runner.Exchange{Request: "POST https://x/api/v2/packages/shop/actions/get-order?blocking=true\n\n{\"id\":\"o-1\"}", Response: "HTTP 404\n\n{\"error\":\"not found\"}"}}
		s2 := &runner.StepResult{Step: t1.Steps[1], Status: runner.Fail, Start: t0, Duration: ms(200), Attempts: []*runner.Attempt{fa}}
		s3 := &runner.StepResult{Step: t1.Steps[2], Status: runner.Skip, Reason: "an earlier step failed"}
		tr := &runner.TestResult{Test: t1, Status: runner.Fail, Start: t0, Duration: ms(505), Steps: []*runner.StepResult{s1, s2, s3}}
		out["multistep"] = result(suiteResult(s, tr))
	}
	{
		t1 := test("eventually ready", 4)
		t1.Steps = []*spec.Step{step(f, "shop/ready", 5)}
		t1.Steps[0].Retry = &spec.Retry{Attempts: 3, Delay: time.Second, Backoff: 2}
		s := suite(f, "hello", t1)
		fail := func(id string) *runner.Attempt {
			return &runner.Attempt{Status: runner.Fail, Start: t0, Duration: ms(100), Package: "shop", Action: "ready", HTTPStatus: 200, ActivationID: id,
				Failures: []*runner.Failure{{Pos: spec.Pos{File: f, Line: 8, Col: 9}, Key: "result", Path: "$.ready", Op: "equals", Expected: "true", Actual: "false", Reason: "values differ"}}}
		}
		tr := single(t1, runner.Pass, ms(3320), fail("aaaa0001"), fail("aaaa0002"), passAttempt("aaaa0003", ms(110)))
		out["retries"] = result(suiteResult(s, tr))
	}
	{
		s := suite(f, "hello", test("first", 4), test("second", 10), test("third", 16))
		r := result(suiteResult(s,
			single(s.Tests[0], runner.Pass, ms(90), passAttempt("bbbb0001", ms(88))),
			&runner.TestResult{Test: s.Tests[1], Status: runner.Skip, Reason: runner.ReasonInterrupted},
			&runner.TestResult{Test: s.Tests[2], Status: runner.Skip, Reason: runner.ReasonInterrupted},
		))
		r.Interrupted = true
		r.Info.Shard = "2/3"
		r.Info.Run = "hello/"
		r.Info.Tags = "smoke,!slow"
		out["interrupted"] = r
	}
	{
		const fu = "specs/users.yaml"
		s := suite(fu, "users", test("lists users", 12), test("gets a user", 18))
		s.Setup = []*spec.Step{step(fu, "login", 4)}
		s.Teardown = []*spec.Step{step(fu, "logout", 8)}
		login := &runner.StepResult{Step: s.Setup[0], Status: runner.Error, Start: t0, Duration: ms(40), Reason: "HTTP 401 from the API",
			Attempts: []*runner.Attempt{{Status: runner.Error, Start: t0, Duration: ms(40), Package: "auth", Action: "login", HTTPStatus: 401,
				Err: "HTTP 401 from the API: the request signature was rejected", Hint: "check NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY"}}}
		logout := &runner.StepResult{Step: s.Teardown[0], Status: runner.Pass, Start: t0, Duration: ms(30),
			Attempts: []*runner.Attempt{passAttempt("cccc0001", ms(29))}}
		reason := "setup failed: login: HTTP 401 from the API"
		sr := suiteResult(s,
			&runner.TestResult{Test: s.Tests[0], Status: runner.Skip, Reason: reason},
			&runner.TestResult{Test: s.Tests[1], Status: runner.Skip, Reason: reason})
		sr.Setup = []*runner.StepResult{login}
		sr.Teardown = []*runner.StepResult{logout}
		sr.Status = runner.Error
		sr.Duration = ms(70)
		r := result(sr)
		r.Info.Local = true
		r.Info.Endpoint = "http://127.0.0.1:41234/api/v2"
		out["setup-failure"] = r
	}
	return out
}
