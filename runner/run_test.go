package runner_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/emulator"
	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const testAccess, testSecret = "AKTESTRUNNER0001", "runner-secret-never-printed"

// manifest serves every action the engine tests use.
const manifest = `
namespace: test
packages:
  pkg:
    actions:
      fixed: {result: {payload: abc, n: 3, items: [{id: 1}, {id: 2}]}}
      echo: {builtin: echo}
      counter: {builtin: counter}
      counter2: {builtin: counter}
      apperr: {result: {error: boom}}
      slow: {result: {done: true}, delay: 300ms}
      slower: {result: {done: true}, delay: 3s}
      slowest: {result: {done: true}, delay: 60s}
      vpconly: {result: {ok: true}, platforms: [vpc]}
`

// env is an emulator over real TCP and a signing client pointed at it.
type env struct {
	t      *testing.T
	srv    *httptest.Server
	client *client.Client
	dir    string
}

func newEnv(t *testing.T, wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	dir := t.TempDir()
	m, err := emulator.ParseManifest(filepath.Join(dir, "manifest.yaml"), []byte(manifest))
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	emu := emulator.New(m, emulator.Options{AccessKey: testAccess, SecretKey: testSecret})
	var h http.Handler = emu
	if wrap != nil {
		h = wrap(emu)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	cl, err := client.New(client.Config{
		Endpoint:    srv.URL + "/api/v2",
		Credentials: client.Credentials{AccessKey: testAccess, SecretKey: testSecret, Source: "the test"},
		HTTPClient:  srv.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, client: cl, dir: dir}
}

// load writes files (name → YAML) and loads them.
func (e *env) load(files map[string]string, opts spec.Options) *spec.Project {
	e.t.Helper()
	var names []string
	for name, body := range files {
		p := filepath.Join(e.dir, "specs", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			e.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			e.t.Fatal(err)
		}
		names = append(names, name)
	}
	p, err := spec.Load([]string{filepath.Join(e.dir, "specs")}, opts)
	if err != nil {
		e.t.Fatalf("load: %v", err)
	}
	return p
}

func (e *env) run(ctx context.Context, p *spec.Project, opts runner.Options, h runner.Handler) *runner.Result {
	if opts.PollDelay == 0 {
		opts.PollDelay = 20 * time.Millisecond
	}
	if opts.Secrets == nil {
		opts.Secrets = []string{testSecret}
	}
	opts.AccessKey = testAccess
	return runner.Run(ctx, p, e.client, opts, h)
}

func TestRunOutcomes(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct {
		name     string
		spec     string
		status   runner.Status
		attempts int
		check    func(t *testing.T, tr *runner.TestResult)
	}{
		{
			name: "a smoke test with no expect passes on 200 and success",
			spec: `tests: [{name: t, action: pkg/fixed}]`, status: runner.Pass, attempts: 1,
			check: func(t *testing.T, tr *runner.TestResult) {
				a := tr.Steps[0].Attempts[0]
				if a.HTTPStatus != 200 || len(a.ActivationID) != 32 {
					t.Errorf("attempt = HTTP %d, activation %q; want 200 and a 32-hex id", a.HTTPStatus, a.ActivationID)
				}
				if a.LastExchange() != nil {
					t.Errorf("a passing attempt kept its exchange without --verbose")
				}
			},
		},
		{
			name: "a result subset that holds passes",
			spec: `tests: [{name: t, action: pkg/fixed, expect: {result: {payload: abc}}}]`, status: runner.Pass, attempts: 1,
		},
		{
			name:   "a false assertion fails with its position, path, expected and actual",
			spec:   "tests:\n  - name: t\n    action: pkg/fixed\n    expect:\n      assert:\n        - path: content.response.result.payload\n          equals: xyz\n          message: the payload must be xyz\n",
			status: runner.Fail, attempts: 1,
			check: func(t *testing.T, tr *runner.TestResult) {
				_, a := tr.Decisive()
				if a == nil || len(a.Failures) != 1 {
					t.Fatalf("want one failure, got %+v", a)
				}
				f := a.Failures[0]
				if f.Pos.Line != 6 || !strings.HasSuffix(f.Pos.File, "t.yaml") {
					t.Errorf("failure at %s, want t.yaml line 6 (the assert item)", f.Pos)
				}
				if f.Path != "content.response.result.payload" || f.Op != "equals" || f.Expected != `"xyz"` || f.Actual != `"abc"` || f.Message != "the payload must be xyz" {
					t.Errorf("failure = %+v", f)
				}
				if a.LastExchange() == nil || !strings.Contains(a.LastExchange().Response, `"payload":"abc"`) {
					t.Errorf("a failed attempt must keep its exchange, got %+v", a.LastExchange())
				}
			},
		},
		{
			name:   "an application error expected as such passes",
			spec:   `tests: [{name: t, action: pkg/apperr, expect: {status: application error, success: false, result: {error: boom}}}]`,
			status: runner.Pass, attempts: 1,
		},
		{
			name: "a missing action fails on http_status with the API's error code",
			spec: `tests: [{name: t, action: pkg/nothere}]`, status: runner.Fail, attempts: 1,
			check: func(t *testing.T, tr *runner.TestResult) {
				_, a := tr.Decisive()
				f := a.Failures[0]
				if f.Key != "http_status" || f.Actual != "404" || !strings.Contains(f.Reason, "80301") {
					t.Errorf("failure = %+v, want http_status 404 naming 80301", f)
				}
			},
		},
		{
			name: "a missing action expected by error code passes",
			spec: `tests: [{name: t, action: pkg/nothere, expect: {error: {errorCode: 80301}}}]`, status: runner.Pass, attempts: 1,
		},
		{
			name:   "a platform mismatch is reported by the API",
			spec:   `tests: [{name: t, action: pkg/vpconly, platform: classic, expect: {http_status: 400, error: {errorCode: "80302"}}}]`,
			status: runner.Pass, attempts: 1,
		},
		{
			name: "skip reports the reason and sends nothing",
			spec: `tests: [{name: t, action: pkg/nothere, skip: waiting for the fix}]`, status: runner.Skip, attempts: 0,
			check: func(t *testing.T, tr *runner.TestResult) {
				if tr.Reason != "waiting for the fix" {
					t.Errorf("reason = %q", tr.Reason)
				}
			},
		},
		{
			name: "captures flow from one step to the next",
			spec: `
tests:
  - name: t
    steps:
      - action: pkg/echo
        params: {id: 42, name: first}
        capture: {id: content.response.result.id}
      - action: pkg/echo
        params: {previous: "${id}", label: "id=${id}"}
        expect:
          result: {previous: 42, label: id=42}
`, status: runner.Pass, attempts: 2,
		},
		{
			name: "a failing step skips the steps after it",
			spec: `
tests:
  - name: t
    steps:
      - {action: pkg/fixed, expect: {result: {payload: nope}}}
      - {action: pkg/fixed}
`, status: runner.Fail, attempts: 1,
			check: func(t *testing.T, tr *runner.TestResult) {
				if tr.Steps[1].Status != runner.Skip || tr.Steps[1].Reason == "" {
					t.Errorf("second step = %v %q, want skipped with a reason", tr.Steps[1].Status, tr.Steps[1].Reason)
				}
			},
		},
		{
			name: "retry re-runs until the expectations hold and keeps every attempt",
			spec: `
tests:
  - name: t
    action: pkg/counter
    retry: {attempts: 5, delay: 5ms}
    expect:
      assert: [{path: content.response.result.count, gte: 3}]
`, status: runner.Pass, attempts: 3,
			check: func(t *testing.T, tr *runner.TestResult) {
				at := tr.Steps[0].Attempts
				if at[0].Status != runner.Fail || at[1].Status != runner.Fail || at[2].Status != runner.Pass {
					t.Errorf("attempt statuses = %v %v %v, want fail fail pass", at[0].Status, at[1].Status, at[2].Status)
				}
			},
		},
		{
			name: "retry gives up after its attempts with the last failure",
			spec: `
tests:
  - name: t
    action: pkg/counter2
    retry: {attempts: 2, delay: 1ms}
    expect:
      assert: [{path: content.response.result.count, gte: 100}]
`, status: runner.Fail, attempts: 2,
		},
		{
			name: "an action that outlives timeout is polled to its result",
			spec: `tests: [{name: t, action: pkg/slow, timeout: 20ms, expect: {result: {done: true}}}]`, status: runner.Pass, attempts: 1,
			check: func(t *testing.T, tr *runner.TestResult) {
				a := tr.Steps[0].Attempts[0]
				if a.Polls < 1 || a.ActivationID == "" {
					t.Errorf("polls = %d, activation %q; want at least one poll of a known activation", a.Polls, a.ActivationID)
				}
			},
		},
		{
			name: "the deadline ends polling with an error that says so",
			spec: `tests: [{name: t, action: pkg/slower, timeout: 10ms, deadline: 200ms}]`, status: runner.Error, attempts: 1,
			check: func(t *testing.T, tr *runner.TestResult) {
				_, a := tr.Decisive()
				if !strings.Contains(a.Err, "deadline of 200ms") || a.Hint == "" {
					t.Errorf("error = %q, hint %q", a.Err, a.Hint)
				}
			},
		},
		{
			name: "the deadline ends a request in flight with an error that says so, not as an interruption",
			spec: `tests: [{name: t, action: pkg/slower, timeout: 10s, deadline: 200ms}]`, status: runner.Error, attempts: 1,
			check: func(t *testing.T, tr *runner.TestResult) {
				_, a := tr.Decisive()
				if a.Err != "deadline of 200ms exceeded while waiting for the API" || tr.Reason == runner.ReasonInterrupted {
					t.Errorf("error = %q, test reason %q", a.Err, tr.Reason)
				}
				// The error above says the deadline cut the call (the action
				// takes 3s); no upper bound on the time, which a loaded
				// machine could exceed: only that it did not end early.
				if a.Duration < 200*time.Millisecond {
					t.Errorf("the attempt took %s; want it to last until the 200ms deadline", a.Duration)
				}
			},
		},
		{
			name: "a captured value unfit for its operator is an error at the check's position, given once, with a hint",
			spec: `
tests:
  - name: t
    steps:
      - action: pkg/echo
        params: {n: "abc"}
        capture: {n: content.response.result.n}
      - action: pkg/fixed
        expect:
          assert:
            - path: content.response.result.n
              gte: ${n}
`, status: runner.Error, attempts: 2,
			check: func(t *testing.T, tr *runner.TestResult) {
				_, a := tr.Decisive()
				const want = `t.yaml:11:15: assert: gte: needs a number or an RFC 3339 timestamp, got a string ("abc")`
				if !strings.HasSuffix(a.Err, "/"+want) || strings.Count(a.Err, "t.yaml:") != 1 || a.Hint == "" {
					t.Errorf("error %q, hint %q; want the path then %q once, and a hint", a.Err, a.Hint, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := &env{t: t, srv: e.srv, client: e.client, dir: t.TempDir()}
			p := sub.load(map[string]string{"t.yaml": tt.spec}, spec.Options{})
			res := sub.run(context.Background(), p, runner.Options{}, nil)
			tr := res.Suites[0].Tests[0]
			if tr.Status != tt.status {
				_, a := tr.Decisive()
				t.Fatalf("status = %v (%s), want %v; decisive attempt: %+v", tr.Status, tr.Reason, tt.status, a)
			}
			if got := tr.Attempts(); got != tt.attempts {
				t.Errorf("attempts = %d, want %d", got, tt.attempts)
			}
			if tt.check != nil {
				tt.check(t, tr)
			}
		})
	}
}

// recorder is a Handler that keeps every event as "KIND name".
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Event(ev runner.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s string
	switch ev.Kind {
	case runner.RunStarted:
		s = "run-started"
	case runner.TestStarted:
		s = "test-started " + ev.Test.Test.Name
	case runner.TestFinished:
		s = "test-finished " + ev.Test.Test.Name + " " + ev.Test.Status.String()
	case runner.SetupFinished:
		s = "setup-finished " + ev.Suite.Suite.Name
	case runner.TeardownFinished:
		s = "teardown-finished " + ev.Suite.Suite.Name
	case runner.RunFinished:
		s = "run-finished"
	default:
		return
	}
	r.events = append(r.events, s)
}

func index(events []string, prefix string) []int {
	var out []int
	for i, e := range events {
		if strings.HasPrefix(e, prefix) {
			out = append(out, i)
		}
	}
	return out
}

func TestSetupRunsFirstAndTeardownLast(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(map[string]string{"s.yaml": `
suite: s
setup:
  - action: pkg/echo
    params: {token: tok-1}
    capture: {token: content.response.result.token}
teardown:
  - action: pkg/echo
    params: {token: "${token}"}
    expect: {result: {token: tok-1}}
tests:
  - {name: a, action: pkg/echo, params: {t: "${token}"}, expect: {result: {t: tok-1}}}
  - {name: b, action: pkg/echo, params: {t: "${token}"}, expect: {result: {t: tok-1}}}
  - {name: c, action: pkg/slow}
`}, spec.Options{})
	rec := &recorder{}
	res := e.run(context.Background(), p, runner.Options{Parallel: 3}, rec)
	if st := res.Status(); st != runner.Pass {
		t.Fatalf("status = %v; events %v", st, rec.events)
	}
	ev := rec.events
	setup, teardown := index(ev, "setup-finished")[0], index(ev, "teardown-finished")[0]
	for _, i := range index(ev, "test-started") {
		if i < setup {
			t.Errorf("a test started before setup finished: %v", ev)
		}
	}
	for _, i := range index(ev, "test-finished") {
		if i > teardown {
			t.Errorf("a test finished after teardown: %v", ev)
		}
	}
	if len(res.Suites[0].Teardown) != 1 || res.Suites[0].Teardown[0].Status != runner.Pass {
		t.Errorf("teardown did not pass with the setup's capture: %+v", res.Suites[0].Teardown)
	}
}

func TestFailingSetupSkipsTheSuiteAndStillTearsDown(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(map[string]string{"s.yaml": `
suite: s
setup: [{name: seed, action: pkg/fixed, expect: {result: {payload: other}}}]
teardown: [{name: cleanup, action: pkg/fixed}]
tests: [{name: a, action: pkg/fixed}, {name: b, action: pkg/fixed}]
`}, spec.Options{})
	res := e.run(context.Background(), p, runner.Options{}, nil)
	sr := res.Suites[0]
	for _, tr := range sr.Tests {
		if tr.Status != runner.Skip || !strings.HasPrefix(tr.Reason, "setup failed: seed") {
			t.Errorf("%s = %v %q, want skipped because setup failed", tr.Test.Name, tr.Status, tr.Reason)
		}
	}
	if sr.Status != runner.Error || res.Status() != runner.Error {
		t.Errorf("suite status = %v, run %v; want error so the run fails", sr.Status, res.Status())
	}
	if len(sr.Teardown) != 1 || sr.Teardown[0].Status != runner.Pass {
		t.Errorf("teardown after a failed setup = %+v, want it run", sr.Teardown)
	}
}

func TestResultsKeepInputOrderWhateverTheCompletionOrder(t *testing.T) {
	e := newEnv(t, nil)
	var b strings.Builder
	b.WriteString("tests:\n")
	names := []string{}
	for i := 0; i < 24; i++ {
		action := "pkg/fixed"
		if i%3 == 0 {
			action = "pkg/slow" // finishes after the ones behind it
		}
		name := "t" + string(rune('a'+i))
		names = append(names, name)
		b.WriteString("  - {name: " + name + ", action: " + action + "}\n")
	}
	p := e.load(map[string]string{"o.yaml": b.String()}, spec.Options{})
	rec := &recorder{}
	res := e.run(context.Background(), p, runner.Options{Parallel: 24}, rec)
	var got []string
	for _, tr := range res.Suites[0].Tests {
		got = append(got, tr.Test.Name)
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("result order = %v, want input order %v", got, names)
	}
	finished := index(rec.events, "test-finished")
	if len(finished) != 24 {
		t.Fatalf("%d test-finished events, want 24", len(finished))
	}
	completion := []string{}
	for _, i := range finished {
		completion = append(completion, strings.Fields(rec.events[i])[1])
	}
	if sort.StringsAreSorted(completion) {
		t.Errorf("events came in input order; the slow tests should have finished last: %v", completion)
	}
}

func TestFailFastSkipsTheTestsNotStarted(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(map[string]string{"f.yaml": `
tests:
  - {name: a, action: pkg/fixed, expect: {result: {payload: wrong}}}
  - {name: b, action: pkg/fixed}
  - {name: c, action: pkg/fixed}
`}, spec.Options{})
	res := e.run(context.Background(), p, runner.Options{Parallel: 1, FailFast: true}, nil)
	st := res.Suites[0].Tests
	if st[0].Status != runner.Fail {
		t.Fatalf("a = %v, want fail", st[0].Status)
	}
	for _, tr := range st[1:] {
		if tr.Status != runner.Skip || !strings.Contains(tr.Reason, "--fail-fast") {
			t.Errorf("%s = %v %q, want skipped by --fail-fast", tr.Test.Name, tr.Status, tr.Reason)
		}
	}
}

// Audit E6: --fail-fast stops starting tests after the first failure, and
// a suite's setup or teardown that fails is one (an errored result in
// every count), as a test that fails is: the next suite's tests are
// skipped. Without --fail-fast they run.
func TestFailFastStopsAfterAFailedSetupOrTeardown(t *testing.T) {
	const failing = "{name: seed, action: pkg/fixed, expect: {result: {payload: other}}}"
	for _, tc := range []struct {
		name, suiteA string
		failFast     bool
		want         runner.Status // b's test
	}{
		{"a failed setup", "setup: [" + failing + "]", true, runner.Skip},
		{"a failed teardown", "teardown: [" + failing + "]", true, runner.Skip},
		{"a failed setup, without --fail-fast", "setup: [" + failing + "]", false, runner.Pass},
		{"a failed teardown, without --fail-fast", "teardown: [" + failing + "]", false, runner.Pass},
		{"a setup and teardown that pass", "setup: [{action: pkg/fixed}]\nteardown: [{action: pkg/fixed}]", true, runner.Pass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			p := e.load(map[string]string{
				"a.yaml": "suite: a\n" + tc.suiteA + "\ntests: [{name: t, action: pkg/fixed}]\n",
				"b.yaml": "suite: b\ntests: [{name: t, action: pkg/fixed}]\n",
			}, spec.Options{})
			res := e.run(context.Background(), p, runner.Options{Parallel: 1, FailFast: tc.failFast}, nil)
			if len(res.Suites) != 2 || res.Suites[1].Suite.Name != "b" {
				t.Fatalf("suites %+v, want a then b", res.Suites)
			}
			b := res.Suites[1].Tests[0]
			if b.Status != tc.want {
				t.Errorf("b › t = %v %q, want %v", b.Status, b.Reason, tc.want)
			} else if tc.want == runner.Skip && !strings.Contains(b.Reason, "--fail-fast") {
				t.Errorf("b › t skipped for %q, want --fail-fast", b.Reason)
			}
		})
	}
}

// Issue 11, point 5: a test whose request was sent when the run was
// interrupted is Interrupted (the action may have run), not skipped; a test
// never started is skipped; the run is Interrupted in every report.
func TestInterruptedTestsThatSentTheirRequestAreInterrupted(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(map[string]string{"i.yaml": `
suite: i
teardown: [{name: cleanup, action: pkg/fixed}]
tests:
  - {name: quick, action: pkg/fixed}
  - {name: long1, action: pkg/slowest}
  - {name: long2, action: pkg/slowest}
  - {name: never, action: pkg/fixed}
`}, spec.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	h := runner.HandlerFunc(func(ev runner.Event) {
		if ev.Kind == runner.TestStarted && ev.Test.Test.Name == "long2" {
			go func() {
				time.Sleep(50 * time.Millisecond)
				cancel()
			}()
		}
	})
	start := time.Now()
	res := e.run(ctx, p, runner.Options{Parallel: 2}, h)
	// The long actions take 60s: a run that waited for them, rather than
	// cancelling them, is told apart with a margin no loaded machine eats.
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Errorf("the interrupted run took %v: in-flight calls were not cancelled", elapsed)
	}
	if !res.Interrupted {
		t.Error("Result.Interrupted is false")
	}
	got := map[string]string{}
	for _, tr := range res.Suites[0].Tests {
		got[tr.Test.Name] = tr.Status.String() + " " + tr.Reason
	}
	inFlight := "interrupted " + runner.ReasonMayHaveRun
	want := map[string]string{"quick": "pass ", "long1": inFlight, "long2": inFlight, "never": "skip interrupted"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if res.Status() != runner.Interrupted || res.Counts().Interrupted != 2 {
		t.Errorf("run status %v with %d tests interrupted; want interrupted, 2", res.Status(), res.Counts().Interrupted)
	}
	if rep := jsonreport.New(res); rep.Status != "interrupted" || rep.Counts.Interrupted != 2 {
		t.Errorf("JSON report status %q, counts %+v; want interrupted, 2 interrupted", rep.Status, rep.Counts)
	}
	if td := res.Suites[0].Teardown; len(td) != 1 || td[0].Status != runner.Pass {
		t.Errorf("teardown after the interrupt = %+v, want it run and passed", td)
	}
}

// Audit E7: a setup whose request was sent when the run was interrupted is
// an interrupted result, not a failed setup, in the runner's counts and so
// in every report's: the JSON report's too.
func TestAnInterruptedSetupIsCountedInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := newEnv(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "slowest") {
				cancel() // the setup's request has arrived: interrupt the run
			}
			h.ServeHTTP(w, r)
		})
	})
	p := e.load(map[string]string{"i.yaml": `
suite: i
setup: [{name: seed, action: pkg/slowest}]
tests: [{name: a, action: pkg/fixed}, {name: b, action: pkg/fixed}]
`}, spec.Options{})
	res := e.run(ctx, p, runner.Options{Parallel: 1}, nil)
	sr := res.Suites[0]
	if st, _ := runner.Phase(sr.Setup); !res.Interrupted || st != runner.Interrupted {
		t.Fatalf("run interrupted %v, setup %v; want an interrupted run and setup", res.Interrupted, st)
	}
	want := runner.Counts{Total: 3, Skipped: 2, Interrupted: 1, InterruptedFixtures: 1}
	if got := res.Counts(); got != want {
		t.Errorf("counts %+v, want %+v (the setup interrupted, not errored)", got, want)
	}
	if rep := jsonreport.New(res); rep.Counts.Errored != 0 || rep.Counts.Interrupted != 1 || rep.Counts.Total != 3 {
		t.Errorf("JSON counts %+v, want 3 total, 1 interrupted, 0 errored", rep.Counts)
	}
}

