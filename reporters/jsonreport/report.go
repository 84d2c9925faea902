package jsonreport

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/specrun/specrun/runner"
)

// SchemaVersion is the version of the document that Write and Encode
// produce and that Read and Merge accept. It changes only when a field is
// removed or changes meaning; new fields are added within a version.
//
// Version 2 added the status "interrupted" (a run stopped by a signal was
// "pass" or "fail" in version 1, its tests in flight "skip").
const SchemaVersion = 2

// TimeLayout is the layout of the run's start time: RFC 3339 in UTC with
// milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// The status strings of the document, as runner.Status.String returns them.
const (
	StatusPass  = "pass"
	StatusFail  = "fail"
	StatusError = "error"
	StatusSkip  = "skip"
	// StatusInterrupted is the status of an interrupted run, and of a test
	// whose request was sent when the run was interrupted.
	StatusInterrupted = "interrupted"
)

// Report is the whole document. Its zero value is not a valid report: use
// New, Read or Merge. A Report is plain data and not safe for concurrent
// modification.
type Report struct {
	SchemaVersion int `json:"schema_version"`
	// Status is the worst status of all suites ("skip" when nothing ran),
	// "interrupted" whenever the run was.
	Status string `json:"status"`
	Counts Counts `json:"counts"`
	Run    Run    `json:"run"`
	// Suites are in the order of their files (input order).
	Suites []*Suite `json:"suites"`
}

// Counts tallies tests by status, as runner.Counts: Total is the sum of
// Passed, Failed, Errored, Skipped and Interrupted.
type Counts struct {
	Total   int `json:"total"`
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Errored int `json:"errored"`
	Skipped int `json:"skipped"`
	// Interrupted counts the tests whose request was sent when the run was
	// interrupted.
	Interrupted int `json:"interrupted"`
	// Fixtures is how many of Errored are failed setups and teardowns (0
	// when a report written before the field existed is read; Merge
	// recounts it from the suites).
	Fixtures int `json:"fixtures"`
}

// NewCounts is c as the report writes it: every count of the model that
// all formats share.
func NewCounts(c runner.Counts) Counts {
	return Counts{Total: c.Total, Passed: c.Passed, Failed: c.Failed, Errored: c.Errored, Skipped: c.Skipped,
		Interrupted: c.Interrupted, Fixtures: c.Fixtures}
}

// Run is the run's metadata.
type Run struct {
	SpecrunVersion string `json:"specrun_version,omitempty"`
	Endpoint       string `json:"endpoint,omitempty"`
	// Hostname is the machine the run ran on; omitted when unknown.
	Hostname string `json:"hostname,omitempty"`
	Local    bool   `json:"local,omitempty"`
	Parallel int    `json:"parallel,omitempty"`
	// Shard is "K/N" for a report of one shard; empty otherwise.
	Shard string `json:"shard,omitempty"`
	// Shards lists the shards a merged report combines (set by Merge only).
	Shards    []string   `json:"shards,omitempty"`
	Selection *Selection `json:"selection,omitempty"`
	// Start is formatted with TimeLayout; empty when unknown.
	Start       string `json:"start,omitempty"`
	DurationMS  int64  `json:"duration_ms"`
	Interrupted bool   `json:"interrupted"`
}

// Selection holds the --run and --tags selections; nil when neither was
// given.
type Selection struct {
	Run  string `json:"run,omitempty"`
	Tags string `json:"tags,omitempty"`
}

// Suite is one spec file's outcome.
type Suite struct {
	Name       string  `json:"name"`
	File       string  `json:"file"`
	Status     string  `json:"status"`
	DurationMS int64   `json:"duration_ms"`
	Setup      []*Step `json:"setup,omitempty"`
	Teardown   []*Step `json:"teardown,omitempty"`
	// Tests are the selected tests, in the order of the file.
	Tests []*Test `json:"tests"`
}

// Test is one test's outcome.
type Test struct {
	Name     string   `json:"name"`
	FullName string   `json:"full_name"`
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Status   string   `json:"status"`
	Reason   string   `json:"reason,omitempty"`
	// Start is when the test started (TimeLayout); empty when it did not.
	Start      string `json:"start,omitempty"`
	DurationMS int64  `json:"duration_ms"`
	// Attempts counts the attempts of all steps.
	Attempts      int      `json:"attempts"`
	ActivationIDs []string `json:"activation_ids,omitempty"`
	Steps         []*Step  `json:"steps,omitempty"`
}

// Step is one step's outcome.
type Step struct {
	Name       string     `json:"name"`
	Line       int        `json:"line,omitempty"`
	Status     string     `json:"status"`
	Reason     string     `json:"reason,omitempty"`
	DurationMS int64      `json:"duration_ms"`
	Attempts   []*Attempt `json:"attempts,omitempty"`
}

