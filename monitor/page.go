package monitor

import (
	"bytes"

	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/runner"
)

// page is the JSON report of res served on /. (The project has no HTML
// report yet; when it has, / can serve it to browsers, by Accept.) The
// runner has redacted what it wrote (requests, responses, values, the
// checks' messages), and spec.Load the names, tags and skip reasons of the
// project (so that a secret typed into a test's name is hidden, here and in
// the metrics, as in every report). What is left of the spec's own text
// that the report repeats, the file paths and the checks' paths, is
// redacted here.
func page(res *runner.Result, redact func(string) string) ([]byte, error) {
	rep := jsonreport.New(res)
	for _, s := range rep.Suites {
		s.File = redact(s.File)
		redactSteps(s.Setup, redact)
		redactSteps(s.Teardown, redact)
		for _, t := range s.Tests {
			t.File = redact(t.File)
			redactSteps(t.Steps, redact)
		}
	}
	var b bytes.Buffer
	err := jsonreport.Encode(&b, rep)
	return b.Bytes(), err
}

func redactSteps(steps []*jsonreport.Step, redact func(string) string) {
	for _, st := range steps {
		for _, a := range st.Attempts {
			a.Package, a.Action = redact(a.Package), redact(a.Action)
			for _, f := range a.Failures {
				f.At, f.Message = redact(f.At), redact(f.Message)
			}
		}
	}
}