func TestAuthFailureNamesTheKeyNeverTheSecret(t *testing.T) {
	e := newEnv(t, nil)
	bad, err := client.New(client.Config{
		Endpoint:    e.srv.URL + "/api/v2",
		Credentials: client.Credentials{AccessKey: testAccess, SecretKey: "wrong-secret-value", Source: "the test env"},
	})
	if err != nil {
		t.Fatal(err)
	}
	p := e.load(map[string]string{"a.yaml": `tests: [{name: t, action: pkg/fixed}]`}, spec.Options{})
	res := runner.Run(context.Background(), p, bad, runner.Options{
		AccessKey: testAccess, CredentialSource: "the test env", Secrets: []string{"wrong-secret-value"},
	}, nil)
	_, a := res.Suites[0].Tests[0].Decisive()
	if a == nil || a.Status != runner.Error {
		t.Fatalf("attempt = %+v, want an error", a)
	}
	if !strings.Contains(a.Err, "authentication failed (HTTP 401") || !strings.Contains(a.Err, "AKTE…") || !strings.Contains(a.Err, "the test env") {
		t.Errorf("error = %q, want the 401, the shortened key and where it came from", a.Err)
	}
	all := a.Err + a.Hint + a.LastExchange().Request + a.LastExchange().Response
	if strings.Contains(all, "wrong-secret-value") || strings.Contains(all, testAccess) {
		t.Errorf("the secret or the whole access key leaked: %s", all)
	}
}

