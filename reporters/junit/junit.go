package junit

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// Flavor is the dialect of JUnit XML written; see the package documentation.
type Flavor string

const (
	// CI is the default: what CI consumers read (file and line on every
	// testcase, its details inside it), valid under Jenkins xUnit's schema
	// apart from those documented additions.
	CI Flavor = "ci"
	// Ant is strictly valid under both Windy Road's (Apache Ant) schema and
	// Jenkins xUnit's: details are suite-level properties.
	Ant Flavor = "ant"
)

// ParseFlavor reads a flavor's name, as given to --junit-flavor.
func ParseFlavor(s string) (Flavor, error) {
	switch f := Flavor(s); f {
	case CI, Ant:
		return f, nil
	}
	return "", fmt.Errorf("junit flavor %q: give ci (the default: file and line on each testcase, for GitHub, GitLab, Jenkins) or ant (strictly valid under the Ant schema)", s)
}

// Options choose how Write writes.
type Options struct {
	// Flavor is CI when empty.
	Flavor Flavor
	// Dir is the directory spec paths are written relative to (the working
	// directory, where CI tools resolve them); empty keeps them as given.
	Dir string
}

// Write writes r as one JUnit XML document to w, in the CI flavor, with
// paths as given. It returns the first error of w, or an error when r is
// nil. Write only reads r, so it may be called concurrently on the same
// finished Result.
func Write(w io.Writer, r *runner.Result) error { return WriteWith(w, r, Options{}) }

// WriteWith is Write with options.
func WriteWith(w io.Writer, r *runner.Result, opts Options) error {
	if r == nil {
		return errors.New("junit: no result to write (nil *runner.Result)")
	}
	if opts.Flavor == "" {
		opts.Flavor = CI
	}
	if _, err := ParseFlavor(string(opts.Flavor)); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	if err := (builder{opts}).write(w, r); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	return nil
}

