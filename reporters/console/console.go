package console

import (
	"bytes"
	"container/heap"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/specrun/specrun/internal/words"
	"github.com/specrun/specrun/reporters/internal/termtext"
	"github.com/specrun/specrun/runner"
)

// DefaultSlowest is how many slowest tests the summary lists when
// Options.Slowest is zero.
const DefaultSlowest = 5

// Options configures a Reporter. The zero value prints plain text, without
// a progress line or exchanges, and lists the DefaultSlowest slowest tests.
type Options struct {
	// Color adds ANSI colours: green for pass, red for fail, yellow for
	// error, dim for skip. Use ColorWanted to decide it.
	Color bool
	// Progress keeps a live "[done/total] running…" line at the bottom,
	// redrawn with "\r\033[K" and cleared before any other output and at
	// the end of the run. Only for terminals (see IsTerminal).
	Progress bool
	// Verbose prints every attempt as it finishes, with its status and its
	// redacted request and response.
	Verbose bool
	// Slowest is how many of the slowest tests the summary lists: 0 means
	// DefaultSlowest, a negative number none.
	Slowest int
	// Local says the run used the built-in emulator: activation ids are
	// then not sent to the NCP console to find their logs.
	Local bool
}

// Reporter prints a run's events to a writer. Create it with New. It is not
// safe for concurrent use: the runner calls it from one goroutine.
type Reporter struct {
	w    io.Writer
	opts Options

	done, total int
	// shown is the progress line on screen, "" when none is.
	shown string
	// buf is the event's output. The run's texts reach it only through
	// printf, line, field and exchange, which make their control
	// characters visible (show); the only control characters written raw
	// are specrun's own: its colour codes, line feeds and progress line.
	buf bytes.Buffer
	err error
}

var _ runner.Handler = (*Reporter)(nil)

// New returns a Reporter writing to w. Each event's output is written with
// one Write call; the first write error stops all output and is kept for
// Err.
func New(w io.Writer, opts Options) *Reporter {
	return &Reporter{w: w, opts: opts}
}

// Err returns the first error writing to the writer, or nil.
func (r *Reporter) Err() error { return r.err }

// Event prints what e calls for: a line per finished test (with failure
// details), failed setup and teardown steps, every attempt when Verbose,
// and the summary at RunFinished.
func (r *Reporter) Event(e runner.Event) {
	if r.err != nil {
		return
	}
	if e.Total > 0 || e.Kind == runner.RunStarted {
		r.done, r.total = e.Done, e.Total
	}
	r.buf.Reset()
	switch e.Kind {
	case runner.TestFinished:
		if e.Test != nil {
			r.test(e.Test, suiteName(e))
		}
	case runner.AttemptFinished:
		if r.opts.Verbose && e.Attempt != nil {
			r.attempt(e)
		}
	case runner.SetupFinished:
		if e.Suite != nil {
			r.fixture(e.Suite, "setup", e.Suite.Setup)
		}
	case runner.TeardownFinished:
		if e.Suite != nil {
			r.fixture(e.Suite, "teardown", e.Suite.Teardown)
		}
	case runner.RunFinished:
		if e.Result != nil {
			r.summary(e.Result)
		}
	}
	r.flush(e.Kind == runner.RunFinished)
}

// flush writes the event's output, clearing and redrawing the progress line
// around it.
func (r *Reporter) flush(final bool) {
	if !r.opts.Progress {
		if r.buf.Len() > 0 {
			r.write(r.buf.Bytes())
		}
		return
	}
	next := ""
	if !final && r.total > 0 {
		next = fmt.Sprintf("[%d/%d] running…", r.done, r.total)
	}
	if r.buf.Len() == 0 && next == r.shown {
		return
	}
	var out bytes.Buffer
	if r.shown != "" {
		out.WriteString("\r\033[K")
	}
	out.Write(r.buf.Bytes())
	out.WriteString(next)
	r.shown = next
	r.write(out.Bytes())
}

func (r *Reporter) write(p []byte) {
	if _, err := r.w.Write(p); err != nil {
		r.err = fmt.Errorf("console: writing the report: %w", err)
	}
}

// ANSI colours.
const (
	green  = "\033[32m"
	red    = "\033[31m"
	yellow = "\033[33m"
	dim    = "\033[2m"
	bold   = "\033[1m"
	reset  = "\033[0m"
)

// painted is text ready for the terminal: the run's text made visible,
// with specrun's own colour codes around it. A string is the run's text
// (or specrun's own words, which need no escaping): the type keeps the
// two apart, so that only specrun's codes reach the terminal raw.
type painted string

// paint is s made visible and, with Color, in color.
func (r *Reporter) paint(color, s string) painted {
	p := painted(termtext.Visible(s, false))
	if !r.opts.Color || s == "" {
		return p
	}
	return painted(color) + p + painted(reset)
}

// show is the one door of text to the terminal: a string with its control
// characters made visible (termtext.Visible), line feeds kept when lines
// is true (for a caller that indents each line); painted text as it is;
// anything else (numbers) unchanged.
func show(a any, lines bool) any {
	switch a := a.(type) {
	case string:
		return termtext.Visible(a, lines)
	case painted:
		return string(a)
	}
	return a
}

// printf writes format (specrun's own words) with args through show: a
// line feed in a string argument is shown as \n, never written.
func (r *Reporter) printf(format string, args ...any) {
	for i, a := range args {
		args[i] = show(a, false)
	}
	fmt.Fprintf(&r.buf, format, args...)
}

// lines are the lines of parts, concatenated through show.
func lines(parts ...any) []string {
	var b strings.Builder
	for _, p := range parts {
		fmt.Fprint(&b, show(p, true))
	}
	return strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
}

func statusColor(s runner.Status) string {
	switch s {
	case runner.Pass:
		return green
	case runner.Fail:
		return red
	case runner.Error, runner.Interrupted:
		return yellow
	}
	return dim
}

func mark(s runner.Status) string {
	switch s {
	case runner.Pass:
		return "✓"
	case runner.Fail:
		return "✗"
	case runner.Error:
		return "!"
	case runner.Interrupted:
		return "~"
	}
	return "-"
}

func (r *Reporter) mark(s runner.Status) painted { return r.paint(statusColor(s), mark(s)) }

func suiteName(e runner.Event) string {
	if e.Test != nil {
		return e.Test.Test.Suite.Name
	}
	if e.Suite != nil {
		return e.Suite.Suite.Name
	}
	return ""
}

func testName(t *runner.TestResult) string { return t.Test.Name }

func join(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, " › ")
}

// test prints a finished test's line and, for Fail and Error, its details.
func (r *Reporter) test(t *runner.TestResult, suite string) {
	name := join(suite, testName(t))
	if t.Status == runner.Skip {
		note := "skipped"
		if t.Reason != "" {
			note += ": " + t.Reason
		}
		r.printf("%s %s\n", r.mark(runner.Skip), r.paint(dim, name+" ("+note+")"))
		return
	}
	note := formatDuration(t.Duration)
	if t.Retried() {
		note += fmt.Sprintf(", %d attempts", t.Attempts())
	}
	if n := sends(t); n > t.Attempts() {
		note += fmt.Sprintf(", %d transport attempts", n)
	}
	if t.Status == runner.Interrupted {
		note += ", interrupted"
	}
	r.printf("%s %s (%s)\n", r.mark(t.Status), name, note)
	if !t.Status.Failed() {
		return
	}
	v := t.Verdict
	if v.Step == nil {
		r.line(4, "error: "+v.Message)
		return
	}
	if t.Test.MultiStep || len(t.Steps) > 1 {
		r.stepLine(v.Step)
	}
	r.details(v)
}

// sends counts the transport attempts of the run-action calls of a test.
func sends(t *runner.TestResult) int {
	n := 0
	for _, s := range t.Steps {
		for _, a := range s.Attempts {
			n += a.Sends()
		}
	}
	return n
}

