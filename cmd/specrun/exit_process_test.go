package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/internal/syncbuf"
)

// actionFixture is a --local manifest whose actions are real processes:
// sleepy marks that it started (a started.PID file) and then sleeps far
// longer than any test waits, gated answers once the file go exists.
type actionFixture struct {
	dir, manifest string
	// token is sleepy's sleep argument, unique to the fixture: a process
	// whose command line holds "sleep TOKEN" is one of its actions.
	token string
}

var fixtureCount atomic.Int64

func newActionFixture(t *testing.T, specs map[string]string) *actionFixture {
	t.Helper()
	dir := t.TempDir()
	fx := &actionFixture{dir: dir, manifest: filepath.Join(dir, "manifest.yaml"),
		token: fmt.Sprintf("2999.%d%d", os.Getpid(), fixtureCount.Add(1))}
	writeFile(t, filepath.Join(dir, "sleepy.sh"), "touch started.$$\nsleep "+fx.token+"\necho '{}'\n")
	writeFile(t, filepath.Join(dir, "gated.sh"), "while [ ! -e go ]; do sleep 0.02; done\necho '{\"ok\": true}'\n")
	writeFile(t, fx.manifest, `namespace: t
packages:
  demo:
    actions:
      hello: {result: {ok: true}}
      sleepy: {exec: [sh, sleepy.sh], timeout: 300s}
      gated: {exec: [sh, gated.sh], timeout: 300s}
`)
	for name, text := range specs {
		writeFile(t, filepath.Join(dir, "specs", name), text)
	}
	return fx
}

// waitStarted waits until n sleepy actions have started.
func (fx *actionFixture) waitStarted(t *testing.T, n int) {
	t.Helper()
	waitUntil(t, fmt.Sprintf("%d sleepy actions started", n), func() bool {
		m, _ := filepath.Glob(filepath.Join(fx.dir, "started.*"))
		return len(m) >= n
	})
}

// open lets the gated action answer.
func (fx *actionFixture) open(t *testing.T) {
	t.Helper()
	writeFile(t, filepath.Join(fx.dir, "go"), "")
}

// running lists the processes of the fixture's sleepy actions that are
// still alive (zombies are dead: their parent has not reaped them yet).
func (fx *actionFixture) running() []string {
	var out []string
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		cmdline, err := os.ReadFile(filepath.Join(p, "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(fx.token)) {
			continue
		}
		stat, _ := os.ReadFile(filepath.Join(p, "stat"))
		if f := strings.Fields(string(stat)); len(f) > 2 && f[2] == "Z" {
			continue
		}
		out = append(out, filepath.Base(p)+": "+string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
	}
	return out
}

// checkNoActionLeft fails when a sleepy action outlives specrun. Killed
// processes take a moment to be gone: the wait is bounded, the actions
// themselves sleep for 50 minutes.
func (fx *actionFixture) checkNoActionLeft(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(fx.running()) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if left := fx.running(); len(left) > 0 {
		for _, p := range left {
			var pid int
			if _, err := fmt.Sscan(p, &pid); err == nil {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		t.Errorf("action processes outlived specrun:\n%s", strings.Join(left, "\n"))
	}
}

// waitUntil waits, at most 30 s, for cond.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 30s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitExit waits, at most 60 s, for cmd to exit and returns its exit code.
func waitExit(t *testing.T, cmd *exec.Cmd, stderr fmt.Stringer) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return exitCodeOf(err)
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("specrun did not exit within 60s:\n%s", stderr)
	}
	return -1
}

// jsonRun is what the tests read of a JSON report.
type jsonRun struct {
	Status string `json:"status"`
	Run    struct {
		Interrupted bool `json:"interrupted"`
	} `json:"run"`
	Suites []struct {
		Tests []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
			Reason string `json:"reason"`
		} `json:"tests"`
	} `json:"suites"`
}

