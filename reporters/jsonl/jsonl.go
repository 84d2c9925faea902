// Package jsonl streams a run as JSON Lines: one JSON object per line, one
// line per event, written the moment the event happens, for tools that
// consume a run as it goes (as `go test -json` is consumed). The schema is
// versioned: every line carries "v": SchemaVersion, and
// docs/jsonl.schema.json (documented in docs/cli.md) describes every line.
//
// The events are, in order: run_start (once), then for each test
// test_start, an attempt line per attempt of its steps and test_end; a
// fixture_end line for each suite's setup and teardown (with the attempts
// of their steps before it); and run_end (once, last). Tests run in
// parallel, so the lines of different tests interleave: the suite and
// test fields say which test a line is about.
//
// Secrets never appear: the text comes from the runner's results, already
// redacted, and no request or response is written.
package jsonl

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/runner"
)

// SchemaVersion is the "v" of every line; it changes when a field changes
// meaning or is removed (new fields may be added within a version).
const SchemaVersion = 1

// Options configure NewStream.
type Options struct {
	// Now is the clock of each line's time; nil means time.Now.
	Now func() time.Time
	// Info is the run's metadata for run_start.
	Info runner.RunInfo
}

// Line is one line of the stream. Fields are omitted when empty, except
// v, event and time.
type Line struct {
	V     int    `json:"v"`
	Event string `json:"event"`
	Time  string `json:"time"`
	// run_start
	Total int      `json:"total,omitempty"`
	Run   *RunInfo `json:"run,omitempty"`
	// test_start, attempt, test_end, fixture_end
	Suite string `json:"suite,omitempty"`
	Test  string `json:"test,omitempty"`
	File  string `json:"file,omitempty"`
	Line  int    `json:"line,omitempty"`
	// attempt, fixture_end: "setup" or "teardown" for a suite's steps
	Phase string `json:"phase,omitempty"`
	// attempt
	Step         string `json:"step,omitempty"`
	Attempt      int    `json:"attempt,omitempty"`
	HTTPStatus   int    `json:"http_status,omitempty"`
	ActivationID string `json:"activation_id,omitempty"`
	Error        string `json:"error,omitempty"`
	// MayHaveRun is true when the attempt's request was sent and no answer
	// says the action did not run (an interrupt, a lost connection).
	MayHaveRun bool `json:"may_have_run,omitempty"`
	// attempt, test_end, fixture_end, run_end
	Status     string `json:"status,omitempty"`
	DurationMS *int64 `json:"duration_ms,omitempty"`
	// test_end
	Reason   string     `json:"reason,omitempty"`
	Attempts int        `json:"attempts,omitempty"`
	Failures []*Failure `json:"failures,omitempty"`
	// run_end
	Counts      *Counts `json:"counts,omitempty"`
	Interrupted bool    `json:"interrupted,omitempty"`
	// Complete is false on a run_end written by Abort (the run did not
	// finish: no counts).
	Complete *bool `json:"complete,omitempty"`
}

// RunInfo is run_start's run.
type RunInfo struct {
	SpecrunVersion string `json:"specrun_version,omitempty"`
	Endpoint       string `json:"endpoint,omitempty"`
	Local          bool   `json:"local,omitempty"`
	Parallel       int    `json:"parallel,omitempty"`
	Shard          string `json:"shard,omitempty"`
	Run            string `json:"run,omitempty"`
	Tags           string `json:"tags,omitempty"`
}

// Counts are run_end's counts: the JSON report's counts, every count of
// runner.Counts (the model every format shares), fixtures included.
type Counts = jsonreport.Counts

// Failure is one expectation that did not hold, in test_end.
type Failure struct {
	At      string `json:"at"`
	Message string `json:"message"`
}

// Stream writes the lines; it is a runner.Handler. Abort may be called from
// another goroutine.
type Stream struct {
	mu       sync.Mutex
	enc      *json.Encoder
	opts     Options
	finished bool
	err      error
}

// NewStream returns a Stream writing to w.
func NewStream(w io.Writer, opts Options) *Stream {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &Stream{enc: enc, opts: opts}
}

// Event writes the line of e, if it has one.
func (s *Stream) Event(e runner.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return
	}
	if l := s.line(e); l != nil {
		s.write(l)
	}
	if e.Kind == runner.RunFinished {
		s.finished = true
	}
}

func (s *Stream) line(e runner.Event) *Line {
	switch e.Kind {
	case runner.RunStarted:
		i := s.opts.Info
		return s.newLine("run_start", func(l *Line) {
			l.Total = e.Total
			l.Run = &RunInfo{SpecrunVersion: i.Version, Endpoint: i.Endpoint, Local: i.Local, Parallel: i.Parallel, Shard: i.Shard, Run: i.Run, Tags: i.Tags}
		})
	case runner.TestStarted:
		return s.newLine("test_start", func(l *Line) { where(l, e.Suite, e.Test) })
	case runner.AttemptFinished:
		return s.attempt(e)
	case runner.TestFinished:
		return s.testEnd(e)
	case runner.SetupFinished, runner.TeardownFinished:
		return s.fixtureEnd(e)
	case runner.RunFinished:
		return s.runEnd(e.Result)
	}
	return nil
}