// write streams r's document to w suite by suite: only one suite's wire
// form exists at a time, so a run of 100,000 tests is never held as one
// document. The bytes are those of the whole document encoded at once
// (TestStreamedIsTheWholeDocument).
func (b builder) write(w io.Writer, r *runner.Result) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	root := b.root(r)
	if err := enc.EncodeToken(root); err != nil {
		return err
	}
	suite := xml.StartElement{Name: xml.Name{Local: "testsuite"}}
	for i, sr := range r.Suites {
		if err := enc.EncodeElement(b.buildSuite(r, sr, i), suite); err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// Wire types: the document's shape, owned here (domain types carry no tags).

// The root, <testsuites>, is written as tokens by builder.root and write;
// TestStreamedIsTheWholeDocument holds its struct form.

type xTestsuite struct {
	Name       string      `xml:"name,attr"`
	Tests      int         `xml:"tests,attr"`
	Failures   int         `xml:"failures,attr"`
	Errors     int         `xml:"errors,attr"`
	Skipped    int         `xml:"skipped,attr"`
	Time       string      `xml:"time,attr"`
	Timestamp  string      `xml:"timestamp,attr"`
	Hostname   string      `xml:"hostname,attr"`
	ID         int         `xml:"id,attr"`
	Package    string      `xml:"package,attr"`
	File       string      `xml:"file,attr,omitempty"`
	Properties xProperties `xml:"properties"`
	Cases      []xTestcase `xml:"testcase"`
	SystemOut  xBody       `xml:"system-out"`
	SystemErr  xBody       `xml:"system-err"`
}

type xProperties struct {
	Props []xProperty `xml:"property"`
}

type xProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type xTestcase struct {
	Name       string       `xml:"name,attr"`
	Classname  string       `xml:"classname,attr"`
	Time       string       `xml:"time,attr"`
	File       string       `xml:"file,attr,omitempty"`
	Line       string       `xml:"line,attr,omitempty"`
	Properties *xProperties `xml:"properties"`
	Skipped    *xResult     `xml:"skipped"`
	Error      *xResult     `xml:"error"`
	Failure    *xResult     `xml:"failure"`
	SystemOut  *xBody       `xml:"system-out"`
}

// xResult is a <failure>, <error> or <skipped>; Type is omitted when empty
// (Windy Road allows no type on <skipped>).
type xResult struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",cdata"`
}

type xBody struct {
	Text string `xml:",cdata"`
}

// unknownHost is the hostname Windy Road's schema prescribes when the host
// is not known.
const unknownHost = "localhost"

// Names of the synthetic testcases that report a failed setup or teardown.
const (
	setupName    = "(setup)"
	teardownName = "(teardown)"
)

// builder turns a Result into the wire types for one set of options.
type builder struct{ opts Options }

func (b builder) ci() bool { return b.opts.Flavor == CI }

// rel is path p relative to Options.Dir, with forward slashes, when p lies
// under it; else p cleaned.
func (b builder) rel(p string) string {
	if p == "" {
		return ""
	}
	if b.opts.Dir != "" && filepath.IsAbs(p) {
		if r, err := filepath.Rel(b.opts.Dir, p); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			p = r
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

// loc is FILE:LINE with FILE relative (FILE alone when the line is unknown).
func (b builder) loc(p spec.Pos) string {
	p.File = b.rel(p.File)
	return p.FileLine()
}

// frame is the stack-frame line ending a failure's body, "at WHAT
// (FILE:LINE:COL)": the form dorny/test-reporter and mikepenz's action
// search failure text for.
func (b builder) frame(what string, p spec.Pos) string {
	if p.File == "" || p.Line == 0 {
		return ""
	}
	col := max(p.Col, 1)
	return fmt.Sprintf("at %s (%s:%d:%d)\n", what, b.rel(p.File), p.Line, col)
}

// root is the <testsuites> start element: in the CI flavor with the
// totals of every suite (what xTestsuites holds; the suites follow one by
// one).
func (b builder) root(r *runner.Result) xml.StartElement {
	root := xml.StartElement{Name: xml.Name{Local: "testsuites"}}
	if !b.ci() {
		return root
	}
	var tests, failures, errs int
	for _, sr := range r.Suites {
		c := caseCounts(sr)
		tests += c.Tests
		failures += c.Failures
		errs += c.Errors
	}
	for _, kv := range [][2]string{
		{"name", "specrun"}, {"tests", strconv.Itoa(tests)}, {"failures", strconv.Itoa(failures)},
		{"errors", strconv.Itoa(errs)}, {"time", seconds(r.Duration)},
	} {
		root.Attr = append(root.Attr, xml.Attr{Name: xml.Name{Local: kv[0]}, Value: kv[1]})
	}
	return root
}

// counts are a suite's testcases by element: a <failure>, an <error> (a
// failed setup or teardown too) or <skipped>.
type counts struct{ Tests, Failures, Errors, Skipped int }

// caseCounts counts the testcases buildSuite writes for sr, without
// building them.
func caseCounts(sr *runner.SuiteResult) counts {
	c := sr.Counts()
	return counts{Tests: c.Total, Failures: c.Failed, Errors: c.Errored + c.Interrupted, Skipped: c.Skipped}
}

func host(h string) string {
	if h = clean(strings.TrimSpace(h)); h == "" {
		return unknownHost
	}
	return h
}

func suiteName(sr *runner.SuiteResult) string {
	if strings.TrimSpace(sr.Suite.Name) != "" {
		return sr.Suite.Name
	}
	if strings.TrimSpace(sr.Suite.File) != "" {
		return sr.Suite.File
	}
	return "unnamed suite"
}

func (b builder) buildSuite(r *runner.Result, sr *runner.SuiteResult, id int) xTestsuite {
	name := clean(suiteName(sr))
	start := sr.Start
	if start.IsZero() {
		start = r.Start
	}
	ts := xTestsuite{
		Name:      name,
		Time:      seconds(sr.Duration),
		Timestamp: start.UTC().Format("2006-01-02T15:04:05"),
		Hostname:  host(r.Info.Hostname),
		ID:        id,
		Package:   name,
	}
	if b.ci() {
		ts.File = clean(b.rel(sr.Suite.File))
	}
	ts.Properties.Props = b.suiteProperties(r, sr)

	var out, errOut strings.Builder
	if r.Interrupted {
		errOut.WriteString("run interrupted: tests whose request was sent are errors of type \"interrupted\" (the action may have run); tests that sent nothing are skipped with reason \"" + runner.ReasonInterrupted + "\"\n")
	}
	if c, ok := b.phaseCase(sr, setupName, "setup", sr.Setup, sr.SetupVerdict, &out, &errOut); ok {
		ts.Cases = append(ts.Cases, c)
	}
	for _, tr := range sr.Tests {
		ts.Cases = append(ts.Cases, b.testCase(name, tr, &out))
	}
	if c, ok := b.phaseCase(sr, teardownName, "teardown", sr.Teardown, sr.TeardownVerdict, &out, &errOut); ok {
		ts.Cases = append(ts.Cases, c)
	}
	c := caseCounts(sr)
	ts.Tests, ts.Failures, ts.Errors, ts.Skipped = c.Tests, c.Failures, c.Errors, c.Skipped
	ts.SystemOut.Text = cleanBody(out.String())
	ts.SystemErr.Text = cleanBody(errOut.String())
	return ts
}

// props collects properties, cleaned.
type props []xProperty

func (p *props) add(name, value string) {
	*p = append(*p, xProperty{Name: clean(name), Value: clean(value)})
}

func (b builder) suiteProperties(r *runner.Result, sr *runner.SuiteResult) []xProperty {
	var ps props
	ps.add("file", b.rel(sr.Suite.File))
	if len(sr.Suite.Tags) > 0 {
		ps.add("tags", strings.Join(sr.Suite.Tags, ", "))
	}
	info := r.Info
	for _, kv := range [][2]string{
		{"run.version", info.Version}, {"run.endpoint", info.Endpoint}, {"run.local", boolText(info.Local)},
		{"run.parallel", positive(info.Parallel)}, {"run.shard", info.Shard}, {"run.run", info.Run},
		{"run.tags", info.Tags}, {"run.interrupted", boolText(r.Interrupted)},
	} {
		if kv[1] != "" {
			ps.add(kv[0], kv[1])
		}
	}
	if b.ci() {
		return ps // each test's details are in its testcase
	}
	for _, tr := range sr.Tests {
		p := tr.Test.Name + "."
		ps.add(p+"file", b.loc(tr.Test.Pos))
		b.testDetails(&ps, tr, p)
	}
	return ps
}

func boolText(v bool) string {
	if v {
		return "true"
	}
	return ""
}

func positive(n int) string {
	if n > 0 {
		return strconv.Itoa(n)
	}
	return ""
}

// testDetails adds a test's tags, platform, attempts and activation ids,
// each name prefixed with prefix.
func (b builder) testDetails(ps *props, tr *runner.TestResult, prefix string) {
	if len(tr.Test.Tags) > 0 {
		ps.add(prefix+"tags", strings.Join(tr.Test.Tags, ", "))
	}
	if pl := platforms(tr.Steps); pl != "" {
		ps.add(prefix+"platform", pl)
	}
	if n := tr.Attempts(); n > 0 {
		ps.add(prefix+"attempts", strconv.Itoa(n))
	}
	if ids := tr.ActivationIDs(); len(ids) > 0 {
		ps.add(prefix+"activation_ids", strings.Join(ids, " "))
	}
}

// platforms lists the distinct platforms the attempts used, in order.
func platforms(steps []*runner.StepResult) string {
	var seen []string
	for _, s := range steps {
		for _, a := range s.Attempts {
			if a.Platform != "" && !slices.Contains(seen, a.Platform) {
				seen = append(seen, a.Platform)
			}
		}
	}
	return strings.Join(seen, ", ")
}

// testCase is tr's testcase. In the Ant flavor the exchanges of a failed
// test go to the suite's out; in the CI flavor to the testcase's own
// system-out, with file, line and details on the testcase.
func (b builder) testCase(classname string, tr *runner.TestResult, out *strings.Builder) xTestcase {
	c := xTestcase{Name: clean(tr.Test.Name), Classname: classname, Time: seconds(tr.Duration)}
	switch tr.Status {
	case runner.Pass:
	case runner.Fail:
		c.Failure = b.outcome(tr.Steps, tr.Verdict, "failed", b.frame("test", tr.Test.Pos))
	case runner.Error:
		c.Error = b.outcome(tr.Steps, tr.Verdict, "error", b.frame("test", tr.Test.Pos))
	case runner.Interrupted:
		c.Error = b.outcome(tr.Steps, tr.Verdict, "interrupted", b.frame("test", tr.Test.Pos))
		c.Error.Type, c.Error.Message = "interrupted", clean(tr.Reason)
	default:
		c.Skipped = &xResult{Message: clean(tr.Reason)}
	}
	if !b.ci() {
		if tr.Status.Failed() {
			exchanges(out, tr.Test.Name, tr.Status, tr.Steps)
		}
		return c
	}
	b.locate(&c, tr.Test.Pos)
	var details props
	b.testDetails(&details, tr, "")
	c.Properties.Props = append(c.Properties.Props, details...)
	var so strings.Builder
	for _, p := range details {
		fmt.Fprintf(&so, "%s: %s\n", strings.ReplaceAll(p.Name, "_", " "), p.Value)
	}
	if tr.Status.Failed() {
		so.WriteString("\n")
		exchanges(&so, tr.Test.Name, tr.Status, tr.Steps)
	}
	if so.Len() > 0 {
		c.SystemOut = &xBody{Text: cleanBody(so.String())}
	}
	return c
}

// locate sets a CI-flavor testcase's file and line, attributes and
// properties.
func (b builder) locate(c *xTestcase, p spec.Pos) {
	c.File = clean(b.rel(p.File))
	if p.Line > 0 {
		c.Line = strconv.Itoa(p.Line)
	}
	c.Properties = &xProperties{Props: []xProperty{{Name: "file", Value: c.File}, {Name: "line", Value: c.Line}}}
}

// outcome describes verdict v of steps as a <failure> or <error>;
// fallbackType is the type when nothing better is known; frame ends the
// body.
func (b builder) outcome(steps []*runner.StepResult, v runner.Verdict, fallbackType, frame string) *xResult {
	step, att := v.Step, v.Attempt
	res := &xResult{Type: fallbackType}
	var sb strings.Builder
	if step != nil {
		fmt.Fprintf(&sb, "step: %s (%s)\n", step.Step.Name, b.loc(step.Step.Pos))
	}
	if att != nil {
		fmt.Fprintf(&sb, "attempts: %d\n", len(step.Attempts)) // the decisive one is the last
		if att.ActivationID != "" {
			fmt.Fprintf(&sb, "activation: %s\n", att.ActivationID)
		}
		if att.HTTPStatus != 0 {
			fmt.Fprintf(&sb, "http status: %d\n", att.HTTPStatus)
		}
		writeTries(&sb, att.Tries)
	}
	writeSteps(&sb, steps)
	b.explain(&sb, res, v, fallbackType)
	if frame != "" {
		sb.WriteString("\n" + frame)
	}
	if res.Type == "" {
		res.Type = fallbackType
	}
	res.Message = clean(res.Message)
	res.Type = clean(res.Type)
	res.Body = cleanBody(sb.String())
	return res
}

// explain sets res's message (and type, for a failure) and writes what
// went wrong: every failed expectation, the error and its hint, or the
// reason.
func (b builder) explain(sb *strings.Builder, res *xResult, v runner.Verdict, fallbackType string) {
	res.Message = v.Message
	switch fs := v.Failures(); {
	case len(fs) > 0:
		if fallbackType == "failed" {
			res.Type = fs[0].Key
		}
		for _, f := range fs {
			sb.WriteString("\n")
			b.writeFailure(sb, f)
		}
	case v.Attempt != nil && v.Attempt.Err != "":
		fmt.Fprintf(sb, "error: %s\n", v.Message)
		if v.Hint != "" {
			fmt.Fprintf(sb, "hint: %s\n", v.Hint)
		}
	default:
		fmt.Fprintf(sb, "reason: %s\n", v.Message)
	}
}

// writeSteps lists a multi-step test's steps with their statuses.
func writeSteps(sb *strings.Builder, steps []*runner.StepResult) {
	if len(steps) <= 1 {
		return
	}
	sb.WriteString("steps:\n")
	for i, s := range steps {
		fmt.Fprintf(sb, "  %d. %s: %s", i+1, s.Step.Name, s.Status)
		if s.Reason != "" {
			fmt.Fprintf(sb, " (%s)", s.Reason)
		}
		sb.WriteString("\n")
	}
}

func (b builder) writeFailure(sb *strings.Builder, f *runner.Failure) {
	fmt.Fprintf(sb, "%s: %s\n", b.loc(f.Pos), f.Summary())
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(sb, "  %-9s %s\n", name+":", value)
		}
	}
	field("key", f.Key)
	field("path", f.Path)
	field("operator", f.Op)
	field("expected", f.Expected)
	field("actual", f.Actual)
	field("node", f.Node)
	field("pointer", f.Pointer)
	field("reason", f.Reason)
	field("message", f.Message)
	if f.Diff != "" {
		sb.WriteString("  diff:\n")
		for _, line := range strings.Split(strings.TrimRight(f.Diff, "\n"), "\n") {
			sb.WriteString("    " + line + "\n")
		}
	}
}

// writeTries lists the transport attempts of an attempt.
func writeTries(b *strings.Builder, tries []runner.Try) {
	if len(tries) == 0 {
		return
	}
	fmt.Fprintf(b, "transport attempts: %d\n", len(tries))
	for i, t := range tries {
		fmt.Fprintf(b, "  %d. ", i+1)
		if !t.Start.IsZero() {
			b.WriteString(t.Start.UTC().Format("15:04:05.000") + " ")
		}
		fmt.Fprintf(b, "%s: %s", t.Method, t.Answer)
		if t.Why != "" {
			b.WriteString(" — " + t.Why)
		}
		b.WriteString("\n")
	}
}

// phaseCase returns the synthetic testcase for a setup or teardown that
// failed or errored, and notes it in errOut and its exchanges in out (in
// the CI flavor, in the testcase's own system-out).
func (b builder) phaseCase(sr *runner.SuiteResult, name, phase string, steps []*runner.StepResult, v runner.Verdict, out, errOut *strings.Builder) (xTestcase, bool) {
	st, d := runner.Phase(steps)
	if !st.Failed() {
		return xTestcase{}, false
	}
	classname := clean(suiteName(sr))
	step := v.Step
	pos := sr.Suite.Pos
	stepName := ""
	if step != nil {
		stepName = "step " + step.Step.Name + " (" + b.loc(step.Step.Pos) + "): "
		pos = step.Step.Pos
	}
	res := b.outcome(steps, v, phase, b.frame(phase, pos))
	res.Type = phase
	res.Message = clean(stepName + res.Message)
	fmt.Fprintf(errOut, "%s %s: %s\n", phase, st, res.Message)
	c := xTestcase{Name: name, Classname: classname, Time: seconds(d), Error: res}
	if !b.ci() {
		exchanges(out, name, st, steps)
		return c, true
	}
	b.locate(&c, pos)
	var so strings.Builder
	exchanges(&so, name, st, steps)
	if so.Len() > 0 {
		c.SystemOut = &xBody{Text: cleanBody(so.String())}
	}
	return c, true
}

// exchanges writes the request and response of every attempt of steps that
// kept one.
func exchanges(out *strings.Builder, test string, st runner.Status, steps []*runner.StepResult) {
	heading := false
	for _, s := range steps {
		for i, a := range s.Attempts {
			if len(a.Exchanges) == 0 {
				continue
			}
			if !heading {
				fmt.Fprintf(out, "=== %s: %s ===\n", test, st)
				heading = true
			}
			for _, x := range a.Exchanges {
				which := fmt.Sprintf("%s, attempt %d of %d", s.Step.Name, i+1, len(s.Attempts))
				if x.Poll {
					which += ", poll"
				}
				writeExchange(out, which, x)
			}
		}
	}
	if heading {
		out.WriteString("\n")
	}
}

// writeExchange writes one request and its response under headings
// naming which.
func writeExchange(out *strings.Builder, which string, x *runner.Exchange) {
	fmt.Fprintf(out, "--- %s: request ---\n", which)
	writeText(out, x.Request)
	fmt.Fprintf(out, "--- %s: response ---\n", which)
	if x.Response == "" {
		out.WriteString("(no response)\n")
	} else {
		writeText(out, x.Response)
	}
	if x.Note != "" {
		fmt.Fprintf(out, "(%s)\n", x.Note)
	}
}

func writeText(out *strings.Builder, s string) {
	out.WriteString(s)
	if !strings.HasSuffix(s, "\n") {
		out.WriteString("\n")
	}
}

// seconds formats d in seconds with three decimals, rounded to the nearest
// millisecond; negative durations count as zero.
func seconds(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	ms := (d + time.Millisecond/2) / time.Millisecond
	return fmt.Sprintf("%d.%03d", ms/1000, ms%1000)
}

// clean replaces what XML 1.0 cannot hold: control characters other than
// tab, newline and carriage return become a visible \xNN; U+FFFE, U+FFFF
// and invalid UTF-8 bytes become U+FFFD.
func clean(s string) string {
	ok := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !allowed(r, n) {
			ok = false
			break
		}
		i += n
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case allowed(r, n):
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(utf8.RuneError)
		}
	}
	return b.String()
}

// allowed reports whether r (decoded from n bytes) may appear as is.
// DEL is allowed by XML but made visible too, as the other controls.
func allowed(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return false
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20 || r == 0x7f:
		return false
	case r == 0xFFFE || r == 0xFFFF:
		return false
	}
	return true
}

// cleanBody is clean for CDATA text, with CRLF and CR turned into LF (an
// XML parser would do so anyway).
func cleanBody(s string) string {
	s = clean(s)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s
}
