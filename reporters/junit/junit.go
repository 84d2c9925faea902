package junit

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/specrun/specrun/runner"
)

// Write writes r as one JUnit XML document to w. It returns the first error
// of w, or an error when r is nil. Write only reads r, so it may be called
// concurrently on the same finished Result.
func Write(w io.Writer, r *runner.Result) error {
	if r == nil {
		return errors.New("junit: no result to write (nil *runner.Result)")
	}
	doc := build(r)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	return nil
}

// Wire types: the document's shape, owned here (domain types carry no tags).

// xTestsuites is the root. It has no attributes: Windy Road's schema
// declares none, and the schema wins (readers add up the testsuites).
type xTestsuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []xTestsuite `xml:"testsuite"`
}

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
	Name      string   `xml:"name,attr"`
	Classname string   `xml:"classname,attr"`
	Time      string   `xml:"time,attr"`
	Skipped   *xResult `xml:"skipped"`
	Error     *xResult `xml:"error"`
	Failure   *xResult `xml:"failure"`
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

func build(r *runner.Result) *xTestsuites {
	doc := &xTestsuites{}
	for i, sr := range r.Suites {
		if sr == nil {
			continue
		}
		doc.Suites = append(doc.Suites, buildSuite(r, sr, i))
	}
	return doc
}

func host(h string) string {
	if h = clean(strings.TrimSpace(h)); h == "" {
		return unknownHost
	}
	return h
}

func suiteName(sr *runner.SuiteResult) string {
	if sr.Suite == nil {
		return "unnamed suite"
	}
	if strings.TrimSpace(sr.Suite.Name) != "" {
		return sr.Suite.Name
	}
	if strings.TrimSpace(sr.Suite.File) != "" {
		return sr.Suite.File
	}
	return "unnamed suite"
}

func buildSuite(r *runner.Result, sr *runner.SuiteResult, id int) xTestsuite {
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
	ts.Properties.Props = suiteProperties(r, sr)

	var out, errOut strings.Builder
	if r.Interrupted {
		errOut.WriteString("run interrupted: tests whose request was sent are errors of type \"interrupted\" (the action may have run); tests that sent nothing are skipped with reason \"" + runner.ReasonInterrupted + "\"\n")
	}
	if c, ok := phaseCase(name, setupName, "setup", sr.Setup, &out, &errOut); ok {
		ts.Cases = append(ts.Cases, c)
	}
	for _, tr := range sr.Tests {
		if tr == nil || tr.Test == nil {
			continue
		}
		ts.Cases = append(ts.Cases, testCase(name, tr))
		if tr.Status.Failed() {
			exchanges(&out, tr.Test.Name, tr.Status, tr.Steps)
		}
	}
	if c, ok := phaseCase(name, teardownName, "teardown", sr.Teardown, &out, &errOut); ok {
		ts.Cases = append(ts.Cases, c)
	}
	for _, c := range ts.Cases {
		ts.Tests++
		switch {
		case c.Failure != nil:
			ts.Failures++
		case c.Error != nil:
			ts.Errors++
		case c.Skipped != nil:
			ts.Skipped++
		}
	}
	ts.SystemOut.Text = cleanBody(out.String())
	ts.SystemErr.Text = cleanBody(errOut.String())
	return ts
}

func suiteProperties(r *runner.Result, sr *runner.SuiteResult) []xProperty {
	var props []xProperty
	add := func(name, value string) {
		props = append(props, xProperty{Name: clean(name), Value: clean(value)})
	}
	if sr.Suite != nil {
		add("file", sr.Suite.File)
		if len(sr.Suite.Tags) > 0 {
			add("tags", strings.Join(sr.Suite.Tags, ", "))
		}
	}
	info := r.Info
	if info.Version != "" {
		add("run.version", info.Version)
	}
	if info.Endpoint != "" {
		add("run.endpoint", info.Endpoint)
	}
	if info.Local {
		add("run.local", "true")
	}
	if info.Parallel > 0 {
		add("run.parallel", strconv.Itoa(info.Parallel))
	}
	if info.Shard != "" {
		add("run.shard", info.Shard)
	}
	if info.Run != "" {
		add("run.run", info.Run)
	}
	if info.Tags != "" {
		add("run.tags", info.Tags)
	}
	if r.Interrupted {
		add("run.interrupted", "true")
	}
	for _, tr := range sr.Tests {
		if tr == nil || tr.Test == nil {
			continue
		}
		p := tr.Test.Name + "."
		add(p+"file", tr.Test.Pos.FileLine())
		if len(tr.Test.Tags) > 0 {
			add(p+"tags", strings.Join(tr.Test.Tags, ", "))
		}
		if pl := platforms(tr.Steps); pl != "" {
			add(p+"platform", pl)
		}
		if n := tr.Attempts(); n > 0 {
			add(p+"attempts", strconv.Itoa(n))
		}
		if ids := tr.ActivationIDs(); len(ids) > 0 {
			add(p+"activation_ids", strings.Join(ids, " "))
		}
	}
	return props
}

// platforms lists the distinct platforms the attempts used, in order.
func platforms(steps []*runner.StepResult) string {
	var seen []string
	for _, s := range steps {
		if s == nil {
			continue
		}
		for _, a := range s.Attempts {
			if a == nil || a.Platform == "" {
				continue
			}
			dup := false
			for _, p := range seen {
				dup = dup || p == a.Platform
			}
			if !dup {
				seen = append(seen, a.Platform)
			}
		}
	}
	return strings.Join(seen, ", ")
}

