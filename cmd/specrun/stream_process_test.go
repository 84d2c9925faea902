package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/specrun/specrun/internal/jsonltest"
)

// slowNoFixtures is testdata/slow without its teardown: the number of
// results is known before the run, so the TAP plan comes first.
const slowNoFixtures = `suite: slow
defaults: {package: demo, deadline: 60s}
tests:
  - {name: quick, action: hello}
  - {name: long one, action: slow}
  - {name: long two, action: slow}
`

// TestTAPStreamsAndSurvivesInterrupts runs the real binary with --format
// tap many times and interrupts it with real signals at different moments
// (as soon as the stream starts, after the first result, a moment later;
// once, or twice to exit at once). The first result must reach the pipe
// while the slow tests still run (the stream is live), and prove must
// parse every stream without a parse error and report the run stopped.
func TestTAPStreamsAndSurvivesInterrupts(t *testing.T) {
	bin := binary(t)
	prove := tool(t, "prove", "perl")
	noFixtures := filepath.Join(t.TempDir(), "slow")
	if err := os.MkdirAll(noFixtures, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(noFixtures, "slow.yaml"), []byte(slowNoFixtures), 0o644); err != nil {
		t.Fatal(err)
	}
	runs := 0
	for _, specs := range []string{"testdata/slow", noFixtures} {
		for _, twice := range []bool{false, true} {
			for moment := 0; moment < 3; moment++ {
				name := fmt.Sprintf("%s/twice=%v/moment=%d", filepath.Base(filepath.Dir(specs)), twice, moment)
				report := filepath.Join(t.TempDir(), "report.tap")
				tapText := interruptTAP(t, bin, specs, twice, moment, report)
				runs++
				planFirst := specs == noFixtures
				if lines := strings.Split(tapText, "\n"); len(lines) < 2 || strings.HasPrefix(lines[1], "1..") != planFirst {
					t.Errorf("%s: plan first %v expected:\n%s", name, planFirst, tapText)
				}
				if prove == "" {
					continue
				}
				f := filepath.Join(t.TempDir(), "run.tap")
				if err := os.WriteFile(f, []byte(tapText), 0o644); err != nil {
					t.Fatal(err)
				}
				proveStopped(t, prove, name+" (stdout)", f)
				// The --report-tap file of a run that finished up (one
				// interrupt) parses the same way (issue 12).
				if !twice {
					proveStopped(t, prove, name+" (--report-tap)", report)
				}
			}
		}
	}
	t.Logf("%d interrupted runs, each stream parsed by prove", runs)
}

// proveStopped runs prove on the TAP file f: it must parse without a parse
// error and report the run stopped by the bail-out.
func proveStopped(t *testing.T, prove, name, f string) {
	t.Helper()
	out, err := exec.Command(prove, "--norc", "--exec", "cat", f).CombinedOutput()
	if err == nil || bytes.Contains(out, []byte("Parse errors")) || !bytes.Contains(out, []byte("FAILED--Further testing stopped: interrupted")) {
		doc, _ := os.ReadFile(f)
		t.Errorf("%s: prove (%v):\n%s\nof:\n%s", name, err, out, doc)
	}
}

// interruptTAP runs specrun --format tap --report-tap report on specs,
// interrupts it at moment (0: once the stream started, 1: after the first
// result, 2: 100ms after it), a second time when twice, and returns what
// it streamed.
func interruptTAP(t *testing.T, bin, specs string, twice bool, moment int, report string) string {
	t.Helper()
	cmd, out, stderr := start(t, bin, "--local", "testdata/manifest.yaml", "--parallel", "3", "--format", "tap", "--report-tap", report, specs)
	out.waitFor(t, "TAP version 13")
	if moment > 0 {
		// The quick test's point arrives while the slow ones still run:
		// the stream is live (they take 20 s, the wait gives up at 30).
		out.waitFor(t, "ok 1 - slow / quick")
	}
	if moment == 2 {
		time.Sleep(100 * time.Millisecond)
	}
	interrupt(t, cmd, out, stderr, twice)
	return out.String()
}

// interrupt sends SIGINT (twice 20ms apart when twice), waits for the
// process to exit 130 and for its output to be read.
func interrupt(t *testing.T, cmd *exec.Cmd, out *lineWaiter, stderr *bytes.Buffer, twice bool) {
	t.Helper()
	_ = cmd.Process.Signal(syscall.SIGINT)
	if twice {
		time.Sleep(20 * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGINT)
	}
	err := cmd.Wait()
	for range out.lines {
	}
	if code := exitCodeOf(err); code != 130 {
		t.Fatalf("exit code %d, want 130\n%s\n%s", code, out, stderr)
	}
}

// TestJSONLStreamsAndEndsOnInterrupt: --format jsonl puts the quick test's
// test_end on the pipe while the slow tests run, and an interrupted run
// (once or twice) still ends with a run_end line; every line validates
// against docs/jsonl.schema.json.
func TestJSONLStreamsAndEndsOnInterrupt(t *testing.T) {
	bin := binary(t)
	for _, twice := range []bool{false, true} {
		cmd, out, stderr := start(t, bin, "--local", "testdata/manifest.yaml", "--parallel", "3", "--format", "jsonl", "testdata/slow")
		out.waitFor(t, `"event":"test_end","time":`)
		interrupt(t, cmd, out, stderr, twice)
		lines := jsonltest.Lines(t, out.String())
		last := lines[len(lines)-1]
		if lines[0]["event"] != "run_start" || last["event"] != "run_end" || last["interrupted"] != true {
			t.Errorf("twice=%v: stream:\n%s", twice, out)
		}
	}
}

// TestProgressOnARealTerminal runs the binary on a real pseudo-terminal
// (util-linux's script): the live progress line is drawn with NO_COLOR
// set as without it, and only the colours go.
func TestProgressOnARealTerminal(t *testing.T) {
	bin := binary(t)
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script (util-linux) not found: no pseudo-terminal to run on")
	}
	for _, noColor := range []bool{false, true} {
		cmd := exec.Command(script, "-qec", bin+" --local testdata/manifest.yaml testdata/pass", "/dev/null")
		cmd.Env = []string{"TERM=xterm", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
		if noColor {
			cmd.Env = append(cmd.Env, "NO_COLOR=1")
		}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("NO_COLOR=%v: %v\n%s", noColor, err, out)
		}
		progress := bytes.Contains(out, []byte("[4/4] running…\r\x1b[K"))
		colour := bytes.Contains(out, []byte("\x1b[32m"))
		if !progress || colour == noColor {
			t.Errorf("NO_COLOR=%v: progress line %v, colours %v:\n%q", noColor, progress, colour, out)
		}
	}
}
