package console

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/specrun/specrun/internal/fakeenv"
	"github.com/specrun/specrun/internal/golden"
	"github.com/specrun/specrun/reporters/internal/samples"
	"github.com/specrun/specrun/reporters/internal/scenarios"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

func events(r *runner.Result) []runner.Event { return scenarios.Events(r) }

// mixed is a run with a test of every status in two suites.
func mixed() *runner.Result {
	fx := samples.Fixtures()
	r := fx["pass"]
	r.Suites = append(r.Suites, fx["fail"].Suites[0], fx["error"].Suites[0], fx["skip"].Suites[0], fx["multistep"].Suites[0])
	r.Duration = 32*time.Second + 40*time.Millisecond
	r.Decide()
	return r
}

// teardownFailure is a passing suite whose teardown failed.
func teardownFailure() *runner.Result {
	fx := samples.Fixtures()
	r := fx["pass"]
	s := r.Suites[0]
	st := samples.Step("specs/hello.yaml", "clean up", 30)
	s.Suite.Teardown = append(s.Suite.Teardown, st)
	s.Teardown = []*runner.StepResult{{Step: st, Status: runner.Fail, Duration: samples.Ms(60), Attempts: []*runner.Attempt{{
		Status: runner.Fail, Duration: samples.Ms(60), Package: "shop", Action: "cleanup", HTTPStatus: 500, ActivationID: "dddd0001",
		Failures: []*runner.Failure{{Pos: spec.Pos{File: "specs/hello.yaml", Line: 33, Col: 9}, Key: "http_status", Op: "equals", Expected: "200", Actual: "500", Reason: "status differs"}},
	}}}}
	s.Status = runner.Error
	r.Decide()
	return r
}

// errorBeforeInvoke is a test that errored before any invocation.
func errorBeforeInvoke() *runner.Result {
	fx := samples.Fixtures()
	r := fx["multistep"]
	tr := r.Suites[0].Tests[0]
	tr.Status = runner.Error
	tr.Steps[1].Status = runner.Error
	tr.Steps[1].Attempts = nil
	tr.Steps[1].Reason = "${order_id} is not set: step \"create order\" captured nothing"
	tr.Reason = tr.Steps[1].Reason
	r.Suites[0].Status = runner.Error
	r.Decide()
	return r
}

func replay(opts Options, evs []runner.Event) []byte {
	var buf bytes.Buffer
	rep := New(&buf, opts)
	for _, e := range evs {
		rep.Event(e)
	}
	return buf.Bytes()
}

func TestOutputMatchesGolden(t *testing.T) {
	fx := samples.Fixtures()
	tests := []struct {
		golden string
		result *runner.Result
		opts   Options
	}{
		{"pass.txt", fx["pass"], Options{}},
		{"fail.txt", fx["fail"], Options{}},
		{"error.txt", fx["error"], Options{}},
		{"skip.txt", fx["skip"], Options{}},
		{"multistep.txt", fx["multistep"], Options{}},
		{"retries.txt", fx["retries"], Options{}},
		{"interrupted.txt", fx["interrupted"], Options{}},
		{"setup-failure.txt", fx["setup-failure"], Options{}},
		{"setup-interrupted.txt", fx["setup-interrupted"], Options{}},
		{"teardown-failure.txt", teardownFailure(), Options{}},
		{"error-before-invoke.txt", errorBeforeInvoke(), Options{}},
		{"mixed.txt", mixed(), Options{}},
		{"mixed-color.txt", mixed(), Options{Color: true}},
		{"mixed-progress.txt", mixed(), Options{Progress: true}},
		{"mixed-slowest-1.txt", mixed(), Options{Slowest: 1}},
		{"mixed-slowest-none.txt", mixed(), Options{Slowest: -1}},
		{"verbose-fail.txt", fx["fail"], Options{Verbose: true}},
		{"verbose-retries.txt", fx["retries"], Options{Verbose: true}},
		{"verbose-multistep.txt", fx["multistep"], Options{Verbose: true}},
		{"verbose-setup-failure.txt", fx["setup-failure"], Options{Verbose: true}},
		{"verbose-progress-color.txt", fx["retries"], Options{Verbose: true, Progress: true, Color: true}},
	}
	for _, tc := range tests {
		t.Run(strings.TrimSuffix(tc.golden, ".txt"), func(t *testing.T) {
			checkGolden(t, tc.golden, replay(tc.opts, events(tc.result)))
		})
	}
}

func TestOutputIsDeterministic(t *testing.T) {
	a := replay(Options{Verbose: true, Progress: true, Color: true}, events(mixed()))
	b := replay(Options{Verbose: true, Progress: true, Color: true}, events(mixed()))
	if !bytes.Equal(a, b) {
		t.Error("two replays of one event sequence differ")
	}
}

