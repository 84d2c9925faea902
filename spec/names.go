package spec

import (
	"fmt"
	"slices"

	"github.com/specrun/specrun/internal/redact"
)

// hideSecretsInNames replaces, with red (the static secrets: the values of
// the --secret variables and the credentials), every secret in the text of
// suites that a run shows as written: suite, test and step names, tags and
// skip reasons. Every output then shows them as ***, and --run and --tags
// select by what is shown. A test name is a key within its suite: two
// tests whose names differ only inside a secret would become one; that is
// a problem (addSuites reports the same of suite names, using renamed).
func hideSecretsInNames(suites []*Suite, red *redact.Redactor) (renamed map[*Suite]bool, probs []*Error) {
	renamed = map[*Suite]bool{}
	for _, s := range suites {
		if s == nil {
			continue
		}
		if name := red.String(s.Name); name != s.Name {
			s.Name, renamed[s] = name, true
		}
		s.Tags = hideInTags(s.Tags, red)
		hideInSteps(s.Setup, red)
		hideInSteps(s.Teardown, red)
		probs = append(probs, hideInTests(s.Tests, red)...)
	}
	return renamed, probs
}

// hideInTests is hideSecretsInNames for the tests of one suite.
func hideInTests(tests []*Test, red *redact.Redactor) []*Error {
	var probs []*Error
	type seen struct {
		raw  string
		line int
	}
	names := make(map[string]seen, len(tests))
	for _, t := range tests {
		raw := t.Name
		t.Name, t.Skip = red.String(t.Name), red.String(t.Skip)
		t.Tags = hideInTags(t.Tags, red)
		hideInSteps(t.Steps, red)
		prev, dup := names[t.Name]
		switch {
		case !dup:
			names[t.Name] = seen{raw: raw, line: t.Pos.Line}
		case prev.raw != raw:
			// The same raw name twice is reported as a duplicate already.
			probs = append(probs, &Error{Pos: t.Pos, Msg: fmt.Sprintf("duplicate test name %q once secrets are replaced by ***: the test at line %d shows the same name; test names must be unique within a suite as shown: rename one", t.Name, prev.line)})
		}
	}
	return probs
}

// hideInSteps is hideSecretsInNames for step names.
func hideInSteps(steps []*Step, red *redact.Redactor) {
	for _, st := range steps {
		st.Name = red.String(st.Name)
	}
}

// hideInTags returns tags with their secrets hidden, without the
// duplicates that makes; tags itself when nothing changes (a test's tags
// may share their start with its suite's).
func hideInTags(tags []string, red *redact.Redactor) []string {
	if !slices.ContainsFunc(tags, func(tag string) bool { return red.String(tag) != tag }) {
		return tags
	}
	out := make([]string, 0, len(tags))
	for _, tag := range tags {
		if h := red.String(tag); !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}
