package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/specrun/specrun/client"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds specrun once for the tests that need a real process.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "specrun-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "specrun")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building specrun: %v", buildErr)
	}
	return binPath
}

// start starts the binary with args, its stdout watched and its stderr
// collected.
func start(t *testing.T, bin string, args ...string) (*exec.Cmd, *lineWaiter, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, watch(stdout), &stderr
}

// lineWaiter collects a process's output and lets a test wait for a line.
type lineWaiter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
}

func watch(r io.Reader) *lineWaiter {
	w := &lineWaiter{lines: make(chan string, 1024)}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			w.mu.Lock()
			w.buf.WriteString(sc.Text() + "\n")
			w.mu.Unlock()
			w.lines <- sc.Text()
		}
		close(w.lines)
	}()
	return w
}

func (w *lineWaiter) waitFor(t *testing.T, substr string) string {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-w.lines:
			if !ok {
				t.Fatalf("output ended before %q:\n%s", substr, w.String())
			}
			if strings.Contains(l, substr) {
				return l
			}
		case <-timeout:
			t.Fatalf("no %q within 30s:\n%s", substr, w.String())
		}
	}
}

func (w *lineWaiter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestInterruptRealProcess(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	junitPath, tapPath, jsonPath := filepath.Join(dir, "j.xml"), filepath.Join(dir, "r.tap"), filepath.Join(dir, "r.json")
	cmd, out, stderr := start(t, bin, "--local", "testdata/manifest.yaml", "--parallel", "3", "--no-color",
		"--report-junit", junitPath, "--report-tap", tapPath, "--report-json", jsonPath, "testdata/slow")
	out.waitFor(t, "slow › quick")
	time.Sleep(200 * time.Millisecond) // the long tests are in flight
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	for range out.lines {
	}
	elapsed := time.Since(start)
	t.Logf("exited %v after SIGINT", elapsed)
	if elapsed > 10*time.Second {
		t.Errorf("exit took %v after SIGINT", elapsed)
	}
	if code := exitCodeOf(err); code != 130 {
		t.Fatalf("exit code %d, want 130\n%s\n%s", code, out, stderr)
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr does not say it was interrupted: %s", stderr)
	}
	var rep jsonRun
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatalf("JSON report not written after the interrupt: %v", err)
	}
	if err := json.Unmarshal(data, &rep); err != nil || !rep.Run.Interrupted || rep.Status != "interrupted" {
		t.Errorf("JSON report does not say interrupted (%v):\n%s", err, data)
	}
	// Issue 11, point 5: the long tests had sent their request: they are
	// interrupted (the action may have run), not skipped.
	for _, tr := range rep.Suites[0].Tests {
		if strings.HasPrefix(tr.Name, "long") && (tr.Status != "interrupted" || !strings.Contains(tr.Reason, "may have run")) {
			t.Errorf("%s: %s %q; want interrupted, the action may have run", tr.Name, tr.Status, tr.Reason)
		}
	}
	if !bytes.Contains(data, []byte(`"cleanup"`)) {
		t.Errorf("the teardown step is not in the JSON report: teardown must run after an interrupt")
	}
	tapData, _ := os.ReadFile(tapPath)
	if !bytes.Contains(tapData, []byte("Bail out!")) {
		t.Errorf("TAP report has no Bail out!:\n%s", tapData)
	}
	junitData, _ := os.ReadFile(junitPath)
	if !bytes.Contains(junitData, []byte("interrupted")) {
		t.Errorf("JUnit report does not show the interrupted tests:\n%s", junitData)
	}
}

func TestSecondInterruptExitsAtOnce(t *testing.T) {
	bin := binary(t)
	cmd, out, stderr := start(t, bin, "--local", "testdata/manifest.yaml", "--no-color", "testdata/slow")
	out.waitFor(t, "slow › quick")
	_ = cmd.Process.Signal(syscall.SIGINT)
	time.Sleep(20 * time.Millisecond)
	_ = cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	for range out.lines {
	}
	if code := exitCodeOf(err); code != 130 {
		t.Fatalf("exit code %d, want 130\n%s", code, stderr)
	}
}