func TestProgressNeverDrawnWhenOff(t *testing.T) {
	for _, opts := range []Options{{}, {Color: true}, {Verbose: true}} {
		out := replay(opts, events(mixed()))
		if bytes.Contains(out, []byte("\r")) || bytes.Contains(out, []byte("running…")) || bytes.Contains(out, []byte("\033[K")) {
			t.Errorf("options %+v: progress drawn:\n%q", opts, out)
		}
	}
}

func TestPlainOutputHasNoEscapes(t *testing.T) {
	out := replay(Options{Verbose: true}, events(mixed()))
	if i := bytes.IndexByte(out, 0x1b); i >= 0 {
		t.Errorf("escape at byte %d without Color: %q", i, out[max(0, i-20):i+5])
	}
}

func TestLastLineIsCountShape(t *testing.T) {
	tests := []struct {
		name   string
		result *runner.Result
		want   string
	}{
		{"all passed", samples.Fixtures()["pass"], "2 passed, 0 failed, 0 skipped"},
		{"errored counts as failed and is named", mixed(), "3 passed, 3 failed, 1 skipped (failed includes 1 errored)"},
		{"nothing selected", &runner.Result{}, "0 passed, 0 failed, 0 skipped"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := strings.TrimSuffix(string(replay(Options{}, events(tc.result))), "\n")
			last := out[strings.LastIndexByte(out, '\n')+1:]
			if last != tc.want {
				t.Errorf("last line %q, want %q", last, tc.want)
			}
		})
	}
}