func TestSecretsAreRedactedFromResults(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(map[string]string{"s.yaml": `
vars: {token: s3cr3t-t0ken-value}
tests:
  - name: t
    action: pkg/echo
    params: {auth: "${token}"}
    expect: {result: {auth: something-else}}
`}, spec.Options{Secrets: []string{"token"}})
	res := e.run(context.Background(), p, runner.Options{Secrets: append([]string{testSecret}, p.Secrets...), Verbose: true}, nil)
	_, a := res.Suites[0].Tests[0].Decisive()
	if a == nil || len(a.Failures) == 0 {
		t.Fatalf("want a failure")
	}
	f := a.Failures[0]
	for _, s := range []string{f.Actual, f.Expected, f.Diff, f.Reason, a.LastExchange().Request, a.LastExchange().Response} {
		if strings.Contains(s, "s3cr3t-t0ken-value") {
			t.Errorf("secret value in the result: %q", s)
		}
	}
	// The signature header is always masked: look where the secret itself
	// went, the request body and the echoed result.
	if !strings.Contains(a.LastExchange().Request, `{"auth":"***"}`) || !strings.Contains(a.LastExchange().Response, `"auth":"***"`) {
		t.Errorf("request or response does not show the secret redacted in place:\n%s\n%s", a.LastExchange().Request, a.LastExchange().Response)
	}
}

