package jsonreport

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// Result converts rep back into a runner.Result, so that every reporter
// (JUnit, TAP, HTML) can render a report read from a file or merged from
// shards. What the JSON report does not keep is left zero: columns of
// tests and steps, suite tags, step start times. A merged report's shards
// become RunInfo.Shard, joined with ", ". rep must be valid (as Read and
// Merge return it).
func (rep *Report) Result() *runner.Result {
	r := &runner.Result{
		Info: runner.RunInfo{
			Version: rep.Run.SpecrunVersion, Endpoint: rep.Run.Endpoint, Hostname: rep.Run.Hostname,
			Local: rep.Run.Local, Parallel: rep.Run.Parallel, Shard: rep.Run.Shard,
		},
		Start:       parseTime(rep.Run.Start),
		Duration:    time.Duration(rep.Run.DurationMS) * time.Millisecond,
		Interrupted: rep.Run.Interrupted,
	}
	if len(rep.Run.Shards) > 0 {
		r.Info.Shard = strings.Join(rep.Run.Shards, ", ")
	}
	if sel := rep.Run.Selection; sel != nil {
		r.Info.Run, r.Info.Tags = sel.Run, sel.Tags
	}
	for i, s := range rep.Suites {
		r.Suites = append(r.Suites, s.result(i))
	}
	r.Decide()
	return r
}

func (s *Suite) result(index int) *runner.SuiteResult {
	su := &spec.Suite{Name: s.Name, File: s.File, Index: index, Pos: spec.Pos{File: s.File, Line: 1, Col: 1}}
	sr := &runner.SuiteResult{Suite: su, Status: parseStatus(s.Status), Duration: ms(s.DurationMS)}
	sr.Setup, su.Setup = stepResults(s.File, s.Setup)
	sr.Teardown, su.Teardown = stepResults(s.File, s.Teardown)
	for _, t := range s.Tests {
		file := t.File
		if file == "" {
			file = s.File
		}
		test := &spec.Test{Suite: su, Index: len(su.Tests), Name: t.Name, Pos: spec.Pos{File: file, Line: t.Line}, Tags: t.Tags, MultiStep: len(t.Steps) > 1}
		tr := &runner.TestResult{Test: test, Status: parseStatus(t.Status), Reason: t.Reason, Start: parseTime(t.Start), Duration: ms(t.DurationMS)}
		tr.Steps, test.Steps = stepResults(file, t.Steps)
		su.Tests = append(su.Tests, test)
		sr.Tests = append(sr.Tests, tr)
		if sr.Start.IsZero() || (!tr.Start.IsZero() && tr.Start.Before(sr.Start)) {
			sr.Start = tr.Start
		}
	}
	return sr
}

func stepResults(file string, steps []*Step) ([]*runner.StepResult, []*spec.Step) {
	var out []*runner.StepResult
	var specs []*spec.Step
	for i, st := range steps {
		step := &spec.Step{Pos: spec.Pos{File: file, Line: st.Line}, Index: i, Name: st.Name}
		sr := &runner.StepResult{Step: step, Status: parseStatus(st.Status), Reason: st.Reason, Duration: ms(st.DurationMS)}
		for _, a := range st.Attempts {
			sr.Attempts = append(sr.Attempts, a.result(file))
		}
		out = append(out, sr)
		specs = append(specs, step)
	}
	return out, specs
}

func (a *Attempt) result(file string) *runner.Attempt {
	out := &runner.Attempt{
		Status: parseStatus(a.Status), Duration: ms(a.DurationMS),
		Package: a.Package, Action: a.Action, Platform: a.Platform,
		HTTPStatus: a.HTTPStatus, ActivationID: a.ActivationID, Polls: a.Polls,
		Err: a.Error, Hint: a.Hint,
	}
	out.MayHaveRun = a.MayHaveRun
	for _, x := range a.Exchanges {
		out.Exchanges = append(out.Exchanges, &runner.Exchange{Start: parseTime(x.Start), Poll: x.Poll, Request: x.Request, Response: x.Response, Note: x.Note})
	}
	if len(a.Exchanges) == 0 && (a.Request != "" || a.Response != "") {
		out.Exchanges = []*runner.Exchange{{Request: a.Request, Response: a.Response}}
	}
	for _, t := range a.Transport {
		out.Tries = append(out.Tries, runner.Try{Method: t.Method, Start: parseTime(t.Start), HTTPStatus: t.HTTPStatus, Answer: t.Answer, Resent: t.Resent, Why: t.Why})
	}
	for _, f := range a.Failures {
		out.Failures = append(out.Failures, f.result(file))
	}
	return out
}

func (f *Failure) result(file string) *runner.Failure {
	pos := spec.Pos{File: file, Line: f.Line, Col: f.Col}
	if i := strings.LastIndex(f.At, ":"); i > 0 {
		pos.File = f.At[:i]
		if pos.Line == 0 {
			pos.Line, _ = strconv.Atoi(f.At[i+1:])
		}
	}
	return &runner.Failure{
		Pos: pos, Key: f.Key, Path: f.Path, Op: f.Op,
		Expected: valueText(f.Expected, f.ExpectedText), Actual: valueText(f.Actual, f.ActualText),
		Node: f.Node, Pointer: f.Pointer, Diff: f.Diff, Reason: f.Reason, Message: f.Message,
	}
}

// valueText is the runner's text of a value kept as JSON (compacted: the
// report's indentation re-indents it) or as text.
func valueText(raw []byte, text string) string {
	if len(raw) == 0 {
		return text
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
}

func parseStatus(s string) runner.Status {
	switch s {
	case StatusPass:
		return runner.Pass
	case StatusFail:
		return runner.Fail
	case StatusError:
		return runner.Error
	case StatusInterrupted:
		return runner.Interrupted
	}
	return runner.Skip
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }
