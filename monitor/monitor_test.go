package monitor

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/specrun/specrun/internal/faultgw"
	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

func labels(file, suite, test string) map[string]string {
	return map[string]string{"file": file, "suite": suite, "test": test}
}

func TestEachTestIsUpOrDown(t *testing.T) {
	h := start(t, Config{Paths: []string{"testdata/specs", "testdata/more/setup.yaml"},
		Load: loader("testdata/specs", "testdata/more/setup.yaml"), Run: realRun(startEmulator(t))})
	if r := h.run(); r == nil {
		t.Fatalf("the first run did not start:\n%s", h.log)
	}
	fams := h.metrics()
	for _, c := range []struct {
		series map[string]string
		up     float64
	}{
		{labels(filepath.Join("testdata", "specs", "ok.yaml"), "ok", "hello answers"), 1},
		{labels(filepath.Join("testdata", "specs", "ok.yaml"), "ok", "echo echoes"), 1},
		{labels(filepath.Join("testdata", "specs", "down.yaml"), "down", "hello changed"), 0},
		// A failed setup keeps its tests from running: they are down.
		{labels(filepath.Join("testdata", "more", "setup.yaml"), "broken setup", "needs the setup"), 0},
	} {
		if got, ok := value(fams, "specrun_test_up", c.series); !ok || got != c.up {
			t.Errorf("specrun_test_up%v = %v (exported: %t), want %v", c.series, got, ok, c.up)
		}
		if got, _ := value(fams, "specrun_test_consecutive_failures", c.series); got != 1-c.up {
			t.Errorf("specrun_test_consecutive_failures%v = %v, want %v", c.series, got, 1-c.up)
		}
		if _, ok := value(fams, "specrun_test_last_run_timestamp_seconds", c.series); !ok {
			t.Errorf("no specrun_test_last_run_timestamp_seconds%v", c.series)
		}
		if _, ok := value(fams, "specrun_test_last_success_timestamp_seconds", c.series); ok != (c.up == 1) {
			t.Errorf("specrun_test_last_success_timestamp_seconds%v exported: %t", c.series, ok)
		}
	}
	if n, _ := value(fams, "specrun_test_duration_seconds", labels(filepath.Join("testdata", "specs", "ok.yaml"), "ok", "hello answers")); n != 1 {
		t.Errorf("the duration histogram of a passing test has %v samples, want 1", n)
	}
	// A test skipped on purpose says nothing about the function.
	if _, ok := value(fams, "specrun_test_up", map[string]string{"test": "not yet"}); ok {
		t.Error("a skipped test has an up series")
	}
	for name, want := range map[string]float64{"specrun_runs_started_total": 1, "specrun_runs_skipped_total": 0, "specrun_runs_failed_to_start_total": 0, "specrun_run_duration_seconds": 1, "specrun_monitor_interval_seconds": 60} {
		if got, ok := value(fams, name, nil); !ok || got != want {
			t.Errorf("%s = %v (exported: %t), want %v", name, got, ok, want)
		}
	}
	for status, want := range map[string]float64{"pass": 2, "fail": 1, "skip": 2, "error": 0} {
		if got, _ := value(fams, "specrun_run_tests", map[string]string{"status": status}); got != want {
			t.Errorf("specrun_run_tests{status=%q} = %v, want %v", status, got, want)
		}
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes"} {
		if _, ok := fams[name]; !ok {
			t.Errorf("no %s: the Go and process collectors are missing", name)
		}
	}

	// The next run adds to the same series.
	h.tick()
	h.run()
	fams = h.metrics()
	down := labels(filepath.Join("testdata", "specs", "down.yaml"), "down", "hello changed")
	if got, _ := value(fams, "specrun_test_consecutive_failures", down); got != 2 {
		t.Errorf("after two failed runs specrun_test_consecutive_failures = %v, want 2", got)
	}
	if got, _ := value(fams, "specrun_runs_started_total", nil); got != 2 {
		t.Errorf("specrun_runs_started_total = %v after two runs", got)
	}
}