func TestNonJSONResponseIsAnError(t *testing.T) {
	e := newEnv(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "/html") {
				w.Header().Set("Content-Type", "text/html")
				_, _ = w.Write([]byte("<html><body>502 Bad Gateway</body></html>"))
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	p := e.load(map[string]string{"h.yaml": `tests: [{name: t, action: pkg/html}]`}, spec.Options{})
	res := e.run(context.Background(), p, runner.Options{}, nil)
	tr := res.Suites[0].Tests[0]
	_, a := tr.Decisive()
	if tr.Status != runner.Error || !a.MayHaveRun || !strings.Contains(a.Err, "HTTP 200 with a text/html body") || !strings.Contains(a.Err, "502 Bad Gateway") {
		t.Errorf("status %v, may have run %v, error %q; want an error that may have run, naming the body and quoting it", tr.Status, a.MayHaveRun, a.Err)
	}
}

func TestTransportFailureIsAnError(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(map[string]string{"x.yaml": `tests: [{name: t, action: pkg/fixed}]`}, spec.Options{})
	closed := httptest.NewServer(http.NotFoundHandler())
	url := closed.URL
	closed.Close()
	cl, err := client.New(client.Config{Endpoint: url + "/api/v2", Credentials: client.Credentials{AccessKey: testAccess, SecretKey: testSecret}, MaxRetries: 1, RetryDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	res := runner.Run(context.Background(), p, cl, runner.Options{}, nil)
	tr := res.Suites[0].Tests[0]
	_, a := tr.Decisive()
	if tr.Status != runner.Error || a.Err == "" || !strings.Contains(a.Hint, "--endpoint") {
		t.Errorf("status %v, error %q, hint %q", tr.Status, a.Err, a.Hint)
	}
}

func TestCapturedSecretsAreRedactedFromTheMomentTheyAreCaptured(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(map[string]string{"c.yaml": `
tests:
  - name: t
    steps:
      - action: pkg/echo
        params: {session: sess-9f8e7d6c5b4a}
        capture: {session: content.response.result.session}
      - action: pkg/echo
        params: {auth: "${session}"}
        expect: {result: {auth: something-else}}
`}, spec.Options{Secrets: []string{"session"}})
	res := e.run(context.Background(), p, runner.Options{Verbose: true}, nil)
	tr := res.Suites[0].Tests[0]
	if tr.Status != runner.Fail {
		t.Fatalf("status = %v, want fail", tr.Status)
	}
	var all []string
	for _, st := range tr.Steps {
		for _, a := range st.Attempts {
			all = append(all, a.Err, a.LastExchange().Request, a.LastExchange().Response)
			for _, f := range a.Failures {
				all = append(all, f.Expected, f.Actual, f.Diff, f.Reason)
			}
		}
	}
	joined := strings.Join(all, "\n")
	if strings.Contains(joined, "sess-9f8e7d6c5b4a") {
		t.Errorf("the captured secret leaked:\n%s", joined)
	}
	if !strings.Contains(joined, `"auth":"***"`) {
		t.Errorf("the second step's request does not show the redaction:\n%s", joined)
	}
}

// The clock is read once per attempt, so the timings must still nest: a
// test's first step starts with the test, each step when the one before it
// ended, each attempt within its step (the retry delay between them), and
// the test ends with its last step run.
func TestTimingsNest(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(map[string]string{"t.yaml": `
tests:
  - name: t
    steps:
      - name: retried
        action: pkg/counter
        retry: {attempts: 3, delay: 20ms}
        expect:
          assert: [{path: content.response.result.count, gte: 3}]
      - name: slow
        action: pkg/slow
      - name: fails
        action: pkg/fixed
        expect: {result: {payload: nope}}
      - name: skipped
        action: pkg/fixed
`}, spec.Options{})
	res := e.run(context.Background(), p, runner.Options{Parallel: 1}, nil)
	tr := res.Suites[0].Tests[0]
	if tr.Status != runner.Fail || len(tr.Steps) != 4 || len(tr.Steps[0].Attempts) != 3 {
		t.Fatalf("test = %v with %d steps, %d attempts of the first; want a failure after 3 attempts of the first step", tr.Status, len(tr.Steps), len(tr.Steps[0].Attempts))
	}
	end := func(start time.Time, d time.Duration) time.Time { return start.Add(d) }
	at := tr.Start
	for i, st := range tr.Steps[:3] {
		if !st.Start.Equal(at) {
			t.Errorf("step %d starts %s after the previous end; want at it", i, st.Start.Sub(at))
		}
		stepEnd := end(st.Start, st.Duration)
		prev := st.Start
		for j, a := range st.Attempts {
			if a.Start.Before(prev) || end(a.Start, a.Duration).After(stepEnd) || a.Duration <= 0 {
				t.Errorf("step %d attempt %d [%s, +%s] is not within the step [%s, %s] after the previous attempt", i, j, a.Start, a.Duration, st.Start, stepEnd)
			}
			prev = end(a.Start, a.Duration)
		}
		if last := st.Attempts[len(st.Attempts)-1]; !end(last.Start, last.Duration).Equal(stepEnd) {
			t.Errorf("step %d does not end with its last attempt", i)
		}
		at = stepEnd
	}
	if a := tr.Steps[0].Attempts; a[1].Start.Sub(end(a[0].Start, a[0].Duration)) < 10*time.Millisecond {
		t.Errorf("the second attempt started %s after the first ended; want the retry delay (20ms ± jitter) between", a[1].Start.Sub(end(a[0].Start, a[0].Duration)))
	}
	if tr.Steps[1].Duration < 300*time.Millisecond {
		t.Errorf("the slow step took %s; want its action's 300ms", tr.Steps[1].Duration)
	}
	if !end(tr.Start, tr.Duration).Equal(at) {
		t.Errorf("the test ends %s after its last step run; want with it", end(tr.Start, tr.Duration).Sub(at))
	}
	if tr.Steps[3].Status != runner.Skip || len(tr.Steps[3].Attempts) != 0 {
		t.Errorf("the step after the failure = %v with %d attempts; want skipped", tr.Steps[3].Status, len(tr.Steps[3].Attempts))
	}
}

// A 401 has two usual causes, wrong keys and a clock 5 minutes or more off:
// the hint names both, the likelier first, and never blames the clock for
// a wrong secret key (the request's "timeout" is no evidence of either).
func TestAuthHintNamesKeysAndClock(t *testing.T) {
	src := `tests: [{name: t, action: pkg/fixed, timeout: 5s}]`
	for _, tc := range []struct {
		name   string
		secret string
		skew   time.Duration // of the emulator's clock
		first  string        // what the hint puts first
	}{
		{"wrong secret key", "wrong-secret-value", 0, "most likely wrong keys"},
		{"clock ten minutes off", testSecret, 10 * time.Minute, "most likely a clock 5 minutes or more off"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			m, err := emulator.ParseManifest(filepath.Join(dir, "manifest.yaml"), []byte(manifest))
			if err != nil {
				t.Fatal(err)
			}
			emu := emulator.New(m, emulator.Options{AccessKey: testAccess, SecretKey: testSecret,
				Now: func() time.Time { return time.Now().Add(tc.skew) }})
			srv := httptest.NewServer(emu)
			defer srv.Close()
			defer emu.Close()
			cl, err := client.New(client.Config{Endpoint: srv.URL + "/api/v2",
				Credentials: client.Credentials{AccessKey: testAccess, SecretKey: tc.secret}})
			if err != nil {
				t.Fatal(err)
			}
			e := &env{t: t, dir: dir}
			p := e.load(map[string]string{"a.yaml": src}, spec.Options{})
			res := runner.Run(context.Background(), p, cl, runner.Options{AccessKey: testAccess, Secrets: []string{tc.secret}}, nil)
			_, a := res.Suites[0].Tests[0].Decisive()
			if a == nil || a.Status != runner.Error || !strings.Contains(a.Err, "HTTP 401") {
				t.Fatalf("attempt = %+v, want a 401 error", a)
			}
			if !strings.HasPrefix(a.Hint, tc.first) || !strings.Contains(a.Hint, "wrong keys") || !strings.Contains(a.Hint, "NTP") {
				t.Errorf("hint = %q, want it to start %q and name both the keys and the clock", a.Hint, tc.first)
			}
		})
	}
}

// A gateway whose 401 says no more than "Authentication Failed": the Date
// it answers with tells the clock from the keys; without one, the hint
// says how to tell.
func TestAuthHintFromTheDateHeader(t *testing.T) {
	for _, tc := range []struct {
		name  string
		date  []string
		first string
	}{
		{"clock far off", []string{time.Now().Add(-20 * time.Minute).UTC().Format(http.TimeFormat)}, "most likely a clock 5 minutes or more off"},
		{"clock right", []string{time.Now().UTC().Format(http.TimeFormat)}, "most likely wrong keys"},
		{"no Date", nil, "either wrong keys"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header()["Date"] = tc.date
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusUnauthorized)
					_, _ = io.WriteString(w, `{"error":{"errorCode":"200","message":"Authentication Failed"}}`)
				})
			})
			p := e.load(map[string]string{"a.yaml": `tests: [{name: t, action: pkg/fixed}]`}, spec.Options{})
			res := e.run(context.Background(), p, runner.Options{}, nil)
			_, a := res.Suites[0].Tests[0].Decisive()
			if a == nil || !strings.HasPrefix(a.Hint, tc.first) || !strings.Contains(a.Hint, "wrong keys") || !strings.Contains(a.Hint, "NTP") {
				t.Errorf("attempt %+v: want a hint starting %q naming both causes", a, tc.first)
			}
		})
	}
}
