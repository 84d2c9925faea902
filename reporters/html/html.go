// Package html writes a run's result as one self-contained HTML page for
// people: the verdict and counts, a timeline of the run (one bar per test
// from its start to its end, on as many lanes as tests ran at once), where
// the time went (the slowest tests and suites), every failure with its spec
// location, expectations, diff, attempts (retries) and the redacted request
// and response, and every suite and test. It fetches nothing: styles and
// the one small script (a "only failed tests" filter) are inline, and the
// page reads the same without the script, so it opens offline and in a CI
// artifact viewer. Every text is escaped by html/template.
package html

import (
	_ "embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"

	"github.com/specrun/specrun/runner"
)

//go:embed report.html.tmpl
var pageText string

var pageTemplate = htmltemplate.Must(htmltemplate.New("report").Parse(pageText))

// Options configure Write.
type Options struct {
	// Title heads the page; "specrun report" when empty.
	Title string
}

// Write writes r to w as one HTML page. It returns an error when r is nil,
// or the first error of w. Write only reads r.
func Write(w io.Writer, r *runner.Result, opts Options) error {
	if r == nil {
		return errors.New("html: no result to write (nil *runner.Result)")
	}
	title := opts.Title
	if title == "" {
		title = "specrun report"
	}
	if err := pageTemplate.Execute(w, build(r, title)); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return nil
}
