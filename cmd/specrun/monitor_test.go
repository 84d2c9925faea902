package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/specrun/specrun/internal/syncbuf"
	"github.com/specrun/specrun/reporters/jsonreport"
)

func TestMonitorUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"monitor", "testdata/pass"}, "--every is required"},
		{[]string{"monitor", "--every", "500ms", "testdata/pass"}, "1s or more"},
		{[]string{"monitor", "--every", "1m"}, "no PATH given"},
		{[]string{"monitor", "--every", "1m", "--format", "json", "testdata/pass"}, "unknown flag --format"},
		{[]string{"monitor", "--every", "1m", "--parallel", "0", "testdata/pass"}, `invalid value "0" for --parallel`},
		{[]string{"monitor", "--every", "1m", "--tags", "a and", "testdata/pass"}, "--tags"},
		{[]string{"monitor", "--every", "1m", "--local", "testdata/manifest.yaml", "--tags", "smok", "testdata/pass"}, `--tags "smok" selects no test`},
		{[]string{"monitor", "--every", "1m", "--var", "novalue", "testdata/pass"}, `--var: an argument has no "=": write --var NAME=VALUE`},
		{[]string{"monitor", "--every", "1m", "--local", "testdata/manifest.yaml", "testdata/invalid"}, "in the specs: nothing was run"},
		{[]string{"monitor", "--every", "1m", "--listen", "256.0.0.1:1", "--local", "testdata/manifest.yaml", "testdata/pass"}, "--listen 256.0.0.1:1"},
		{[]string{"run", "--push-gateway", "pushgateway:9091", "testdata/pass"}, "want the Pushgateway's URL"},
	} {
		o := newCLI(t).run(c.args...)
		if o.code != exitUsage || !strings.Contains(o.stderr+o.stdout, c.want) {
			t.Errorf("%q: want exit 2 saying %q, got %s", c.args, c.want, o)
		}
	}
}

func TestPushThatFailsFailsTheRun(t *testing.T) {
	c := newCLI(t)
	o := c.run("--local", "testdata/manifest.yaml", "--push-gateway", "http://user:hunter2@"+freeAddr(t), "testdata/pass")
	if o.code != exitFailed || !strings.Contains(o.stderr, "pushing the run's metrics to http://127.0.0.1:") {
		t.Errorf("want exit 1 naming the Pushgateway: %s", o)
	}
	if strings.Contains(o.stderr+o.stdout, "hunter2") {
		t.Errorf("the Pushgateway's password was printed: %s", o)
	}
}

// freeAddr finds a free loopback port for a server that cannot pick its
// own (Prometheus, the Pushgateway).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// startServer starts a real server process and stops it when the test ends.
func startServer(t *testing.T, bin string, args ...string) *syncbuf.Buffer {
	t.Helper()
	out := &syncbuf.Buffer{}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	return out
}

// eventually calls f every 250ms until it returns "" (success) or 90s pass.
func eventually(t *testing.T, what string, f func() string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		problem := f()
		if problem == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 90s: %s", what, problem)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// noKeepAlive leaves no idle connection (and goroutine) behind a test.
var noKeepAlive = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}

func httpGet(u string) (string, error) {
	resp, err := noKeepAlive.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return string(body), fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
	}
	return string(body), err
}