// tries prints the transport attempts of an attempt, one line each, when
// there was more than one (a single one says what the error says).
func (r *Reporter) tries(a *runner.Attempt) {
	if len(a.Tries) < 2 {
		return
	}
	for i, t := range a.Tries {
		line := fmt.Sprintf("transport %d/%d: %s %s", i+1, len(a.Tries), t.Method, t.Answer)
		if t.Why != "" {
			line += " — " + t.Why
		}
		r.line(4, line)
	}
}

// stepLine names a step: step N "NAME" (FILE:LINE).
func (r *Reporter) stepLine(s *runner.StepResult) {
	r.line(4, fmt.Sprintf("step %d %q (%s)", s.Step.Index+1, s.Step.Name, s.Step.Pos.FileLine()))
}

// details prints verdict v of a step: its false expectations, or its
// error, and the hint.
func (r *Reporter) details(v runner.Verdict) {
	a := v.Attempt
	if a == nil {
		r.line(4, r.paint(statusColor(v.Step.Status), "error: "), v.Message)
		return
	}
	for _, f := range a.Failures {
		r.failure(f)
	}
	switch {
	case len(a.Failures) == 0:
		r.line(4, r.paint(yellow, "error: "), v.Message)
	case a.Err != "":
		r.line(4, r.paint(yellow, "error: "), a.Err)
	}
	if v.Hint != "" {
		r.line(4, "hint:  "+v.Hint)
	}
	r.tries(a)
	if a.ActivationID != "" {
		if r.opts.Local {
			r.line(4, "activation "+a.ActivationID+" (local emulator)")
		} else {
			r.line(4, "activation "+a.ActivationID+" — find its logs in the NCP console")
		}
	}
}

// failure prints one false expectation.
func (r *Reporter) failure(f *runner.Failure) {
	what := f.Key
	if f.Path != "" {
		what = f.Path
	}
	if f.Op != "" {
		what += " " + f.Op
	}
	if f.Reason != "" {
		what += ": " + f.Reason
	}
	r.line(4, r.paint(bold, f.Pos.FileLine()+":"), " "+what)
	r.field("message:  ", f.Message)
	r.field("expected: ", f.Expected)
	r.field("actual:   ", f.Actual)
	if f.Node != "" && (f.Node != f.Path || f.Pointer != "") {
		node := f.Node
		if f.Pointer != "" {
			node += " at " + f.Pointer
		}
		r.field("node:     ", node)
	}
	r.field("diff:     ", f.Diff)
}

// field prints "label value" indented by 6, later lines of value aligned
// under its first.
func (r *Reporter) field(label, value string) {
	if value == "" {
		return
	}
	pad := strings.Repeat(" ", 6+len(label))
	for i, l := range lines(value) {
		if i == 0 {
			r.buf.WriteString(strings.TrimRight("      "+label+l, " "))
		} else {
			r.buf.WriteString(strings.TrimRight(pad+l, " "))
		}
		r.buf.WriteByte('\n')
	}
}

// line prints parts, concatenated, indented by n spaces, each of their
// lines.
func (r *Reporter) line(n int, parts ...any) {
	pad := strings.Repeat(" ", n)
	for _, l := range lines(parts...) {
		r.buf.WriteString(strings.TrimRight(pad+l, " "))
		r.buf.WriteByte('\n')
	}
}

// fixture prints the suite's setup or teardown when a step of it failed or
// errored; nothing otherwise.
func (r *Reporter) fixture(s *runner.SuiteResult, what string, steps []*runner.StepResult) {
	worst, d := runner.Phase(steps)
	if !worst.Failed() {
		return
	}
	// A failed setup or teardown counts as errored, an interrupted one as
	// interrupted (runner.Counts).
	st, note := runner.FixtureStatus(worst), ""
	if st == runner.Interrupted {
		note = ", interrupted"
	}
	r.printf("%s %s (%s%s)\n", r.mark(st), join(s.Suite.Name, what), formatDuration(d), note)
	for _, st := range steps {
		if !st.Status.Failed() {
			continue
		}
		r.stepLine(st)
		r.details(runner.NewVerdict(st.Status, []*runner.StepResult{st}, ""))
	}
}

// attempt prints one attempt with its exchange (Verbose).
func (r *Reporter) attempt(e runner.Event) {
	a := e.Attempt
	label := suiteName(e)
	step := e.Step.Step
	switch {
	case e.Test == nil:
		label = join(label, e.Suite.Suite.FixtureOf(step), step.Name)
	case e.Test.Test.MultiStep:
		label = join(label, testName(e.Test), step.Name)
	default:
		label = join(label, testName(e.Test))
	}
	// The step is still running (its Attempts grow on the worker's
	// goroutine): the number comes with the event.
	num := fmt.Sprintf("attempt %d", max(e.AttemptNum, 1))
	if step.Retry != nil && step.Retry.Attempts > 1 {
		num += fmt.Sprintf("/%d", step.Retry.Attempts)
	}
	var facts []string
	if a.HTTPStatus != 0 {
		facts = append(facts, fmt.Sprintf("HTTP %d", a.HTTPStatus))
	}
	facts = append(facts, formatDuration(a.Duration))
	if a.Polls > 0 {
		facts = append(facts, fmt.Sprintf("%d polls", a.Polls))
	}
	if a.ActivationID != "" {
		facts = append(facts, "activation "+a.ActivationID)
	}
	r.printf("  %s %s: %s (%s)\n", num, label, r.paint(statusColor(a.Status), a.Status.String()), strings.Join(facts, ", "))
	for _, f := range a.Failures {
		r.line(4, f.Pos.FileLine()+": "+f.Summary())
	}
	if a.Err != "" {
		r.line(4, "error: "+a.Err)
	}
	r.tries(a)
	r.exchanges(a.Exchanges)
}

// exchanges prints every request and response, in order, each with what
// the transport did with it.
func (r *Reporter) exchanges(xs []*runner.Exchange) {
	for _, x := range xs {
		r.exchange("> ", x.Request)
		r.exchange("< ", x.Response)
		if x.Note != "" {
			r.line(4, "  ("+x.Note+")")
		}
	}
}

// exchange prints text with prefix before each line, indented by 4; a
// CRLF ends a line as a LF does.
func (r *Reporter) exchange(prefix, text string) {
	if text == "" {
		return
	}
	for _, l := range lines(strings.ReplaceAll(text, "\r\n", "\n")) {
		r.buf.WriteString(strings.TrimRight("    "+prefix+l, " "))
		r.buf.WriteByte('\n')
	}
}

// summary prints the end of the run.
func (r *Reporter) summary(res *runner.Result) {
	r.buf.WriteByte('\n')
	f := gatherSummary(res, r.slowestWanted())
	r.failures(f)
	r.slowest(f.ran)
	c := res.Counts()
	fmt.Fprintf(&r.buf, "Ran %s in %s", words.Plural(c.Tests(), "test"), formatDuration(res.Duration))
	for _, what := range []string{"setup", "teardown"} {
		n := 0
		for _, fx := range f.fixtures {
			if fx.what == what && fx.status == runner.Error {
				n++
			}
		}
		if n > 0 {
			fmt.Fprintf(&r.buf, ", %s failed", words.Plural(n, what))
		}
	}
	if res.Interrupted {
		r.printf(", %s", r.paint(yellow, "interrupted"))
		if f.interrupted > 0 {
			fmt.Fprintf(&r.buf, ": %s did not finish", words.Plural(f.interrupted, "test"))
		}
	}
	r.buf.WriteByte('\n')
	r.counts(c)
}

// summaryEntry is a test result with the name of its suite.
type summaryEntry struct {
	t     *runner.TestResult
	suite string
	seq   int // the test's place in the run, which orders equal durations
}

// fixtureProblem is a failed or interrupted setup or teardown as the
// summary lists it (status Error or Interrupted, runner.FixtureStatus).
type fixtureProblem struct {
	status runner.Status
	what   string // "setup" or "teardown"
	name   string
	at     string // file:line of the step that failed
}

// summaryFacts is what the summary reports of a run's results.
type summaryFacts struct {
	bad         []summaryEntry // failed and errored tests
	ran         []summaryEntry // the slowest tests that ran for some time, longest first
	fixtures    []fixtureProblem
	interrupted int // tests the interrupt stopped or kept from starting
}