// Attempt is one invocation of a step.
type Attempt struct {
	Status       string     `json:"status"`
	HTTPStatus   int        `json:"http_status,omitempty"`
	ActivationID string     `json:"activation_id,omitempty"`
	Package      string     `json:"package,omitempty"`
	Action       string     `json:"action,omitempty"`
	Platform     string     `json:"platform,omitempty"`
	Polls        int        `json:"polls,omitempty"`
	DurationMS   int64      `json:"duration_ms"`
	Error        string     `json:"error,omitempty"`
	Hint         string     `json:"hint,omitempty"`
	MayHaveRun   bool       `json:"may_have_run,omitempty"`
	Failures     []*Failure `json:"failures,omitempty"`
	// Request and Response are the last exchange of the run-action call
	// (its answer, before any poll); Exchanges holds every exchange, polls
	// included, in order.
	Request   string      `json:"request,omitempty"`
	Response  string      `json:"response,omitempty"`
	Exchanges []*Exchange `json:"exchanges,omitempty"`
	// Transport lists the transport attempts of the attempt's calls, when
	// there was more than one or the last answer came from the transport.
	Transport []*Try `json:"transport,omitempty"`
}

// Exchange is one HTTP request and its response, redacted.
type Exchange struct {
	// Start is when the request was sent, formatted with TimeLayout.
	Start    string `json:"start,omitempty"`
	Poll     bool   `json:"poll,omitempty"`
	Request  string `json:"request"`
	Response string `json:"response,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Try is one transport attempt of a call.
type Try struct {
	Method     string `json:"method"`
	Start      string `json:"start,omitempty"`
	HTTPStatus int    `json:"http_status,omitempty"`
	Answer     string `json:"answer"`
	Resent     bool   `json:"resent"`
	Why        string `json:"why,omitempty"`
}

// Failure is one expectation that did not hold.
//
// Expected and Actual hold the values as JSON when the runner's text is
// valid JSON; when it is not (it was truncated), the text is in
// ExpectedText or ActualText instead. At most one of each pair is set.
type Failure struct {
	// At is "FILE:LINE" of the expectation in the spec.
	At           string          `json:"at"`
	Line         int             `json:"line,omitempty"`
	Col          int             `json:"col,omitempty"`
	Key          string          `json:"key,omitempty"`
	Path         string          `json:"path,omitempty"`
	Op           string          `json:"op,omitempty"`
	Expected     json.RawMessage `json:"expected,omitempty"`
	ExpectedText string          `json:"expected_text,omitempty"`
	Actual       json.RawMessage `json:"actual,omitempty"`
	ActualText   string          `json:"actual_text,omitempty"`
	Node         string          `json:"node,omitempty"`
	Pointer      string          `json:"pointer,omitempty"`
	Diff         string          `json:"diff,omitempty"`
	Reason       string          `json:"reason,omitempty"`
	Message      string          `json:"message,omitempty"`
}

// Write converts r and writes it to w, as Encode does. It streams the
// report suite by suite, so that a run of 100,000 tests never holds the
// whole document in memory.
func Write(w io.Writer, r *runner.Result) error {
	if r == nil {
		return fmt.Errorf("jsonreport: nil result")
	}
	return encode(w, newHead(r), len(r.Suites), func(i int) *Suite { return newSuite(r.Suites[i]) })
}

// Encode writes rep to w, indented by two spaces and followed by a newline.
// Nil suite and test lists are written as []; rep is not modified.
func Encode(w io.Writer, rep *Report) error {
	if rep == nil {
		return fmt.Errorf("jsonreport: nil report")
	}
	h := *rep
	return encode(w, &h, len(rep.Suites), func(i int) *Suite {
		s := rep.Suites[i]
		if s != nil && s.Tests == nil {
			sc := *s
			sc.Tests = []*Test{}
			s = &sc
		}
		return s
	})
}

// suitesTail is how the head, encoded with an empty suite list, ends.
const suitesTail = "[]\n}\n"

// encode writes head (whose own Suites are ignored) with the n suites that
// suite returns, one at a time, through a buffered writer. The bytes are
// those of encoding the whole report with two-space indentation.
func encode(w io.Writer, head *Report, n int, suite func(int) *Suite) error {
	head.Suites = []*Suite{}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(head); err != nil {
		return fmt.Errorf("jsonreport: encoding the report: %w", err)
	}
	text := buf.Bytes()
	if !bytes.HasSuffix(text, []byte(suitesTail)) {
		return fmt.Errorf("jsonreport: internal error: the report does not end with its suites")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(text[:len(text)-len(suitesTail)])
	if n == 0 {
		bw.WriteString(suitesTail)
	} else {
		bw.WriteString("[\n")
		enc.SetIndent("    ", "  ")
		for i := 0; i < n; i++ {
			buf.Reset()
			if err := enc.Encode(suite(i)); err != nil {
				return fmt.Errorf("jsonreport: encoding the report: %w", err)
			}
			bw.WriteString("    ")
			bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
			if i < n-1 {
				bw.WriteString(",")
			}
			bw.WriteString("\n")
		}
		bw.WriteString("  ]\n}\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("jsonreport: writing the report: %w", err)
	}
	return nil
}

// New converts a final result to a Report. It reads r and never modifies
// it; r must keep the promise of runner.Result (no nil element, every spec set).
func New(r *runner.Result) *Report {
	rep := newHead(r)
	rep.Suites = make([]*Suite, 0, len(r.Suites))
	for _, s := range r.Suites {
		rep.Suites = append(rep.Suites, newSuite(s))
	}
	return rep
}

// newHead converts everything of r but its suites.
func newHead(r *runner.Result) *Report {
	rep := &Report{
		SchemaVersion: SchemaVersion,
		Status:        r.Status().String(),
		Counts:        NewCounts(r.Counts()),
		Run: Run{
			SpecrunVersion: r.Info.Version,
			Endpoint:       r.Info.Endpoint,
			Hostname:       r.Info.Hostname,
			Local:          r.Info.Local,
			Parallel:       r.Info.Parallel,
			Shard:          r.Info.Shard,
			Start:          formatTime(r.Start),
			DurationMS:     millis(r.Duration),
			Interrupted:    r.Interrupted,
		},
	}
	if r.Info.Run != "" || r.Info.Tags != "" {
		rep.Run.Selection = &Selection{Run: r.Info.Run, Tags: r.Info.Tags}
	}
	return rep
}

func newSuite(s *runner.SuiteResult) *Suite {
	out := &Suite{
		Status:     s.Status.String(),
		DurationMS: millis(s.Duration),
		Setup:      newSteps(s.Setup),
		Teardown:   newSteps(s.Teardown),
		Tests:      make([]*Test, 0, len(s.Tests)),
		Name:       s.Suite.Name,
		File:       s.Suite.File,
	}
	for _, t := range s.Tests {
		out.Tests = append(out.Tests, newTest(t))
	}
	return out
}

func newTest(t *runner.TestResult) *Test {
	out := &Test{
		Status:        t.Status.String(),
		Reason:        t.Reason,
		Start:         formatTime(t.Start),
		DurationMS:    millis(t.Duration),
		Attempts:      t.Attempts(),
		ActivationIDs: t.ActivationIDs(),
		Steps:         newSteps(t.Steps),
		Name:          t.Test.Name,
		FullName:      t.Test.FullName(),
		File:          t.Test.Pos.File,
		Line:          t.Test.Pos.Line,
	}
	if len(t.Test.Tags) > 0 {
		out.Tags = append([]string(nil), t.Test.Tags...)
	}
	if out.File == "" {
		out.File = t.Test.Suite.File
	}
	return out
}

func newSteps(steps []*runner.StepResult) []*Step {
	if len(steps) == 0 {
		return nil
	}
	out := make([]*Step, 0, len(steps))
	for _, s := range steps {
		st := &Step{Status: s.Status.String(), Reason: s.Reason, DurationMS: millis(s.Duration), Name: s.Step.Name, Line: s.Step.Pos.Line}
		for _, a := range s.Attempts {
			st.Attempts = append(st.Attempts, newAttempt(a))
		}
		out = append(out, st)
	}
	return out
}

func newAttempt(a *runner.Attempt) *Attempt {
	out := &Attempt{
		Status:       a.Status.String(),
		HTTPStatus:   a.HTTPStatus,
		ActivationID: a.ActivationID,
		Package:      a.Package,
		Action:       a.Action,
		Platform:     a.Platform,
		Polls:        a.Polls,
		DurationMS:   millis(a.Duration),
		Error:        a.Err,
		Hint:         a.Hint,
		MayHaveRun:   a.MayHaveRun,
	}
	if x := a.RunExchange(); x != nil {
		out.Request, out.Response = x.Request, x.Response
	}
	for _, x := range a.Exchanges {
		out.Exchanges = append(out.Exchanges, &Exchange{Start: formatTime(x.Start), Poll: x.Poll, Request: x.Request, Response: x.Response, Note: x.Note})
	}
	for _, t := range a.Tries {
		out.Transport = append(out.Transport, &Try{Method: t.Method, Start: formatTime(t.Start), HTTPStatus: t.HTTPStatus,
			Answer: t.Answer, Resent: t.Resent, Why: t.Why})
	}
	for _, f := range a.Failures {
		out.Failures = append(out.Failures, newFailure(f))
	}
	return out
}

func newFailure(f *runner.Failure) *Failure {
	out := &Failure{
		At:      f.Pos.FileLine(),
		Line:    f.Pos.Line,
		Col:     f.Pos.Col,
		Key:     f.Key,
		Path:    f.Path,
		Op:      f.Op,
		Node:    f.Node,
		Pointer: f.Pointer,
		Diff:    f.Diff,
		Reason:  f.Reason,
		Message: f.Message,
	}
	out.Expected, out.ExpectedText = jsonOrText(f.Expected)
	out.Actual, out.ActualText = jsonOrText(f.Actual)
	return out
}

// jsonOrText returns s compacted as raw JSON when it is one valid JSON
// value, else s as text. Empty gives neither.
func jsonOrText(s string) (json.RawMessage, string) {
	if s == "" {
		return nil, ""
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(s)); err == nil && buf.Len() > 0 {
		return json.RawMessage(buf.Bytes()), ""
	}
	return nil, s
}

// millis rounds d to the nearest millisecond, halves away from zero.
func millis(d time.Duration) int64 {
	return d.Round(time.Millisecond).Milliseconds()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeLayout)
}
