package spec

import (
	"fmt"
	"slices"
	"time"

	"github.com/specrun/specrun/assert"
	"github.com/specrun/specrun/internal/redact"
)

// Pos is a position in a source file. Line and Col are 1-based; a zero
// Line means the position is unknown (for example a default that no file
// wrote). Pos is a value type and safe to copy.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as FILE:LINE:COL, or FILE:LINE when the column
// is unknown, or FILE alone when the line is unknown.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
}

// FileLine formats the position as FILE:LINE (the form reports use to point
// at a test or an assertion).
func (p Pos) FileLine() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Error is one problem found while loading, tied to the place in the file
// that caused it. Load joins many of them with errors.Join.
type Error struct {
	Pos Pos
	Msg string
}

// Error formats the problem as FILE:LINE:COL: message.
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Project is everything Load read: the suites in lexical file order, and what
// the runner needs to redact. A Project is read-only once loaded and safe for
// concurrent use.
type Project struct {
	// Suites holds one suite per file, in lexical path order.
	Suites []*Suite
	// Secrets holds the values that must never appear in output: the values
	// of the variables named by Options.Secrets. Empty strings are omitted.
	Secrets []string
	// SecretNames are the names given by Options.Secrets. A capture of one
	// of these names is a secret whose value is known only at run time: the
	// runner redacts it from the moment it is captured.
	SecretNames []string
	// SecretValues are the values of Secrets by the name that gives them
	// (a name may have several: one per suite that defines it), for what
	// is said about a name without showing its value.
	SecretValues map[string][]string
	// SchemaFiles are the absolute paths of the JSON Schema files that
	// `schema` checks read, sorted: inputs of the run, as the spec files.
	SchemaFiles []string

	// static redacts the values of Secrets and Options.Credentials; nil
	// when there are none.
	static *redact.Redactor
}

// Redact replaces, in s, the values Load hid in the names, tags and skip
// reasons (Secrets and Options.Credentials) with ***: for text about the
// project that is not its own, such as the --run and --tags expressions,
// or a message quoting them.
func (p *Project) Redact(s string) string { return p.static.String(s) }

// Tests counts the tests of all suites.
func (p *Project) Tests() int {
	n := 0
	for _, s := range p.Suites {
		n += len(s.Tests)
	}
	return n
}

// Tags returns the tags of all tests, sorted, each once.
func (p *Project) Tags() []string {
	var tags []string
	for _, s := range p.Suites {
		for _, t := range s.Tests {
			tags = append(tags, t.Tags...)
		}
	}
	slices.Sort(tags)
	return slices.Compact(tags)
}

// Suite is one spec file.
type Suite struct {
	// Name is the `suite` key, or the file's path relative to the root it was
	// found under when the key is absent.
	Name string
	// File is the path of the file as it will be printed in messages.
	File string
	// Index is the suite's position in Project.Suites.
	Index int
	Pos   Pos
	// Tags are the suite's own tags; every test already includes them.
	Tags []string
	// Setup steps run once before the suite's tests; their captures are
	// visible to every test of the suite. Teardown steps run once after them.
	Setup    []*Step
	Teardown []*Step
	Tests    []*Test
}

// FixtureOf says which of the suite's step lists step belongs to:
// "teardown" for a teardown step, else "setup".
func (s *Suite) FixtureOf(step *Step) string {
	if s != nil {
		for _, t := range s.Teardown {
			if t == step {
				return "teardown"
			}
		}
	}
	return "setup"
}

// Test is one entry of a suite's `tests` list.
type Test struct {
	Suite *Suite
	// Index is the test's position in Suite.Tests.
	Index int
	Name  string
	Pos   Pos
	// Tags are the suite's tags followed by the test's own, without
	// duplicates.
	Tags []string
	// Skip is the reason given by `skip`; empty means the test runs.
	Skip string
	// Deadline bounds the whole test, polling and retries included. Load
	// fills in the default (2 minutes) so it is never zero.
	Deadline time.Duration
	// Steps holds one step for a test written with invocation keys, or the
	// `steps` list.
	Steps []*Step
	// MultiStep is true when the test was written with a `steps` list.
	MultiStep bool
}

// FullName is "SUITE/TEST", the string --run matches against.
func (t *Test) FullName() string { return t.Suite.Name + "/" + t.Name }

