package monitor

import (
	"bytes"

	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/runner"
)

// page is the JSON report of res served on /. (The project has no HTML
// report yet; when it has, / can serve it to browsers, by Accept.) The runner has redacted
// what it wrote (requests, responses, values); the spec's own text that
// the report repeats (names, files, tags, messages) is redacted here, so
// that a secret typed into a test's name is hidden as in the metrics.
func page(res *runner.Result, redact func(string) string) ([]byte, error) {
	rep := jsonreport.New(res)
	if sel := rep.Run.Selection; sel != nil {
		sel.Run, sel.Tags = redact(sel.Run), redact(sel.Tags)
	}
	for _, s := range rep.Suites {
		s.Name, s.File = redact(s.Name), redact(s.File)
		redactSteps(s.Setup, redact)
		redactSteps(s.Teardown, redact)
		for _, t := range s.Tests {
			t.Name, t.FullName, t.File, t.Reason = redact(t.Name), redact(t.FullName), redact(t.File), redact(t.Reason)
			for i := range t.Tags {
				t.Tags[i] = redact(t.Tags[i])
			}
			redactSteps(t.Steps, redact)
		}
	}
	var b bytes.Buffer
	err := jsonreport.Encode(&b, rep)
	return b.Bytes(), err
}

func redactSteps(steps []*jsonreport.Step, redact func(string) string) {
	for _, st := range steps {
		st.Name, st.Reason = redact(st.Name), redact(st.Reason)
		for _, a := range st.Attempts {
			a.Package, a.Action = redact(a.Package), redact(a.Action)
			for _, f := range a.Failures {
				f.At, f.Message = redact(f.At), redact(f.Message)
			}
		}
	}
}