func (s *Stream) newLine(event string, fill func(*Line)) *Line {
	l := &Line{V: SchemaVersion, Event: event, Time: s.opts.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00")}
	fill(l)
	return l
}

// where fills the suite, test, file and line of a test's line.
func where(l *Line, sr *runner.SuiteResult, tr *runner.TestResult) {
	if sr != nil {
		l.Suite = sr.Suite.Name
		if l.Suite == "" {
			l.Suite = sr.Suite.File
		}
		l.File = sr.Suite.File
	}
	if tr != nil {
		l.Test = tr.Test.Name
		l.File, l.Line = tr.Test.Pos.File, tr.Test.Pos.Line
	}
}

func ms(d time.Duration) *int64 {
	v := d.Round(time.Millisecond).Milliseconds()
	return &v
}

func (s *Stream) attempt(e runner.Event) *Line {
	a := e.Attempt
	if a == nil {
		return nil
	}
	return s.newLine("attempt", func(l *Line) {
		where(l, e.Suite, e.Test)
		st := e.Step.Step
		l.Step = st.Name
		if e.Test == nil {
			l.Phase, l.Line = e.Suite.Suite.FixtureOf(st), st.Pos.Line
		}
		l.Attempt = e.AttemptNum
		l.Status = a.Status.String()
		l.DurationMS = ms(a.Duration)
		l.HTTPStatus, l.ActivationID, l.Error, l.MayHaveRun = a.HTTPStatus, a.ActivationID, a.Err, a.MayHaveRun
	})
}

func (s *Stream) testEnd(e runner.Event) *Line {
	tr := e.Test
	if tr == nil {
		return nil
	}
	return s.newLine("test_end", func(l *Line) {
		where(l, e.Suite, tr)
		l.Status, l.Reason, l.DurationMS, l.Attempts = tr.Status.String(), tr.Reason, ms(tr.Duration), tr.Attempts()
		l.Failures = failures(tr.Verdict)
		if l.Reason == "" && len(l.Failures) == 0 {
			l.Reason = tr.Verdict.Message // the error, when no expectation is listed
		}
	})
}

// failures lists the failed expectations of the decisive attempt.
func failures(v runner.Verdict) []*Failure {
	var out []*Failure
	for _, f := range v.Failures() {
		out = append(out, &Failure{At: f.Pos.FileLine(), Message: f.Summary()})
	}
	return out
}

func (s *Stream) fixtureEnd(e runner.Event) *Line {
	if e.Suite == nil {
		return nil
	}
	phase, steps, v := "setup", e.Suite.Setup, e.Suite.SetupVerdict
	if e.Kind == runner.TeardownFinished {
		phase, steps, v = "teardown", e.Suite.Teardown, e.Suite.TeardownVerdict
	}
	if len(steps) == 0 {
		return nil
	}
	return s.newLine("fixture_end", func(l *Line) {
		where(l, e.Suite, nil)
		st, d := runner.Phase(steps)
		l.Phase, l.Status, l.DurationMS = phase, st.String(), ms(d)
		if v.Step != nil {
			l.Step, l.Line = v.Step.Step.Name, v.Step.Step.Pos.Line
		}
		l.Failures = failures(v)
	})
}

func (s *Stream) runEnd(r *runner.Result) *Line {
	return s.newLine("run_end", func(l *Line) {
		complete := true
		l.Complete = &complete
		if r == nil {
			return
		}
		c := jsonreport.NewCounts(r.Counts())
		l.Counts = &c
		l.Status = r.Status().String()
		l.DurationMS = ms(r.Duration)
		l.Interrupted = r.Interrupted
	})
}

// Abort ends the stream of a run that will not finish (a second
// interrupt) with a run_end line whose complete is false. It does nothing
// after the run finished.
func (s *Stream) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return
	}
	s.finished = true
	s.write(s.newLine("run_end", func(l *Line) {
		complete := false
		l.Complete, l.Interrupted = &complete, true
	}))
}

func (s *Stream) write(l *Line) {
	l.validUTF8()
	if err := s.enc.Encode(l); err != nil && s.err == nil {
		s.err = fmt.Errorf("jsonl: %w", err)
	}
}

// validUTF8 replaces each byte of invalid UTF-8 in the line's texts with
// U+FFFD, so that the line reads the same whichever Go built specrun
// (encoding/json writes such a byte as \ufffd up to Go 1.26, as the
// character itself from Go 1.27).
func (l *Line) validUTF8() {
	for _, p := range []*string{&l.Suite, &l.Test, &l.File, &l.Phase, &l.Step, &l.ActivationID, &l.Error, &l.Reason} {
		*p = validText(*p)
	}
	for _, f := range l.Failures {
		f.At, f.Message = validText(f.At), validText(f.Message)
	}
}

// validText is s with each byte of invalid UTF-8 replaced by U+FFFD (a
// string converted to runes decodes an invalid byte as utf8.RuneError).
func validText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}

// Err returns the first error writing the stream.
func (s *Stream) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
