package jsonreport

import (
	"bytes"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/specrun/specrun/reporters/html"
	"github.com/specrun/specrun/reporters/internal/samples"
	"github.com/specrun/specrun/reporters/junit"
	"github.com/specrun/specrun/reporters/tap"
	"github.com/specrun/specrun/runner"
)

// mergeRefusal matches what Merge may refuse of one report read back.
var mergeRefusal = regexp.MustCompile(`appears twice in report 1|has shard .*, not K/N|are both shard|an earlier report is of`)

func FuzzRead(f *testing.F) {
	for _, r := range samples.Fixtures() {
		var buf bytes.Buffer
		if err := Write(&buf, r); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte(`{"schema_version":2,"status":"pass","suites":[]}`))
	f.Add([]byte(`{"schema_version":2,"status":"pass","suites":[{"status":"fail","tests":[{"status":"fail","steps":[{"status":"fail","attempts":[{"status":"fail","failures":[{"at":"a:1","expected":{"x":[1]}}]}]}]}]}]}`))
	f.Add([]byte(`{"schema_version":3}`))
	f.Add([]byte(`{"schema_version":2,"status":"pass","run":{"shard":"x","shards":["1/2","1/2"]},"suites":[{"status":"pass","tests":[{"status":"pass","start":"2026-01-01T00:00:00Z","steps":[{"status":"pass"}]}]}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Read(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "jsonreport: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		// Whatever Read accepts must encode, read back and encode the same,
		// and merge with itself only as an overlap error or a valid report.
		var first, second bytes.Buffer
		if err := Encode(&first, rep); err != nil {
			t.Fatalf("Encode of an accepted report: %v", err)
		}
		again, err := Read(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("Read of an encoded report: %v\n%s", err, first.Bytes())
		}
		if err := Encode(&second, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("encode is not stable:\n%s\n---\n%s", first.Bytes(), second.Bytes())
		}
		// Merge of one accepted report fails only on a test listed twice,
		// or on shards that are not K/N of one N once each.
		if _, err := Merge(rep); err != nil && !mergeRefusal.MatchString(err.Error()) {
			t.Fatalf("Merge of one accepted report: %v", err)
		}
		// Every reporter renders what Read accepts (report merge does),
		// relying on runner.Result's promise, which Result keeps.
		res := rep.Result()
		checkPromise(t, res)
		for name, write := range map[string]func(io.Writer) error{
			"junit": func(w io.Writer) error { return junit.Write(w, res) },
			"tap":   func(w io.Writer) error { return tap.Write(w, res, tap.Options{}) },
			"html":  func(w io.Writer) error { return html.Write(w, res, html.Options{}) },
		} {
			if err := write(io.Discard); err != nil {
				t.Fatalf("%s of an accepted report: %v", name, err)
			}
		}
	})
}

// checkPromise fails t unless r keeps runner.Result's promise: no nil
// element, every spec set, every failed outcome with a verdict.
func checkPromise(t *testing.T, r *runner.Result) {
	t.Helper()
	verdict := func(what string, st runner.Status, v runner.Verdict) {
		if st.Failed() != (v.Message != "") || (v.Step != nil && v.Step.Step == nil) {
			t.Fatalf("%s: status %v, verdict %+v", what, st, v)
		}
	}
	steps := func(what string, ss []*runner.StepResult) {
		for _, s := range ss {
			if s == nil || s.Step == nil {
				t.Fatalf("%s: a nil step or spec step", what)
			}
			for _, a := range s.Attempts {
				if a == nil || slices.Contains(a.Failures, nil) || slices.Contains(a.Exchanges, nil) {
					t.Fatalf("%s: a nil attempt, failure or exchange", what)
				}
			}
		}
	}
	for _, sr := range r.Suites {
		if sr == nil || sr.Suite == nil {
			t.Fatal("a nil suite")
		}
		steps("setup", sr.Setup)
		steps("teardown", sr.Teardown)
		st, _ := runner.Phase(sr.Setup)
		verdict("setup", st, sr.SetupVerdict)
		st, _ = runner.Phase(sr.Teardown)
		verdict("teardown", st, sr.TeardownVerdict)
		for _, tr := range sr.Tests {
			if tr == nil || tr.Test == nil || tr.Test.Suite == nil {
				t.Fatal("a nil test, spec test or its suite")
			}
			steps(tr.Test.Name, tr.Steps)
			verdict(tr.Test.Name, tr.Status, tr.Verdict)
		}
	}
}