// gatherSummary collects the summary's facts from res, in suite order,
// with the slowest tests that ran (at most slowest of them).
func gatherSummary(res *runner.Result, slowest int) summaryFacts {
	var f summaryFacts
	ran := slowestTests{n: slowest}
	for _, s := range res.Suites {
		name := s.Suite.Name
		for _, fx := range []struct {
			what  string
			v     runner.Verdict
			steps []*runner.StepResult
		}{{"setup", s.SetupVerdict, s.Setup}, {"teardown", s.TeardownVerdict, s.Teardown}} {
			if st := fx.v.Step; st != nil {
				worst, _ := runner.Phase(fx.steps)
				f.fixtures = append(f.fixtures, fixtureProblem{runner.FixtureStatus(worst), fx.what, join(name, fx.what), st.Step.Pos.FileLine()})
			}
		}
		for _, t := range s.Tests {
			if t.Status.Failed() {
				f.bad = append(f.bad, summaryEntry{t: t, suite: name})
			}
			if t.Status != runner.Skip && t.Duration > 0 {
				ran.offer(summaryEntry{t: t, suite: name})
			}
			if t.Status == runner.Interrupted || t.Status == runner.Skip && t.Reason == runner.ReasonInterrupted {
				f.interrupted++
			}
		}
	}
	f.ran = ran.longestFirst()
	return f
}

// slowestTests keeps the n longest of the tests offered: a heap whose
// root is the one to drop next (the shortest, the latest of equal ones),
// so that a summary of 100,000 tests holds n entries, not one per test.
type slowestTests struct {
	n, offered int
	es         []summaryEntry
}

func (h *slowestTests) Len() int           { return len(h.es) }
func (h *slowestTests) Less(i, j int) bool { return shorter(h.es[i], h.es[j]) }
func (h *slowestTests) Swap(i, j int)      { h.es[i], h.es[j] = h.es[j], h.es[i] }

// Push and Pop are container/heap's; offer and longestFirst use them.
func (h *slowestTests) Push(x any) { h.es = append(h.es, x.(summaryEntry)) }

// Pop removes the last entry (container/heap has moved the root there).
func (h *slowestTests) Pop() any {
	e := h.es[len(h.es)-1]
	h.es = h.es[:len(h.es)-1]
	return e
}

// shorter reports whether a ranks after b: it took less time, or as long
// and came later.
func shorter(a, b summaryEntry) bool {
	if a.t.Duration != b.t.Duration {
		return a.t.Duration < b.t.Duration
	}
	return a.seq > b.seq
}

// offer keeps e when it is among the n longest so far.
func (h *slowestTests) offer(e summaryEntry) {
	e.seq = h.offered
	h.offered++
	switch {
	case h.n <= 0:
	case len(h.es) < h.n:
		heap.Push(h, e)
	case shorter(h.es[0], e):
		h.es[0] = e
		heap.Fix(h, 0)
	}
}

// longestFirst is what was kept, longest first and equal durations in
// the order offered.
func (h *slowestTests) longestFirst() []summaryEntry {
	slices.SortFunc(h.es, func(a, b summaryEntry) int {
		switch {
		case shorter(b, a):
			return -1
		case shorter(a, b):
			return 1
		}
		return 0
	})
	return h.es
}

// failures prints the failed setups and teardowns, then the failed and
// errored tests, under one heading; nothing when there are none.
func (r *Reporter) failures(f summaryFacts) {
	if len(f.bad)+len(f.fixtures) == 0 {
		return
	}
	r.buf.WriteString("Failed and errored:\n")
	for _, fx := range f.fixtures {
		r.printf("  %s %s (%s)\n", r.mark(fx.status), fx.name, fx.at)
	}
	for _, b := range f.bad {
		r.printf("  %s %s (%s)\n", r.mark(b.t.Status), join(b.suite, testName(b.t)), b.t.Test.Pos.FileLine())
	}
}