func TestATickDuringARunIsSkipped(t *testing.T) {
	run := realRun(startEmulator(t))
	gate := make(chan struct{})
	h := start(t, Config{Load: loader("testdata/specs"), Run: func(ctx context.Context, p *spec.Project, started func()) (*runner.Result, error) {
		<-gate
		return run(ctx, p, started)
	}})
	h.tick() // the first run waits at the gate
	h.tick()
	if got, _ := value(h.metrics(), "specrun_runs_skipped_total", nil); got != 2 {
		t.Errorf("specrun_runs_skipped_total = %v after two ticks during a run, want 2", got)
	}
	close(gate)
	h.run()
	h.tick()
	h.run()
	fams := h.metrics()
	if got, _ := value(fams, "specrun_runs_started_total", nil); got != 2 {
		t.Errorf("specrun_runs_started_total = %v, want 2", got)
	}
	if got, _ := value(fams, "specrun_runs_skipped_total", nil); got != 2 {
		t.Errorf("specrun_runs_skipped_total = %v, want 2", got)
	}
	if !strings.Contains(h.log.String(), "run skipped") {
		t.Errorf("the skip is not logged:\n%s", h.log)
	}
}

func TestARunThatCannotStartDoesNotStopTheLoop(t *testing.T) {
	run := realRun(startEmulator(t))
	fail := true
	h := start(t, Config{Load: loader("testdata/specs"), Run: func(ctx context.Context, p *spec.Project, started func()) (*runner.Result, error) {
		if fail {
			return nil, errors.New("no credentials: set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY")
		}
		return run(ctx, p, started)
	}})
	if r := h.run(); r != nil {
		t.Fatal("the failing start produced a result")
	}
	if code, _ := h.get("/"); code != http.StatusServiceUnavailable {
		t.Errorf("/ before any finished run: HTTP %d, want 503", code)
	}
	fail = false // runs never overlap: the next starts after this write
	h.tick()
	if r := h.run(); r == nil {
		t.Fatal("the loop did not run again after a run failed to start")
	}
	fams := h.metrics()
	if got, _ := value(fams, "specrun_runs_failed_to_start_total", nil); got != 1 {
		t.Errorf("specrun_runs_failed_to_start_total = %v, want 1", got)
	}
	if got, _ := value(fams, "specrun_runs_started_total", nil); got != 1 {
		t.Errorf("specrun_runs_started_total = %v, want 1", got)
	}
	if !strings.Contains(h.log.String(), "NCLOUD_ACCESS_KEY") {
		t.Errorf("the reason is not logged:\n%s", h.log)
	}
}