func testCase(classname string, tr *runner.TestResult) xTestcase {
	c := xTestcase{Name: clean(tr.Test.Name), Classname: classname, Time: seconds(tr.Duration)}
	switch tr.Status {
	case runner.Pass:
	case runner.Fail:
		c.Failure = outcome(tr.Steps, tr.Reason, "failed")
	case runner.Error:
		c.Error = outcome(tr.Steps, tr.Reason, "error")
	case runner.Interrupted:
		c.Error = outcome(tr.Steps, tr.Reason, "interrupted")
		c.Error.Type, c.Error.Message = "interrupted", clean(tr.Reason)
	default:
		c.Skipped = &xResult{Message: clean(tr.Reason)}
	}
	return c
}

// outcome describes the decisive attempt of steps as a <failure> or
// <error>; fallbackType is used when nothing better is known.
func outcome(steps []*runner.StepResult, reason, fallbackType string) *xResult {
	step, att := runner.Decisive(steps)
	res := &xResult{Type: fallbackType}
	var b strings.Builder
	if step != nil && step.Step != nil {
		fmt.Fprintf(&b, "step: %s (%s)\n", step.Step.Name, step.Step.Pos.FileLine())
	}
	if att != nil {
		fmt.Fprintf(&b, "attempts: %d\n", len(step.Attempts)) // the decisive one is the last
		if att.ActivationID != "" {
			fmt.Fprintf(&b, "activation: %s\n", att.ActivationID)
		}
		if att.HTTPStatus != 0 {
			fmt.Fprintf(&b, "http status: %d\n", att.HTTPStatus)
		}
		writeTries(&b, att.Tries)
	}
	if len(steps) > 1 {
		b.WriteString("steps:\n")
		for i, s := range steps {
			if s == nil {
				continue
			}
			name := ""
			if s.Step != nil {
				name = s.Step.Name
			}
			fmt.Fprintf(&b, "  %d. %s: %s", i+1, name, s.Status)
			if s.Reason != "" {
				fmt.Fprintf(&b, " (%s)", s.Reason)
			}
			b.WriteString("\n")
		}
	}
	switch {
	case att != nil && len(att.Failures) > 0:
		res.Message = att.Failures[0].Summary()
		if fallbackType == "failed" {
			res.Type = att.Failures[0].Key
		}
		for _, f := range att.Failures {
			b.WriteString("\n")
			writeFailure(&b, f)
		}
	case att != nil && att.Err != "":
		res.Message = att.Err
		fmt.Fprintf(&b, "error: %s\n", att.Err)
		if att.Hint != "" {
			fmt.Fprintf(&b, "hint: %s\n", att.Hint)
		}
	default:
		res.Message = reason
		if res.Message == "" && step != nil {
			res.Message = step.Reason
		}
		if res.Message == "" {
			res.Message = fallbackType
		}
		fmt.Fprintf(&b, "reason: %s\n", res.Message)
	}
	if res.Type == "" {
		res.Type = fallbackType
	}
	res.Message = clean(res.Message)
	res.Type = clean(res.Type)
	res.Body = cleanBody(b.String())
	return res
}

func writeFailure(b *strings.Builder, f *runner.Failure) {
	fmt.Fprintf(b, "%s: %s\n", f.Pos.FileLine(), f.Summary())
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(b, "  %-9s %s\n", name+":", value)
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
		b.WriteString("  diff:\n")
		for _, line := range strings.Split(strings.TrimRight(f.Diff, "\n"), "\n") {
			b.WriteString("    " + line + "\n")
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
// failed or errored, and notes it in errOut and its exchanges in out.
func phaseCase(classname, name, phase string, steps []*runner.StepResult, out, errOut *strings.Builder) (xTestcase, bool) {
	st, d := runner.Phase(steps)
	if !st.Failed() {
		return xTestcase{}, false
	}
	res := outcome(steps, "", phase)
	res.Type = phase
	step, _ := runner.Decisive(steps)
	stepName := ""
	if step != nil && step.Step != nil {
		stepName = "step " + step.Step.Name + " (" + step.Step.Pos.FileLine() + "): "
	}
	res.Message = clean(stepName + res.Message)
	fmt.Fprintf(errOut, "%s %s: %s\n", phase, st, res.Message)
	exchanges(out, name, st, steps)
	return xTestcase{Name: name, Classname: classname, Time: seconds(d), Error: res}, true
}

// exchanges writes the request and response of every attempt of steps that
// kept one.
func exchanges(out *strings.Builder, test string, st runner.Status, steps []*runner.StepResult) {
	heading := false
	for _, s := range steps {
		if s == nil {
			continue
		}
		for i, a := range s.Attempts {
			if a == nil || len(a.Exchanges) == 0 {
				continue
			}
			if !heading {
				fmt.Fprintf(out, "=== %s: %s ===\n", test, st)
				heading = true
			}
			stepName := ""
			if s.Step != nil {
				stepName = s.Step.Name
			}
			for _, x := range a.Exchanges {
				which := fmt.Sprintf("%s, attempt %d of %d", stepName, i+1, len(s.Attempts))
				if x != nil && x.Poll {
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
	if x == nil {
		return
	}
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