// Step is one invocation with what must hold of its response.
type Step struct {
	Pos Pos
	// Index is the step's position in its list (Test.Steps, Suite.Setup or
	// Suite.Teardown).
	Index int
	// Name is the step's `name` key, or "PACKAGE/ACTION" as written when absent.
	Name string

	// Package, Action and Platform resolve to strings. Platform may resolve
	// to "" (then the run's --platform, if any, is used).
	Package  *Template
	Action   *Template
	Platform *Template
	// Timeout is how long the call waits for the action (query parameter
	// `timeout`), sent when TimeoutSet (the step or its defaults give
	// `timeout`, 0 included); otherwise the parameter is not sent.
	Timeout    time.Duration
	TimeoutSet bool
	// Params resolves to the JSON object sent as the body. Never nil.
	// Static params resolve to that object's encoding, a json.RawMessage
	// (the bytes Body returns), so that a loaded step does not keep the
	// object twice; params with captures resolve to a map.
	Params *Template

	Expect   Expect
	Captures []*Capture
	// Retry is nil when the step is tried once.
	Retry *Retry

	body     []byte    // the JSON of Params when static, computed at load time
	bodySegs []bodySeg // the JSON of Params, precompiled, when dynamic
}

// Release drops what s holds for being run (its templates, params,
// checks and captures) and keeps Pos, Index, Name, Timeout, TimeoutSet and
// Retry, what a report reads of a step that ran (the console prints an
// attempt's number out of Retry.Attempts). The step cannot be run again.
// Release writes only the fields it drops, so that a goroutine reading the
// kept ones meanwhile (a handler printing an attempt) does not race with
// it; nothing may read the dropped fields at the same time. For
// runner.Options.ReleaseSteps.
func (s *Step) Release() {
	s.Package, s.Action, s.Platform, s.Params = nil, nil, nil, nil
	s.Expect = Expect{}
	s.Captures = nil
	s.body, s.bodySegs = nil, nil
}

// Expect is everything that must hold of a step's response, with the
// defaults filled in by Load:
//
//   - With no `expect`: HTTP status 200 and one check, success
//     ($.content.response.success equals true).
//   - With `expect`: http_status as given, else 0 (any status outside
//     200-299) when `error` is given, else 200. A success check equal to
//     true is added unless `success`, `error` or `status` is given.
//
// Checks come in this order: success ($.content.response.success equals),
// status ($.content.response.status equals), result
// ($.content.response.result, operator "subset"), error ($.error, operator
// "error_subset"), duration (its operators on $.content.duration), then
// one check per `assert` item (Key "assert", Pos of the item, its Message).
type Expect struct {
	// HTTPStatus is the expected HTTP status; 0 means "any status outside
	// 200-299" (what `error` implies when no status is given).
	HTTPStatus int
	// HTTPStatusPos is where http_status was written, or the expect block
	// (or the step) when it was defaulted.
	HTTPStatusPos Pos
	// Checks are evaluated in order against the whole response body. The
	// loader turns `success`, `status`, `result`, `error`, `duration` and
	// every `assert` item into checks.
	Checks []*Check
}

// Check is one compiled expectation on the response body.
type Check struct {
	Pos Pos
	// Key is the spec key the check came from: "success", "status",
	// "result", "error", "duration" or "assert".
	Key string
	// Message is the user's `message`, printed with a failure.
	Message string

	compiled *assert.Assertion // when nothing depends on run-time captures
	dyn      *lateCheck        // else; nil for a static check
	src      *dynamicCheck     // the path and operands as written, always set
}

// lateCheck is a check whose operands reference captures. Apart from Check
// so that the many static checks of a large project stay small.
type lateCheck struct {
	partial *assert.Partial // compiled but for the operators in late
	late    []*Template     // the operands that reference captures
}

// Capture takes a value from a response for later steps.
type Capture struct {
	Pos  Pos
	Name string
	Path *assert.Path
}

// Retry is a step's `retry` block, with defaults filled in.
type Retry struct {
	// Attempts is the total number of attempts, the first included (>= 1).
	Attempts int
	// Delay is the wait before the second attempt.
	Delay time.Duration
	// Backoff multiplies each later delay (1 = fixed).
	Backoff float64
	// MaxDelay caps a single delay; zero means no cap.
	MaxDelay time.Duration
	// Idempotent says that the action is safe to run twice: an attempt that
	// may have run it (the connection broke, or a proxy answered, after the
	// request was sent) is retried too. When false such an attempt ends the
	// step.
	Idempotent bool
}