func TestReloadKeepsTheLastGoodSet(t *testing.T) {
	dir := copyDir(t, "testdata/specs")
	h := start(t, Config{Paths: []string{dir}, Load: loader(dir), Run: realRun(startEmulator(t))})
	h.run()
	okFile := filepath.Join(dir, "ok.yaml")
	hello := labels(okFile, "ok", "hello answers")

	// A broken file is refused: the last good set runs on.
	if err := os.WriteFile(okFile, []byte("suite: ok\ntests:\n  - name: hello answers\n    acton: hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.tick()
	if r := h.run(); r == nil || r.Counts().Passed != 2 {
		t.Fatalf("after a refused reload the run is not the last good set: %+v", r)
	}
	fams := h.metrics()
	if got, _ := value(fams, "specrun_specs_reloads_total", map[string]string{"result": "refused"}); got != 1 {
		t.Errorf("specrun_specs_reloads_total{result=refused} = %v, want 1", got)
	}
	if got, _ := value(fams, "specrun_specs_last_reload_successful", nil); got != 0 {
		t.Errorf("specrun_specs_last_reload_successful = %v, want 0", got)
	}
	if got, _ := value(fams, "specrun_test_up", hello); got != 1 {
		t.Errorf("the last good set's test is not up: %v", got)
	}
	if log := h.log.String(); !strings.Contains(log, "reload refused") || !strings.Contains(log, "ok.yaml:4") {
		t.Errorf("the refusal and its problem (ok.yaml:4) are not logged:\n%s", log)
	}
	// Unchanged, the broken file is not tried again.
	h.tick()
	h.run()
	if got, _ := value(h.metrics(), "specrun_specs_reloads_total", map[string]string{"result": "refused"}); got != 1 {
		t.Errorf("an unchanged refused file was loaded again: %v refusals", got)
	}

	// A good change is taken; a test gone loses its series.
	if err := os.WriteFile(okFile, []byte("suite: ok\ndefaults: {package: demo}\ntests:\n  - name: renamed\n    action: hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.tick()
	h.run()
	fams = h.metrics()
	if got, _ := value(fams, "specrun_specs_reloads_total", map[string]string{"result": "ok"}); got != 1 {
		t.Errorf("specrun_specs_reloads_total{result=ok} = %v, want 1", got)
	}
	if got, _ := value(fams, "specrun_specs_last_reload_successful", nil); got != 1 {
		t.Errorf("specrun_specs_last_reload_successful = %v, want 1", got)
	}
	if _, ok := value(fams, "specrun_test_up", hello); ok {
		t.Error("a test that no longer exists still has a series")
	}
	if got, ok := value(fams, "specrun_test_up", labels(okFile, "ok", "renamed")); !ok || got != 1 {
		t.Errorf("the new test is not up: %v %t", got, ok)
	}
}

func TestHealthzSaysWhetherTheLoopTicks(t *testing.T) {
	now := time.Now()
	var c clock
	c.set(now)
	h := start(t, Config{Every: time.Minute, Load: loader("testdata/specs"), Run: realRun(startEmulator(t)), Now: c.get})
	h.run()
	if code, body := h.get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz right after a tick: HTTP %d %s", code, body)
	}
	c.set(now.Add(4 * time.Minute))
	if code, body := h.get("/healthz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "stuck") {
		t.Errorf("/healthz 4 intervals after the last tick: HTTP %d %s", code, body)
	}
	h.tick()
	h.run()
	if code, body := h.get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz after the loop ticked again: HTTP %d %s", code, body)
	}
}

func TestServesNothingElse(t *testing.T) {
	h := start(t, Config{Load: loader("testdata/specs"), Run: realRun(startEmulator(t))})
	h.run()
	for _, path := range []string{"/debug/pprof/", "/metrics/x", "/index.html", "/api/v2"} {
		if code, _ := h.get(path); code != http.StatusNotFound {
			t.Errorf("%s: HTTP %d, want 404", path, code)
		}
	}
	code, body := h.get("/")
	if code != http.StatusOK {
		t.Fatalf("/: HTTP %d %s", code, body)
	}
	rep, err := jsonreport.Read(strings.NewReader(body))
	if err != nil {
		t.Fatalf("/ is not a JSON report: %v", err)
	}
	if rep.Counts.Total != 4 || rep.Counts.Failed != 1 {
		t.Errorf("/ reports %+v, want the latest run's 4 tests, 1 failed", rep.Counts)
	}
}

func TestNoSecretInAnyLabelOrPage(t *testing.T) {
	dir := t.TempDir()
	// The secret's value is even in a test's and a suite's name.
	spec := "suite: tok-SECRET-123 suite\ndefaults: {package: demo}\nvars: {token: tok-SECRET-123}\n" +
		"tests:\n  - name: sends tok-SECRET-123\n    action: echo\n    params: {token: \"${token}\"}\n    expect: {result: {token: other}}\n"
	if err := os.WriteFile(filepath.Join(dir, "secret.yaml"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	h := start(t, Config{Paths: []string{dir}, Load: secretLoader(dir), Run: realRun(startEmulator(t))})
	if r := h.run(); r.Counts().Failed != 1 {
		t.Fatalf("want the test to fail and show its response: %+v", r.Counts())
	}
	var all strings.Builder
	for _, path := range []string{"/metrics", "/", "/healthz"} {
		_, body := h.get(path)
		all.WriteString(body)
	}
	all.WriteString(h.log.String())
	out := all.String()
	if strings.Contains(out, "tok-SECRET-123") || strings.Contains(out, testSecret) {
		t.Fatalf("a secret leaked:\n%s", out)
	}
	if got, ok := value(h.metrics(), "specrun_test_up", map[string]string{"suite": "*** suite", "test": "sends ***"}); !ok || got != 0 {
		t.Errorf("no redacted series for the test: %v %t", got, ok)
	}
	// The secret was sent: the redacted value is where it was echoed.
	if !strings.Contains(out, `"token\":\"***\"`) && !strings.Contains(out, `"token":"***"`) {
		t.Errorf(`no "token":"***" in the report: the secret may not have been sent`)
	}
}

func TestCancelInterruptsTheRunAndItsTeardownRuns(t *testing.T) {
	inFlight := make(chan struct{})
	var once sync.Once
	endpoint := startEmulatorSeeing(t, func(path string) {
		if strings.HasSuffix(path, "/actions/slow") {
			once.Do(func() { close(inFlight) })
		}
	})
	h := start(t, Config{Load: loader("testdata/more/slow.yaml"), Run: realRun(endpoint)})
	<-inFlight
	if err := h.stop(); err != nil {
		t.Fatalf("Serve returned %v after cancel, want nil", err)
	}
	// Serve returned after the run ended: it is recorded.
	r := h.run()
	if r == nil || !r.Interrupted {
		t.Fatalf("the run in progress was not interrupted: %+v", r)
	}
	if st, _ := runner.Phase(r.Suites[0].Teardown); st != runner.Pass {
		t.Errorf("the teardown did not run after the interrupt: %v", st)
	}
	// The interrupted test has no verdict: it is neither up nor down.
	fams, err := h.m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == "specrun_test_up" {
			t.Errorf("an interrupted test has an up series: %v", f)
		}
		if f.GetName() == "specrun_run_tests" && !strings.Contains(f.String(), `value:"interrupted"`) {
			t.Errorf("specrun_run_tests has no interrupted count: %v", f)
		}
	}
}

// clock is a settable clock safe for the server's goroutines.
type clock struct{ ns atomic.Int64 }

func (c *clock) set(t time.Time) { c.ns.Store(t.UnixNano()) }
func (c *clock) get() time.Time  { return time.Unix(0, c.ns.Load()) }

// A Kubernetes ConfigMap volume holds its files in a hidden versioned
// directory, reached through the ..data link that an update swaps.
func TestReloadFollowsAConfigMapUpdate(t *testing.T) {
	dir := t.TempDir()
	version := func(name, test string) {
		if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		spec := "suite: cm\ndefaults: {package: demo}\ntests:\n  - name: " + test + "\n    action: hello\n"
		if err := os.WriteFile(filepath.Join(dir, name, "cm.yaml"), []byte(spec), 0o644); err != nil {
			t.Fatal(err)
		}
		// The kubelet's swap: a new link renamed over ..data.
		if err := os.Symlink(name, filepath.Join(dir, "..data_tmp")); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
			t.Fatal(err)
		}
	}
	version("..2026_01_01_v1", "first")
	if err := os.Symlink(filepath.Join("..data", "cm.yaml"), filepath.Join(dir, "cm.yaml")); err != nil {
		t.Fatal(err)
	}
	h := start(t, Config{Paths: []string{dir}, Load: loader(dir), Run: realRun(startEmulator(t))})
	if r := h.run(); r.Suites[0].Tests[0].Test.Name != "first" {
		t.Fatalf("ran %q", r.Suites[0].Tests[0].Test.Name)
	}
	version("..2026_01_02_v2", "second")
	if err := os.RemoveAll(filepath.Join(dir, "..2026_01_01_v1")); err != nil {
		t.Fatal(err)
	}
	h.tick()
	if r := h.run(); r.Suites[0].Tests[0].Test.Name != "second" {
		t.Errorf("after the ConfigMap changed the monitor ran %q, want the new test\n%s", r.Suites[0].Tests[0].Test.Name, h.log)
	}
}

// A call the client sent again (the gateway's 429) is counted for its test.
func TestTransportRetriesAreCounted(t *testing.T) {
	g := faultgw.New(faultgw.TooMany, faultgw.OK)
	defer g.Close()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "r.yaml"), []byte("suite: r\ntests:\n  - {name: t, action: p/a}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := start(t, Config{Load: loader(dir), Run: realRun(g.URL)})
	if r := h.run(); r.Counts().Passed != 1 {
		t.Fatalf("the test did not pass after the 429: %+v\n%s", r.Counts(), h.log)
	}
	l := labels(filepath.Join(dir, "r.yaml"), "r", "t")
	if got, ok := value(h.metrics(), "specrun_test_transport_retries", l); !ok || got != 1 {
		t.Errorf("specrun_test_transport_retries = %v (exported: %t), want 1 (one 429 then 200)", got, ok)
	}
	h.tick()
	h.run()
	if got, _ := value(h.metrics(), "specrun_test_transport_retries", l); got != 0 {
		t.Errorf("specrun_test_transport_retries = %v after a run answered at once, want 0", got)
	}
}