// TestProgressInterleaved checks the exact bytes of the progress line while
// two tests run at once and a setup fails.
func TestProgressInterleaved(t *testing.T) {
	fx := samples.Fixtures()
	p := fx["pass"].Suites[0]
	a, b := p.Tests[0], p.Tests[1]
	sf := fx["setup-failure"].Suites[0]
	res := &runner.Result{Duration: 2 * time.Second, Suites: []*runner.SuiteResult{p}}
	evs := []runner.Event{
		{Kind: runner.RunStarted, Total: 2},
		{Kind: runner.TestStarted, Suite: p, Test: a, Total: 2},
		{Kind: runner.TestStarted, Suite: p, Test: b, Total: 2},
		{Kind: runner.SetupFinished, Suite: sf, Total: 2},
		{Kind: runner.TestFinished, Suite: p, Test: b, Done: 1, Total: 2},
		{Kind: runner.AttemptFinished, Suite: p, Test: a, Step: a.Steps[0], Attempt: a.Steps[0].Attempts[0], AttemptNum: 1, Done: 1, Total: 2},
		{Kind: runner.TestFinished, Suite: p, Test: a, Done: 2, Total: 2},
		{Kind: runner.RunFinished, Result: res, Done: 2, Total: 2},
	}
	got := string(replay(Options{Progress: true, Slowest: -1}, evs))
	want := "[0/2] running…" +
		"\r\033[K! users › setup (40ms)\n" +
		"    step 1 \"login\" (specs/users.yaml:4)\n" +
		"    error: HTTP 401 from the API: the request signature was rejected\n" +
		"    hint:  check NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY\n" +
		"[0/2] running…" +
		"\r\033[K✓ hello › greets the world (2ms)\n[1/2] running…" +
		"\r\033[K✓ hello › greets by name (120ms)\n[2/2] running…" +
		"\r\033[K\nRan 2 tests in 2.00s\n2 passed, 0 failed, 0 skipped\n"
	if got != want {
		t.Errorf("byte stream\n got: %q\nwant: %q", got, want)
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		want string
	}{
		{"zero", 0, "0ms"},
		{"negative is zero", -time.Second, "0ms"},
		{"sub-millisecond rounds", 1500 * time.Microsecond, "2ms"},
		{"milliseconds", 120 * time.Millisecond, "120ms"},
		{"just under a second rounds up to seconds", 999600 * time.Microsecond, "1.00s"},
		{"seconds with two decimals", 1523 * time.Millisecond, "1.52s"},
		{"just under a minute rounds up to minutes", 59996 * time.Millisecond, "1m00s"},
		{"minutes and seconds", 2*time.Minute + 3400*time.Millisecond, "2m03s"},
		{"hours", time.Hour + 2*time.Minute + 3*time.Second, "1h02m03s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := formatDuration(tc.d); got != tc.want {
				t.Errorf("formatDuration(%v) = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
}

func TestColorWanted(t *testing.T) {
	devnull, err := os.Open(os.DevNull) // a character device
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	file, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	env := fakeenv.Lookup
	tests := []struct {
		name    string
		f       *os.File
		noColor bool
		env     func(string) (string, bool)
		want    bool
	}{
		{"a terminal wants colour", devnull, false, env(), true},
		{"--no-color turns it off", devnull, true, env(), false},
		{"NO_COLOR turns it off", devnull, false, env("NO_COLOR", "1"), false},
		{"an empty NO_COLOR does not", devnull, false, env("NO_COLOR", ""), true},
		{"TERM=dumb turns it off", devnull, false, env("TERM", "dumb"), false},
		{"a regular file gets none", file, false, env(), false},
		{"a nil file gets none", nil, false, env(), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ColorWanted(tc.f, tc.noColor, tc.env); got != tc.want {
				t.Errorf("ColorWanted = %v, want %v", got, tc.want)
			}
		})
	}
}

type failingWriter struct{ calls int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.calls++
	return 0, errors.New("disk full")
}

func TestWriteErrorStopsOutput(t *testing.T) {
	w := &failingWriter{}
	rep := New(w, Options{})
	for _, e := range events(samples.Fixtures()["pass"]) {
		rep.Event(e)
	}
	if w.calls != 1 {
		t.Errorf("%d writes after an error, want 1", w.calls)
	}
	if got, want := rep.Err().Error(), "console: writing the report: disk full"; got != want {
		t.Errorf("Err() = %q, want %q", got, want)
	}
}

func BenchmarkReplay(b *testing.B) {
	evs := events(mixed())
	rep := New(discard{}, Options{Color: true, Progress: true, Verbose: true})
	b.ReportAllocs()
	for b.Loop() {
		for _, e := range evs {
			rep.Event(e)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// reproMessage is the error of an action whose result was
// {"error": "\e[31mRED\e[0m \r\x07 done"} (finding C6).
const reproMessage = "\"application error\": \x1b[31mRED\x1b[0m \r\x07 done"

// controls is a run whose texts carry control characters: the action error
// of the finding, and the names, skip reason, failure and exchange of
// scenarios.Escape (ESC sequences, DEL, NUL, invalid UTF-8, CR, newlines).
func controls() *runner.Result {
	r := scenarios.Escape()
	e := samples.Fixtures()["error"].Suites[0]
	tr := e.Tests[0]
	tr.Steps[0].Attempts[0].Err, tr.Steps[0].Reason, tr.Reason = reproMessage, reproMessage, reproMessage
	tr.Test.Name = "slow \x1b]0;owned\x07 action\x9b2J"
	r.Suites = append(r.Suites, e)
	r.Decide()
	return r
}

// TestControlCharactersAreMadeVisible: no control character of the run's
// texts reaches the writer raw, with or without colour; specrun's own
// colour codes do, and removing them gives the plain output.
func TestControlCharactersAreMadeVisible(t *testing.T) {
	plain := replay(Options{Verbose: true}, events(controls()))
	checkGolden(t, "controls.txt", plain)
	colored := replay(Options{Verbose: true, Color: true}, events(controls()))
	checkGolden(t, "controls-color.txt", colored)
	for i, r := range string(plain) {
		if r != '\n' && (r < 0x20 || r >= 0x7f && r < 0xa0) {
			t.Fatalf("control %U at byte %d without colour: %q", r, i, plain[max(0, i-30):i+1])
		}
	}
	stripped := string(colored)
	for _, code := range []string{green, red, yellow, dim, bold, reset} {
		stripped = strings.ReplaceAll(stripped, code, "")
	}
	if stripped != string(plain) {
		t.Errorf("the coloured output holds more than specrun's colour codes:\n%q", colored)
	}
	if !strings.Contains(string(plain), `error: "application error": \x1b[31mRED\x1b[0m \r\x07 done`) {
		t.Errorf("the action's error is not shown escaped:\n%s", plain)
	}
}

// FuzzNoRawControls: whatever the texts of a run (test and suite names,
// skip reason, action error, failure message, exchange), the console
// writes no control character but its own line feeds and colour codes.
func FuzzNoRawControls(f *testing.F) {
	f.Add(reproMessage, scenarios.Hostile, "why\r\x1b[1A", "\u009b2J\xc2")
	f.Fuzz(func(t *testing.T, name, message, reason, exchange string) {
		r := controls()
		s := r.Suites[0]
		s.Suite.Name = name
		s.Tests[0].Test.Name = name
		a := s.Tests[0].Steps[0].Attempts[0]
		a.Failures[0].Message, a.Failures[0].Diff, a.Err = message, message, message
		a.Exchanges[0].Response = exchange
		s.Tests[1].Reason = reason
		r.Decide()
		out := string(replay(Options{Verbose: true, Color: true}, events(r)))
		for _, code := range []string{green, red, yellow, dim, bold, reset} {
			out = strings.ReplaceAll(out, code, "")
		}
		for i, c := range out {
			if c != '\n' && (c < 0x20 || c >= 0x7f && c < 0xa0) {
				t.Fatalf("raw %U at byte %d: %q", c, i, out[max(0, i-30):i+1])
			}
		}
	})
}