// statuses maps each test of the report to its status.
func (r *jsonRun) statuses() map[string]string {
	m := map[string]string{}
	for _, s := range r.Suites {
		for _, tr := range s.Tests {
			m[tr.Name] = tr.Status
		}
	}
	return m
}

// startPiped starts cmd with its standard output a pipe, the read end of
// which it returns, and its standard error collected.
func startPiped(t *testing.T, cmd *exec.Cmd) (*os.File, *syncbuf.Buffer) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncbuf.Buffer{}
	cmd.Stdout, cmd.Stderr = w, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { r.Close() })
	return r, stderr
}

const pipeSpec = `suite: pipe
defaults: {package: demo, deadline: 300s}
tests:
  - {name: first, action: hello}
  - {name: sleepy, action: sleepy}
  - {name: gated, action: gated}
`

// TestReaderGoneIsAnInterrupt: `specrun ... | head -1`. The reader of
// standard output goes away after the first line while an action runs;
// the next line specrun writes finds the pipe broken. specrun must not
// die of SIGPIPE: it stops as on a first interrupt, writes this run's
// report file, stops the emulator's actions and exits 141.
func TestReaderGoneIsAnInterrupt(t *testing.T) {
	bin := binary(t)
	for _, format := range []string{"console", "tap", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			fx := newActionFixture(t, map[string]string{"pipe.yaml": pipeSpec})
			report := filepath.Join(fx.dir, "r.json")
			writeFile(t, report, `{"old": "STALE: the previous run"}`)
			cmd := exec.Command(bin, "--local", fx.manifest, "--parallel", "3", "--format", format, "--report-json", report, filepath.Join(fx.dir, "specs"))
			r, stderr := startPiped(t, cmd)
			if _, err := bufio.NewReader(r).ReadString('\n'); err != nil {
				t.Fatalf("no first line: %v\n%s", err, stderr)
			}
			fx.waitStarted(t, 1)
			r.Close()  // head -1 exits
			fx.open(t) // gated passes: its line goes to a pipe nobody reads
			code := waitExit(t, cmd, stderr)
			fx.checkNoActionLeft(t)
			if code != exitReaderGone || !strings.Contains(stderr.String(), "standard output was closed by its reader") {
				t.Fatalf("exit code %d, want %d, and stderr saying why:\n%s", code, exitReaderGone, stderr)
			}
			data, _ := os.ReadFile(report)
			var rep jsonRun
			if err := json.Unmarshal(data, &rep); err != nil || !rep.Run.Interrupted || rep.statuses()["gated"] != "pass" || rep.statuses()["sleepy"] != "interrupted" {
				t.Errorf("the report is not this run's, interrupted (%v):\n%s", err, data)
			}
		})
	}
}

// TestReaderGoneBeforeTheJSONReport: with --format json nothing is written
// to standard output before the run ends; the report files are written
// all the same, and the exit code says the reader went away.
func TestReaderGoneBeforeTheJSONReport(t *testing.T) {
	bin := binary(t)
	fx := newActionFixture(t, map[string]string{"pipe.yaml": "suite: pipe\ndefaults: {package: demo, deadline: 300s}\ntests:\n  - {name: first, action: hello}\n  - {name: gated, action: gated}\n"})
	report := filepath.Join(fx.dir, "r.json")
	cmd := exec.Command(bin, "--local", fx.manifest, "--format", "json", "--report-json", report, filepath.Join(fx.dir, "specs"))
	r, stderr := startPiped(t, cmd)
	r.Close()
	fx.open(t)
	if code := waitExit(t, cmd, stderr); code != exitReaderGone {
		t.Fatalf("exit code %d, want %d:\n%s", code, exitReaderGone, stderr)
	}
	data, _ := os.ReadFile(report)
	var rep jsonRun
	if err := json.Unmarshal(data, &rep); err != nil || rep.Status != "pass" || rep.statuses()["gated"] != "pass" {
		t.Errorf("the report is not this run's (%v):\n%s", err, data)
	}
}

