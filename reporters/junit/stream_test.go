package junit

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"testing"

	"github.com/specrun/specrun/reporters/internal/scenarios"
	"github.com/specrun/specrun/runner"
)

// xTestsuites is the whole document as one value: the root the streamed
// writer writes as tokens. In the Ant flavor the root has no attributes
// (Windy Road's schema declares none); the CI flavor adds the totals
// Jenkins's schema allows, which GitLab and dorny/test-reporter read.
type xTestsuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr,omitempty"`
	Tests    string       `xml:"tests,attr,omitempty"`
	Failures string       `xml:"failures,attr,omitempty"`
	Errors   string       `xml:"errors,attr,omitempty"`
	Time     string       `xml:"time,attr,omitempty"`
	Suites   []xTestsuite `xml:"testsuite"`
}

// whole encodes doc at once, as Write did before it streamed.
func whole(t *testing.T, doc *xTestsuites) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	b.WriteString("\n")
	return b.Bytes()
}

// everyScenario is one run holding the suites of every scenario, so that
// suites of every kind (setup failures, retries, skips) follow one another.
func everyScenario(interrupted bool) *runner.Result {
	r := scenarios.Pass()
	r.Suites = nil
	r.Interrupted = interrupted
	for _, sc := range scenarios.All {
		r.Suites = append(r.Suites, sc.R().Suites...)
	}
	return r
}

// TestStreamedIsTheWholeDocument: Write streams suite by suite, and what it
// writes is byte for byte what encoding the whole document at once gives
// (the document read back from the stream, then encoded whole), in both
// flavors, for every scenario, for runs of many suites and of none. A
// streamed root that miscounted, or indentation that drifted between the
// root's tokens and the suites' elements, fails it.
func TestStreamedIsTheWholeDocument(t *testing.T) {
	runs := map[string]func() *runner.Result{
		"no suites":               func() *runner.Result { r := scenarios.Pass(); r.Suites = nil; return r },
		"every scenario":          func() *runner.Result { return everyScenario(false) },
		"every scenario, stopped": func() *runner.Result { return everyScenario(true) },
		"big":                     scenarios.Big,
	}
	for _, sc := range scenarios.All {
		runs[sc.Name] = sc.R
	}
	for flavor := range goldenDirs {
		for name, run := range runs {
			t.Run(string(flavor)+"/"+name, func(t *testing.T) {
				streamed := renderWith(t, run(), Options{Flavor: flavor})
				var doc xTestsuites
				if err := xml.Unmarshal(streamed, &doc); err != nil {
					t.Fatalf("reading the streamed document: %v", err)
				}
				if got := whole(t, &doc); !bytes.Equal(streamed, got) {
					t.Errorf("streamed document differs from the whole one:\n--- streamed\n%s\n--- whole\n%s", streamed, got)
				}
				if flavor == CI {
					checkTotals(t, &doc)
				}
			})
		}
	}
}

// checkTotals wants the CI root's totals to be the sums of its suites'.
func checkTotals(t *testing.T, doc *xTestsuites) {
	t.Helper()
	var tests, failures, errs int
	for _, s := range doc.Suites {
		tests += s.Tests
		failures += s.Failures
		errs += s.Errors
	}
	want := [3]string{strconv.Itoa(tests), strconv.Itoa(failures), strconv.Itoa(errs)}
	if got := [3]string{doc.Tests, doc.Failures, doc.Errors}; got != want {
		t.Errorf("root tests, failures, errors = %q, want the sums of the suites' %q", got, want)
	}
}