// promSample is one series of a Prometheus instant-query answer.
type promSample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// query asks Prometheus' HTTP API for an instant vector.
func query(base, q string) ([]promSample, error) {
	body, err := httpGet(base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return nil, err
	}
	var ans struct {
		Status string `json:"status"`
		Data   struct {
			Result []promSample `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &ans); err != nil || ans.Status != "success" {
		return nil, fmt.Errorf("query %s: %v %s", q, err, body)
	}
	return ans.Data.Result, nil
}

// expectedUp reads the monitor's latest JSON report: each test that ran,
// by "SUITE/TEST", and whether it passed.
func expectedUp(t *testing.T, base string) map[string]string {
	t.Helper()
	body, err := httpGet(base + "/")
	if err != nil {
		t.Fatalf("the monitor's /: %v", err)
	}
	rep, err := jsonreport.Read(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the monitor's / is not a JSON report: %v", err)
	}
	want := map[string]string{}
	for _, s := range rep.Suites {
		for _, tr := range s.Tests {
			switch tr.Status {
			case jsonreport.StatusPass:
				want[s.Name+"/"+tr.Name] = "1"
			case jsonreport.StatusFail, jsonreport.StatusError:
				want[s.Name+"/"+tr.Name] = "0"
			}
		}
	}
	return want
}

// TestPrometheusScrapesTheMonitor is the acceptance test: a real
// Prometheus scrapes a real specrun monitor serving the examples against
// the built-in emulator, and its query API shows each test's state.
func TestPrometheusScrapesTheMonitor(t *testing.T) {
	prom := tool(t, "prometheus", "prometheus")
	if prom == "" {
		return
	}
	bin := binary(t)
	mon := exec.Command(bin, "monitor", "--every", "2s", "--listen", "127.0.0.1:0",
		"--local", "../../examples/manifest.yaml", "../../examples/specs", "../../examples/failing")
	stdout, _ := mon.StdoutPipe()
	var stderr bytes.Buffer
	mon.Stderr = &stderr
	if err := mon.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			_ = mon.Process.Kill()
			_ = mon.Wait()
		}
	}()
	out := watch(stdout)
	base := out.waitFor(t, "http://127.0.0.1:")

	dir := t.TempDir()
	promAddr := freeAddr(t)
	// The real server also evaluates the alert rules of docs/monitor.
	rules, err := filepath.Abs("../../docs/monitor/alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	config := fmt.Sprintf("global: {scrape_interval: 1s, evaluation_interval: 1s}\nrule_files: [%q]\nscrape_configs:\n  - job_name: specrun\n    static_configs: [{targets: [%q]}]\n",
		rules, strings.TrimPrefix(base, "http://"))
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	promLog := startServer(t, prom, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+promAddr, "--log.level=warn")
	promBase := "http://" + promAddr

	var want map[string]string
	eventually(t, "the monitor's first run", func() string {
		if _, err := httpGet(base + "/"); err != nil {
			return err.Error()
		}
		want = expectedUp(t, base)
		return ""
	})
	if want["failing/wrong value/greet uses the caller's name"] != "0" || want["smoke/version answers"] != "1" {
		t.Fatalf("the examples did not run as expected: %v", want)
	}
	eventually(t, "every example test's specrun_test_up in Prometheus", func() string {
		got, err := query(promBase, `specrun_test_up{job="specrun"}`)
		if err != nil {
			return err.Error() + "\n" + promLog.String()
		}
		have := map[string]string{}
		for _, s := range got {
			have[s.Metric["suite"]+"/"+s.Metric["test"]] = fmt.Sprint(s.Value[1])
		}
		for name, up := range want {
			if have[name] != up {
				return fmt.Sprintf("%s: up %q, want %s (have %d series)", name, have[name], up, len(have))
			}
		}
		if len(have) != len(want) {
			return fmt.Sprintf("%d series, want %d: %v", len(have), len(want), have)
		}
		return ""
	})
	eventually(t, "the run metrics in Prometheus", func() string {
		for q, check := range map[string]func(float64) bool{
			`specrun_runs_started_total{job="specrun"}`:                      func(v float64) bool { return v >= 1 },
			`specrun_run_tests{job="specrun",status="fail"}`:                 func(v float64) bool { return v >= 1 },
			`specrun_runs_failed_to_start_total{job="specrun"}`:              func(v float64) bool { return v == 0 },
			`specrun_monitor_interval_seconds{job="specrun"}`:                func(v float64) bool { return v == 2 },
			`go_goroutines{job="specrun"}`:                                   func(v float64) bool { return v > 0 },
			`up{job="specrun"}`:                                              func(v float64) bool { return v == 1 },
			`specrun_test_consecutive_failures{suite="failing/wrong value"}`: func(v float64) bool { return v >= 1 },
		} {
			got, err := query(promBase, q)
			if err != nil {
				return err.Error()
			}
			if len(got) != 1 {
				return fmt.Sprintf("%s: %d series", q, len(got))
			}
			v, _ := strconv.ParseFloat(fmt.Sprint(got[0].Value[1]), 64)
			if !check(v) {
				return fmt.Sprintf("%s = %v", q, v)
			}
		}
		return ""
	})

	// After 3 runs a failing example pages; no passing one does.
	eventually(t, "SpecrunTestDown firing for a failing example", func() string {
		got, err := query(promBase, `ALERTS{alertname="SpecrunTestDown",alertstate="firing"}`)
		if err != nil {
			return err.Error()
		}
		firing := map[string]bool{}
		for _, s := range got {
			firing[s.Metric["suite"]+"/"+s.Metric["test"]] = true
		}
		for name := range firing {
			if want[name] == "1" {
				t.Fatalf("SpecrunTestDown fires for %s, which passes", name)
			}
		}
		if !firing["failing/wrong value/greet uses the caller's name"] {
			return fmt.Sprintf("firing for %v", firing)
		}
		return ""
	})

	// SIGTERM ends the monitor with exit 0.
	if err := mon.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = mon.Wait()
	stopped = true
	for range out.lines {
	}
	if code := exitCodeOf(err); code != 0 {
		t.Errorf("specrun monitor exited %d after SIGTERM, want 0\n%s", code, &stderr)
	}
}

// TestRunPushesToAPushgateway: a one-shot run's metrics reach a real
// Pushgateway under the job and grouping labels of its URL.
func TestRunPushesToAPushgateway(t *testing.T) {
	pg := tool(t, "prometheus-pushgateway", "prometheus-pushgateway")
	if pg == "" {
		return
	}
	addr := freeAddr(t)
	pgLog := startServer(t, pg, "--web.listen-address="+addr, "--persistence.file=", "--log.level=warn")
	eventually(t, "the Pushgateway to answer", func() string {
		if _, err := httpGet("http://" + addr + "/-/ready"); err != nil {
			return err.Error() + "\n" + pgLog.String()
		}
		return ""
	})
	c := newCLI(t)
	o := c.run("--local", "testdata/manifest.yaml", "--secret", "token",
		"--push-gateway", "http://"+addr+"/metrics/job/contract/env/ci", "testdata/fail", "testdata/pass")
	if o.code != exitFailed {
		t.Fatalf("want exit 1 (testdata/fail fails): %s", o)
	}
	body, err := httpGet("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, "tok-SECRET-123") {
		t.Errorf("the secret reached the Pushgateway:\n%s", body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the Pushgateway's /metrics does not parse: %v", err)
	}
	want := map[string]float64{"failing/wrong greeting": 0, "failing/application error": 0, "failing/passes": 1, "smoke/hello answers": 1}
	got := map[string]float64{}
	for _, m := range fams["specrun_test_up"].GetMetric() {
		l := map[string]string{}
		for _, lp := range m.GetLabel() {
			l[lp.GetName()] = lp.GetValue()
		}
		if l["job"] != "contract" || l["env"] != "ci" {
			t.Errorf("a series without the URL's grouping: %v", l)
		}
		got[l["suite"]+"/"+l["test"]] = m.GetGauge().GetValue()
	}
	for name, up := range want {
		if v, ok := got[name]; !ok || v != up {
			t.Errorf("specrun_test_up of %s on the Pushgateway: %v (present: %t), want %v", name, v, ok, up)
		}
	}
	if _, ok := got["smoke/later"]; ok {
		t.Error("a skipped test was pushed as up or down")
	}
	for _, name := range []string{"specrun_runs_started_total", "specrun_run_duration_seconds", "push_time_seconds"} {
		if fams[name] == nil {
			t.Errorf("no %s on the Pushgateway", name)
		}
	}
	if fams["go_goroutines"] != nil && strings.Contains(fams["go_goroutines"].String(), "contract") {
		t.Error("the Go collector of a one-shot run was pushed")
	}
}

func TestMonitorListPrintsTheSelectionAndRunsNothing(t *testing.T) {
	c := newCLI(t)
	want := c.run("--list", "--tags", "flow", "testdata/pass")
	o := c.run("monitor", "--every", "1m", "--list", "--tags", "flow", "testdata/pass")
	if o.code != 0 || o.stdout != want.stdout || !strings.Contains(o.stdout, "two steps") {
		t.Errorf("monitor --list: %s\nrun --list: %s", o, want)
	}
}

// specrun monitor in process, with --secret and -v (every exchange kept in
// /): neither the secret nor the emulator's secret key reaches a label, a
// page or the log, and cancelling it is exit 0.
func TestMonitorHidesSecretsAndStopsWithExit0(t *testing.T) {
	m := startMonitor(t, "--every", "1m", "--listen", "127.0.0.1:0", "--local", "testdata/manifest.yaml",
		"--secret", "token", "-v", "testdata/fail")
	stderr, base := m.stderr, m.base
	var page string
	eventually(t, "the first run's report on /", func() string {
		var err error
		if page, err = httpGet(base + "/"); err != nil {
			return err.Error()
		}
		return ""
	})
	metrics, err := httpGet(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	all := page + metrics + stderr.String()
	if strings.Contains(all, "tok-SECRET-123") {
		t.Errorf("the --secret value leaked:\n%s", all)
	}
	if regexp.MustCompile(`[0-9A-F]{40}`).MatchString(all) {
		t.Errorf("something like the emulator's secret key leaked:\n%s", all)
	}
	if !strings.Contains(page, `{\"token\":\"***\"}`) {
		t.Errorf(`no {"token":"***"} on /: the secret may simply not have been sent:\n%s`, page)
	}
	if code := m.stop(); code != 0 {
		t.Errorf("exit %d after the monitor was stopped, want 0:\n%s", code, stderr)
	}
}

// A reload after which --tags keeps no test is refused like invalid specs:
// the monitor keeps running the last good set.
func TestMonitorRefusesAReloadThatSelectsNothing(t *testing.T) {
	dir := t.TempDir()
	write := func(tag string) {
		spec := "suite: s\ntags: [" + tag + "]\ndefaults: {package: demo}\ntests:\n  - {name: hello, action: hello}\n"
		if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(spec), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("smoke")
	m := startMonitor(t, "--every", "1s", "--listen", "127.0.0.1:0", "--local", "testdata/manifest.yaml", "--tags", "smoke", dir)
	stderr, base := m.stderr, m.base
	eventually(t, "the first run", func() string {
		_, err := httpGet(base + "/")
		return cmpErr(err)
	})
	write("nightly")
	eventually(t, "the refused reload in the log", func() string {
		if log := stderr.String(); !strings.Contains(log, "reload refused") || !strings.Contains(log, `--tags \"smoke\" selects no test`) {
			return "not yet:\n" + log
		}
		return ""
	})
	metrics, err := httpGet(base + "/metrics")
	if err != nil || !strings.Contains(metrics, `specrun_specs_reloads_total{result="refused"} 1`) || !strings.Contains(metrics, `specrun_test_up{file="`) {
		t.Errorf("after the refused reload /metrics does not show it, or lost the last good set's test (%v):\n%s", err, metrics)
	}
	if code := m.stop(); code != 0 {
		t.Errorf("exit %d, want 0:\n%s", code, stderr)
	}
}

// inProcessMonitor is `specrun monitor` running in the test's process.
type inProcessMonitor struct {
	stderr *syncbuf.Buffer
	base   string // the URL it serves, from its first line of output
	cancel context.CancelFunc
	done   chan error
}

// startMonitor runs `specrun monitor ARGS...` in process and waits for the
// URL it serves; the test ends it with stop (or, failing that, Cleanup).
func startMonitor(t *testing.T, args ...string) *inProcessMonitor {
	t.Helper()
	stdoutR, stdoutW := io.Pipe()
	m := &inProcessMonitor{stderr: &syncbuf.Buffer{}, done: make(chan error, 1)}
	sys := &system{stdout: stdoutW, stderr: m.stderr, home: t.TempDir(), version: "v0.0.0-test",
		lookupEnv: func(string) (string, bool) { return "", false }, now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	t.Cleanup(cancel)
	go func() {
		m.done <- sys.main(ctx, append([]string{"monitor"}, args...))
		_ = stdoutW.Close()
	}()
	m.base = watch(stdoutR).waitFor(t, "http://127.0.0.1:")
	return m
}

// stop cancels the monitor (as SIGTERM does) and returns its exit code.
func (m *inProcessMonitor) stop() int {
	m.cancel()
	return exitCode(<-m.done, m.stderr)
}

// cmpErr is "" for no error, else its text.
func cmpErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