const twiceSpec = `suite: twice
defaults: {package: demo, deadline: 300s}
teardown:
  - {name: cleanup, action: sleepy}
tests:
  - {name: first, action: hello}
  - {name: sleepy, action: sleepy}
`

// TestSecondInterruptStopsActionsAndCompletesStdout: a second interrupt
// while a teardown's action runs exits at once (130), and yet no action
// process outlives specrun, and the JSON report on standard output
// (--format json, or --report-json - after the console) is whole, as the
// report files are.
func TestSecondInterruptStopsActionsAndCompletesStdout(t *testing.T) {
	bin := binary(t)
	// With and without a report file: standard output's report alone
	// must be enough for the run's snapshot to be kept.
	for _, args := range [][]string{{"--format", "json"}, {"--no-color", "--report-junit", "JUNIT", "--report-json", "-"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			fx := newActionFixture(t, map[string]string{"twice.yaml": twiceSpec})
			junitPath := filepath.Join(fx.dir, "j.xml")
			args = append([]string{"--local", fx.manifest, "--parallel", "2"}, args...)
			for i, a := range args {
				if a == "JUNIT" {
					args[i] = junitPath
				}
			}
			stdoutReport := args[len(args)-1] == "-"
			cmd := exec.Command(bin, append(args, filepath.Join(fx.dir, "specs"))...)
			var stdout, stderr syncbuf.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			fx.waitStarted(t, 1)
			_ = cmd.Process.Signal(syscall.SIGINT)
			waitUntil(t, "first interrupt's message", func() bool { return strings.Contains(stderr.String(), "finishing up") })
			fx.waitStarted(t, 2) // the teardown's action
			_ = cmd.Process.Signal(syscall.SIGINT)
			code := waitExit(t, cmd, &stderr)
			fx.checkNoActionLeft(t)
			if code != exitInterrupted {
				t.Fatalf("exit code %d, want 130:\n%s", code, &stderr)
			}
			out := stdout.String()
			if i := strings.Index(out, "\n{\n"); stdoutReport && i >= 0 {
				out = out[i+1:]
			}
			var rep jsonRun
			if err := json.Unmarshal([]byte(out), &rep); err != nil || !rep.Run.Interrupted || rep.statuses()["first"] != "pass" {
				t.Errorf("standard output does not end in this run's JSON report (%v):\n%s", err, stdout.String())
			}
			if data, _ := os.ReadFile(junitPath); stdoutReport && !bytes.Contains(data, []byte("first")) {
				t.Errorf("the JUnit report is not this run's:\n%s", data)
			}
		})
	}
}

// TestServeSecondInterruptStopsActions: serve, interrupted twice while an
// action runs, exits at once without leaving the action running.
func TestServeSecondInterruptStopsActions(t *testing.T) {
	bin := binary(t)
	fx := newActionFixture(t, nil)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", fx.manifest)
	cmd.Env = append(os.Environ(), "NCLOUD_ACCESS_KEY=ak", "NCLOUD_SECRET_KEY=sk")
	stdout, _ := cmd.StdoutPipe()
	stderr := &syncbuf.Buffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	base := watch(stdout).waitFor(t, "http://127.0.0.1:")
	cl, err := client.New(client.Config{Endpoint: base, Credentials: client.Credentials{AccessKey: "ak", SecretKey: "sk"}})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		_, _ = cl.Invoke(context.Background(), client.Invocation{Package: "demo", Action: "sleepy", Body: []byte(`{}`)})
	}()
	fx.waitStarted(t, 1)
	_ = cmd.Process.Signal(syscall.SIGINT)
	waitUntil(t, "first interrupt's message", func() bool { return strings.Contains(stderr.String(), "finishing up") })
	_ = cmd.Process.Signal(syscall.SIGINT)
	code := waitExit(t, cmd, stderr)
	fx.checkNoActionLeft(t)
	if code != exitInterrupted {
		t.Errorf("exit code %d, want 130:\n%s", code, stderr)
	}
}
