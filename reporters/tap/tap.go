package tap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/specrun/specrun/runner"
)

// Options configures Write. The zero value writes TAP version 13.
type Options struct {
	// Version is the TAP version: 13, or 14 to write multi-step tests as
	// subtests. Zero means 13; any other value is an error.
	Version int
}

// Names of the extra points that report a failed setup or teardown.
const (
	setupName    = "(setup)"
	teardownName = "(teardown)"
)

// Write writes r to w as a TAP stream. It returns an error when r is nil or
// opts.Version is not 0, 13 or 14 (then nothing is written), or the first
// error of w. Write only reads r, so it may be called concurrently on the
// same finished Result.
func Write(w io.Writer, r *runner.Result, opts Options) error {
	if r == nil {
		return errors.New("tap: no result to write (nil *runner.Result)")
	}
	version := opts.Version
	if version == 0 {
		version = 13
	}
	if version != 13 && version != 14 {
		return fmt.Errorf("tap: unsupported TAP version %d; use 13 or 14", opts.Version)
	}
	bw := bufio.NewWriter(w)
	p := &printer{w: bw, v14: version == 14}
	fmt.Fprintf(bw, "TAP version %d\n", version)
	writePlan(bw, r.Counts().Total, "no tests selected") // every test, and every failed setup and teardown
	for _, sr := range r.Suites {
		p.suite(sr)
	}
	if r.Interrupted {
		bw.WriteString("Bail out! " + runner.ReasonInterrupted + "\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("tap: %w", err)
	}
	return nil
}

// writePlan writes the plan "1..n", or for no points the skip-all plan
// "1..0 # SKIP REASON" (without "SKIP", prove finds no plan).
func writePlan(w *bufio.Writer, n int, reason string) {
	if n == 0 {
		w.WriteString("1..0 # SKIP " + reason + "\n")
		return
	}
	fmt.Fprintf(w, "1..%d\n", n)
}

type printer struct {
	w   *bufio.Writer
	v14 bool
	n   int // last point number
}

func suiteName(sr *runner.SuiteResult) string {
	if strings.TrimSpace(sr.Suite.Name) != "" {
		return sr.Suite.Name
	}
	return sr.Suite.File
}

func (p *printer) suite(sr *runner.SuiteResult) {
	name := suiteName(sr)
	p.phase(name, setupName, sr.Setup, sr.SetupVerdict)
	for _, tr := range sr.Tests {
		p.test(name, tr)
	}
	p.phase(name, teardownName, sr.Teardown, sr.TeardownVerdict)
}

func (p *printer) phase(suite, name string, steps []*runner.StepResult, v runner.Verdict) {
	st, d := runner.Phase(steps)
	if !st.Failed() {
		return
	}
	p.n++
	desc := escape(suite + " / " + name)
	fmt.Fprintf(p.w, "not ok %d - %s\n", p.n, desc)
	// A failed setup or teardown counts as errored, an interrupted one as
	// interrupted (runner.Counts).
	writeYAML(p.w, "  ", diagnose(v, runner.FixtureStatus(st), d, true))
}

func (p *printer) test(suite string, tr *runner.TestResult) {
	desc := escape(suite + " / " + tr.Test.Name)
	if p.v14 && tr.Test.MultiStep && tr.Status != runner.Skip && len(tr.Steps) > 0 {
		p.subtest(desc, tr.Steps)
	}
	p.n++
	switch tr.Status {
	case runner.Pass:
		fmt.Fprintf(p.w, "ok %d - %s\n", p.n, desc)
	case runner.Fail, runner.Error, runner.Interrupted:
		// An interrupted test whose request was sent has no verdict but
		// may have run its action: a failed point whose diagnostics say
		// "severity: interrupted" (TAP has no directive for it).
		fmt.Fprintf(p.w, "not ok %d - %s\n", p.n, desc)
		writeYAML(p.w, "  ", diagnose(tr.Verdict, tr.Status, tr.Duration, tr.Test.MultiStep))
	default:
		fmt.Fprintf(p.w, "ok %d - %s%s\n", p.n, desc, skip(tr.Reason))
	}
}

// subtest writes the steps of a multi-step test as a TAP 14 subtest.
func (p *printer) subtest(desc string, steps []*runner.StepResult) {
	fmt.Fprintf(p.w, "# Subtest: %s\n", desc)
	fmt.Fprintf(p.w, "    1..%d\n", len(steps))
	for i, s := range steps {
		sd := escape(s.Step.Name)
		st, reason := s.Status, s.Reason
		switch st {
		case runner.Pass:
			fmt.Fprintf(p.w, "    ok %d - %s\n", i+1, sd)
		case runner.Fail, runner.Error, runner.Interrupted:
			fmt.Fprintf(p.w, "    not ok %d - %s\n", i+1, sd)
			writeYAML(p.w, "      ", diagnose(runner.NewVerdict(st, []*runner.StepResult{s}, reason), st, s.Duration, false))
		default:
			fmt.Fprintf(p.w, "    ok %d - %s%s\n", i+1, sd, skip(reason))
		}
	}
}

func skip(reason string) string {
	if reason == "" {
		return " # SKIP"
	}
	return " # SKIP " + escape(reason)
}

// kv is one YAML mapping entry; the value is a string, an int, a bool or a
// list of mappings.
type kv struct {
	key string
	val any
}

// diagnose describes verdict v of an outcome with status st. withStep adds
// the step's name (multi-step tests, setup, teardown). attempts counts the
// decisive step's attempts, shown when it retried.
func diagnose(v runner.Verdict, st runner.Status, d time.Duration, withStep bool) []kv {
	step, att := v.Step, v.Attempt
	var out []kv
	add := func(k string, v any) {
		if s, ok := v.(string); ok && s == "" {
			return
		}
		out = append(out, kv{k, v})
	}
	severity := "fail"
	if st == runner.Error || st == runner.Interrupted {
		severity = st.String()
	}
	add("message", v.Message)
	add("severity", severity)
	add("at", v.Pos.FileLine())
	if withStep && step != nil {
		add("step", step.Step.Name)
	}
	if fs := v.Failures(); len(fs) > 0 {
		f := fs[0]
		add("path", f.Path)
		add("operator", f.Op)
		add("expected", f.Expected)
		add("actual", f.Actual)
		add("diff", f.Diff)
	} else {
		add("hint", v.Hint)
	}
	if att != nil && att.HTTPStatus != 0 {
		add("http_status", att.HTTPStatus)
	}
	add("duration_ms", int(max(d, 0)/time.Millisecond))
	if att != nil {
		add("activation_id", att.ActivationID)
	}
	if step != nil && len(step.Attempts) > 1 {
		add("attempts", len(step.Attempts))
	}
	if att != nil {
		out = append(out, attemptFacts(att)...)
	}
	return out
}

// attemptFacts are the diagnostics of the decisive attempt that only some
// attempts have: whether the action may have run, the transport attempts,
// and every failure when there are several.
func attemptFacts(att *runner.Attempt) []kv {
	var out []kv
	if att.MayHaveRun {
		out = append(out, kv{"may_have_run", true})
	}
	if len(att.Tries) > 0 {
		out = append(out, kv{"transport", tries(att.Tries)})
	}
	if len(att.Failures) > 1 {
		var list [][]kv
		for _, f := range att.Failures {
			var e []kv
			for _, x := range []kv{
				{"message", f.Summary()}, {"at", f.Pos.FileLine()}, {"path", f.Path},
				{"operator", f.Op}, {"expected", f.Expected}, {"actual", f.Actual}, {"diff", f.Diff},
			} {
				if x.val != "" {
					e = append(e, x)
				}
			}
			list = append(list, e)
		}
		out = append(out, kv{"failures", list})
	}
	return out
}

// tries lists transport attempts as YAML mappings.
func tries(ts []runner.Try) [][]kv {
	list := make([][]kv, 0, len(ts))
	for _, t := range ts {
		e := []kv{{"method", t.Method}}
		if !t.Start.IsZero() {
			e = append(e, kv{"start", t.Start.UTC().Format(time.RFC3339Nano)})
		}
		if t.HTTPStatus != 0 {
			e = append(e, kv{"http_status", t.HTTPStatus})
		}
		e = append(e, kv{"answer", t.Answer}, kv{"resent", t.Resent})
		if t.Why != "" {
			e = append(e, kv{"why", t.Why})
		}
		list = append(list, e)
	}
	return list
}

// writeYAML writes kvs as a YAML diagnostics block at indent.
func writeYAML(w *bufio.Writer, indent string, kvs []kv) {
	w.WriteString(indent + "---\n")
	writeMap(w, indent, "", kvs)
	w.WriteString(indent + "...\n")
}

// writeMap writes a mapping; first (when not empty) replaces the indent of
// the first line, for a list item's "- ".
func writeMap(w *bufio.Writer, indent, first string, kvs []kv) {
	for i, e := range kvs {
		lead := indent
		if i == 0 && first != "" {
			lead = first
		}
		switch v := e.val.(type) {
		case string:
			w.WriteString(lead + e.key + ": " + yamlScalar(v) + "\n")
		case int:
			w.WriteString(lead + e.key + ": " + strconv.Itoa(v) + "\n")
		case bool:
			w.WriteString(lead + e.key + ": " + strconv.FormatBool(v) + "\n")
		case [][]kv:
			w.WriteString(lead + e.key + ":\n")
			for _, item := range v {
				writeMap(w, indent+"    ", indent+"  - ", item)
			}
		}
	}
}

// escape makes s safe as a TAP description or directive reason: "\" and
// "#" are backslash-escaped (TAP 14), line breaks and other control
// characters become visible escapes, invalid UTF-8 bytes become U+FFFD.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	writeEscaped(&b, s, '#')
	return b.String()
}