func exitCodeOf(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

func TestServeAnswersSignedRequests(t *testing.T) {
	bin := binary(t)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "testdata/manifest.yaml")
	cmd.Env = append(os.Environ(), "NCLOUD_ACCESS_KEY=", "NCLOUD_SECRET_KEY=")
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		if err := cmd.Wait(); err != nil {
			t.Errorf("serve did not stop cleanly on SIGINT: %v\n%s", err, &stderr)
		}
	}()
	out := watch(stdout)
	base := out.waitFor(t, "http://127.0.0.1:")
	if !strings.HasSuffix(base, "/api/v2") {
		t.Fatalf("first line %q is not the base URL", base)
	}
	env := map[string]string{}
	for _, name := range []string{"SPECRUN_ENDPOINT", "NCLOUD_ACCESS_KEY", "NCLOUD_SECRET_KEY"} {
		line := out.waitFor(t, "export "+name+"=")
		env[name] = strings.TrimPrefix(line, "export "+name+"=")
	}
	if env["SPECRUN_ENDPOINT"] != base {
		t.Errorf("exported endpoint %q, first line %q", env["SPECRUN_ENDPOINT"], base)
	}
	call := func(secret string) *client.Response {
		cl, err := client.New(client.Config{Endpoint: base, Credentials: client.Credentials{AccessKey: env["NCLOUD_ACCESS_KEY"], SecretKey: secret}})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := cl.Invoke(context.Background(), client.Invocation{Package: "demo", Action: "echo", Body: []byte(`{"x":1}`)})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if r := call(env["NCLOUD_SECRET_KEY"]); r.StatusCode != 200 || !strings.Contains(string(r.Body), `"x":1`) {
		t.Errorf("a correctly signed call: HTTP %d %s", r.StatusCode, r.Body)
	}
	if r := call("not-the-secret"); r.StatusCode != 401 || r.Error == nil || r.Error.Code != "200" {
		t.Errorf("a wrongly signed call: HTTP %d %s", r.StatusCode, r.Body)
	}
}

// A second interrupt during teardown exits at once, and the report files
// are this run's, not the previous run's: whatever is written first is
// this run's.
func TestSecondInterruptDuringTeardownLeavesThisRunsReports(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	paths := map[string]string{"--report-junit": filepath.Join(dir, "j.xml"), "--report-tap": filepath.Join(dir, "r.tap"), "--report-json": filepath.Join(dir, "r.json")}
	args := []string{"--local", "testdata/manifest.yaml", "--no-color"}
	for flag, p := range paths {
		if err := os.WriteFile(p, []byte("STALE: the previous run's report\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, flag, p)
	}
	cmd := exec.Command(bin, append(args, "testdata/slowteardown")...)
	stdout, _ := cmd.StdoutPipe()
	stderrPipe, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out, stderr := watch(stdout), watch(stderrPipe)
	out.waitFor(t, "slow teardown › quick")
	// The long test is in flight: the interrupt cancels it, and the
	// teardown, a 20 s action, then runs under its grace period.
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	stderr.waitFor(t, "interrupted: finishing up")
	out.waitFor(t, "slow teardown › long one")
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	for range out.lines {
	}
	for range stderr.lines {
	}
	if code := exitCodeOf(err); code != 130 {
		t.Fatalf("exit code %d, want 130\n%s\n%s", code, out, stderr)
	}
	for flag, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil || bytes.Contains(data, []byte("STALE")) || !bytes.Contains(data, []byte("quick")) {
			t.Errorf("%s %s is not this run's report (%v):\n%s", flag, p, err, data)
		}
	}
	var rep struct {
		Run struct {
			Interrupted bool `json:"interrupted"`
		} `json:"run"`
	}
	data, _ := os.ReadFile(paths["--report-json"])
	if err := json.Unmarshal(data, &rep); err != nil || !rep.Run.Interrupted {
		t.Errorf("the JSON report does not say the run was interrupted (%v):\n%s", err, data)
	}
}