// slowestWanted is how many slowest tests the summary lists: Options.Slowest,
// DefaultSlowest when that is 0, none when it is negative.
func (r *Reporter) slowestWanted() int {
	if r.opts.Slowest == 0 {
		return DefaultSlowest
	}
	return max(r.opts.Slowest, 0)
}

// slowest prints ran, the slowest tests longest first; nothing when it is
// empty.
func (r *Reporter) slowest(ran []summaryEntry) {
	if len(ran) == 0 {
		return
	}
	width := 0
	for _, e := range ran {
		width = max(width, len(formatDuration(e.t.Duration)))
	}
	r.buf.WriteString("Slowest tests:\n")
	for _, e := range ran {
		r.printf("  %-*s  %s\n", width, formatDuration(e.t.Duration), join(e.suite, testName(e.t)))
	}
}

// counts prints the closing line: tests by status.
func (r *Reporter) counts(c runner.Counts) {
	r.printf("%s\n", r.countsText(c))
}

// CountsText is the closing line of the console's summary, without colour
// and line feed: "1 passed, 2 failed, 0 skipped (failed includes 1
// errored)", with the interrupted tests when there are. Commands that end
// with a run's counts (report merge) print it, so that every summary
// counts alike.
func CountsText(c runner.Counts) string {
	return string((&Reporter{}).countsText(c))
}

// countsText is the closing line: tests by status.
func (r *Reporter) countsText(c runner.Counts) painted {
	count := func(n int, word, color string) painted {
		s := fmt.Sprintf("%d %s", n, word)
		if n > 0 {
			return r.paint(color, s)
		}
		return painted(s)
	}
	t := count(c.Passed, "passed", green) + ", " + count(c.Failed+c.Errored, "failed", red) + ", " + count(c.Skipped, "skipped", dim)
	if c.Interrupted > 0 {
		t += ", " + count(c.Interrupted, "interrupted after sending their request (the action may have run)", yellow)
	}
	if c.Errored > 0 {
		t += " (failed includes " + r.paint(yellow, erroredText(c)) + ")"
	}
	return t
}

// erroredText is "N errored", with how many of them are failed setups and
// teardowns.
func erroredText(c runner.Counts) string {
	s := fmt.Sprintf("%d errored", c.Errored)
	if c.Fixtures > 0 {
		s += fmt.Sprintf(", %d from setup or teardown", c.Fixtures)
	}
	return s
}

// formatDuration prints d for people: "120ms" under a second, "1.52s"
// under a minute, "2m03s" under an hour, then "1h02m03s".
func formatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if ms := d.Round(time.Millisecond); ms < time.Second {
		return fmt.Sprintf("%dms", ms.Milliseconds())
	}
	if cs := d.Round(10 * time.Millisecond); cs < time.Minute {
		return fmt.Sprintf("%.2fs", cs.Seconds())
	}
	s := d.Round(time.Second)
	h, m, sec := int(s/time.Hour), int(s%time.Hour/time.Minute), int(s%time.Minute/time.Second)
	if h > 0 {
		return fmt.Sprintf("%dh%02dm%02ds", h, m, sec)
	}
	return fmt.Sprintf("%dm%02ds", m, sec)
}

// IsTerminal reports whether f is a character device, the standard
// library's only portable hint of a terminal. /dev/null is one too, which is
// harmless: what is drawn there is lost anyway. A nil f is not a terminal.
func IsTerminal(f *os.File) bool {
	if f == nil {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	return fi.Mode()&os.ModeCharDevice != 0
}

// ColorWanted reports whether output to f should be coloured: not when
// noColorFlag (--no-color) is set, not when the environment has NO_COLOR
// set to a non-empty value or TERM=dumb, and not when f is not a terminal.
// lookupEnv reads the environment; nil means os.LookupEnv.
func ColorWanted(f *os.File, noColorFlag bool, lookupEnv func(string) (string, bool)) bool {
	if noColorFlag {
		return false
	}
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	if v, ok := lookupEnv("NO_COLOR"); ok && v != "" {
		return false
	}
	if v, _ := lookupEnv("TERM"); v == "dumb" {
		return false
	}
	return IsTerminal(f)
}