// yamlScalar returns s as a YAML scalar that reads back as the string s
// (invalid UTF-8 bytes read back as U+FFFD): plain when that is
// unambiguous, else double-quoted on one line.
func yamlScalar(s string) string {
	if plainOK(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	writeEscaped(&b, s, '"')
	b.WriteByte('"')
	return b.String()
}

// writeEscaped writes s to b with the escapes TAP descriptions and YAML
// double-quoted scalars share: "\" and special (the one character each
// context adds: '#' or '"') backslash-escaped, line breaks and other
// control characters as visible escapes, invalid UTF-8 bytes as U+FFFD.
func writeEscaped(b *strings.Builder, s string, special rune) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\\' || r == special:
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			writeVisible(b, r)
		}
	}
}

// writeVisible writes r to b, as a visible escape when it is a line break,
// a tab, another control character, or a character readers drop or take
// as a line break (U+2028, U+2029, the byte-order mark, U+FFFE, U+FFFF).
func writeVisible(b *strings.Builder, r rune) {
	switch {
	case r == '\n':
		b.WriteString(`\n`)
	case r == '\r':
		b.WriteString(`\r`)
	case r == '\t':
		b.WriteString(`\t`)
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		fmt.Fprintf(b, `\x%02x`, r)
	case r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff:
		fmt.Fprintf(b, `\u%04x`, r)
	default:
		b.WriteRune(r)
	}
}

// plainOK reports whether s can be written as a plain YAML scalar that both
// YAML 1.1 and 1.2 readers (and TAP::Parser's YAMLish) read as the same
// string: letters first, a small set of safe characters, no ": ", no
// trailing ":" or space, and not a word YAML reads as a boolean or null.
func plainOK(s string) bool {
	return s != "" && plainFirst(s[0]) && plainBytes(s) && !yamlKeyword(s)
}

// plainFirst reports whether c may start a plain scalar: a letter, '_' or
// '/'.
func plainFirst(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '/'
}

// plainBytes reports whether every byte of s is a letter, a digit or one of
// "_./@+-", or a space or ':' that is neither last nor followed by a space.
func plainBytes(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == ':' {
			if i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		} else if !plainSafe(c) {
			return false
		}
	}
	return true
}

// plainSafe reports whether c is a letter, a digit or one of "_./@+-".
func plainSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("_./@+-", c) >= 0
}

// yamlKeyword reports whether a YAML 1.1 or 1.2 reader takes s, in any
// letter case, as a boolean or null rather than a string.
func yamlKeyword(s string) bool {
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "true", "false", "on", "off", "null":
		return true
	}
	return false
}
