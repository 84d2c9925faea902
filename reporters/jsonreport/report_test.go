package jsonreport

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/specrun/specrun/internal/golden"
	"github.com/specrun/specrun/reporters/internal/samples"
	"github.com/specrun/specrun/runner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

func sortedNames(m map[string]*runner.Result) []string {
	var names []string
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func TestWriteMatchesGolden(t *testing.T) {
	fx := samples.Fixtures()
	for _, name := range sortedNames(fx) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, fx[name]); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".json", buf.Bytes())
		})
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	for name, r := range samples.Fixtures() {
		var a, b bytes.Buffer
		if err := Write(&a, r); err != nil {
			t.Fatal(err)
		}
		if err := Write(&b, r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two writes of one result differ", name)
		}
	}
}

func TestRoundTripIsIdentical(t *testing.T) {
	fx := samples.Fixtures()
	for _, name := range sortedNames(fx) {
		t.Run(name, func(t *testing.T) {
			var first, second bytes.Buffer
			if err := Write(&first, fx[name]); err != nil {
				t.Fatal(err)
			}
			rep, err := Read(bytes.NewReader(first.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := Encode(&second, rep); err != nil {
				t.Fatal(err)
			}
			if first.String() != second.String() {
				t.Errorf("Write → Read → Encode changed the document\n--- first\n%s\n--- second\n%s", first.String(), second.String())
			}
		})
	}
}

func TestWriteStructure(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		check   func(*Report) string
	}{
		{"start is UTC with milliseconds", "pass", func(r *Report) string {
			return want(r.Run.Start, "2026-11-27T00:30:00.123Z")
		}},
		{"durations round to the nearest millisecond", "pass", func(r *Report) string {
			return want(r.Suites[0].Tests[1].DurationMS, int64(2))
		}},
		{"valid JSON text becomes a JSON value", "fail", func(r *Report) string {
			return want(string(r.Suites[0].Tests[0].Steps[0].Attempts[0].Failures[1].Expected), `{"a":[1,2],"b":null}`)
		}},
		{"truncated text stays text", "fail", func(r *Report) string {
			f := r.Suites[0].Tests[0].Steps[0].Attempts[0].Failures[2]
			return want(f.ActualText+"|"+string(f.Actual), `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…(truncated)|`)
		}},
		{"failure at is FILE:LINE", "fail", func(r *Report) string {
			return want(r.Suites[0].Tests[0].Steps[0].Attempts[0].Failures[0].At, "specs/hello.yaml:9")
		}},
		{"attempts and activation ids are counted over steps", "retries", func(r *Report) string {
			tt := r.Suites[0].Tests[0]
			return want(strings.Join(tt.ActivationIDs, ",")+"|"+itoa(tt.Attempts), "aaaa0001,aaaa0002,aaaa0003|3")
		}},
		{"selection is omitted when nothing was selected", "pass", func(r *Report) string {
			return want(r.Run.Selection == nil, true)
		}},
		{"counts come from the tests", "interrupted", func(r *Report) string {
			return want(r.Counts, Counts{Total: 3, Passed: 1, Skipped: 1, Interrupted: 1})
		}},
		{"setup errors make the suite and the run errored", "setup-failure", func(r *Report) string {
			return want(r.Status+"/"+r.Suites[0].Status, "error/error")
		}},
	}
	fx := samples.Fixtures()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if msg := tc.check(New(fx[tc.fixture])); msg != "" {
				t.Error(msg)
			}
		})
	}
}

func TestReadRejects(t *testing.T) {
	tests := []struct {
		name, doc, err string
	}{
		{"a syntax error, with its position", "{\n  \"schema_version\": 2,\n  \"status\": pass\n}",
			"jsonreport: invalid report at 3:13: invalid character 'p' looking for beginning of value"},
		{"a document without schema_version", `{"status":"pass","suites":[]}`,
			"jsonreport: not a specrun JSON report: no schema_version; write it with specrun --report-json"},
		{"another schema version", `{"schema_version":3,"status":"pass","suites":[]}`,
			"jsonreport: schema_version 3 is not supported (this specrun reads 2): read it with the specrun version that wrote it"},
		{"an unknown status", `{"schema_version":2,"status":"ok","suites":[]}`,
			`jsonreport: invalid report: status is "ok"; want pass, fail, error, interrupted or skip`},
		{"a test status that is unknown", `{"schema_version":2,"status":"pass","suites":[{"status":"pass","tests":[{"status":"PASS"}]}]}`,
			`jsonreport: invalid report: suites[0].tests[0].status is "PASS"; want pass, fail, error, interrupted or skip`},
		{"a start that is not RFC 3339", `{"schema_version":2,"status":"pass","run":{"start":"yesterday"},"suites":[]}`,
			`jsonreport: invalid report: run.start "yesterday" is not an RFC 3339 time`},
		{"missing suites", `{"schema_version":2,"status":"skip"}`,
			`jsonreport: invalid report: suites is missing or null`},
		{"a null step", `{"schema_version":2,"status":"pass","suites":[{"status":"pass","setup":[null],"tests":[]}]}`,
			`jsonreport: invalid report: suites[0].setup[0] is null`},
		{"a wrong type, with its position", "{\"schema_version\":2,\"status\":\"pass\",\n\"counts\":{\"total\":\"3\"},\"suites\":[]}",
			`jsonreport: invalid report at 2:21: counts.total is a JSON string, but the report format wants a whole number`},
		{"an object for an array", "{\"schema_version\":2,\"status\":\"pass\",\"suites\":{}}",
			`jsonreport: invalid report at 1:46: suites is a JSON object, but the report format wants an array`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.doc))
			if err == nil {
				t.Fatalf("Read accepted %s", tc.doc)
			}
			if err.Error() != tc.err {
				t.Errorf("error\n got: %s\nwant: %s", err, tc.err)
			}
		})
	}
}

func TestReadIgnoresUnknownFields(t *testing.T) {
	rep, err := Read(strings.NewReader(`{"schema_version":2,"status":"pass","added_later":{"x":1},"suites":[{"name":"s","status":"pass","tests":[],"new":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Suites[0].Name != "s" {
		t.Errorf("suite name %q, want s", rep.Suites[0].Name)
	}
}

func want[T comparable](got, want T) string {
	if got != want {
		return fmt.Sprintf("got %#v, want %#v", got, want)
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

func BenchmarkWrite(b *testing.B) {
	r := samples.Fixtures()["fail"]
	// A run of 200 suites of the failing test, to measure a large report.
	big := &runner.Result{Info: r.Info, Start: r.Start, Duration: r.Duration}
	for range 200 {
		big.Suites = append(big.Suites, r.Suites[0])
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, big); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

func TestNullValuesSurviveTheRoundTrip(t *testing.T) {
	r := samples.Fixtures()["fail"]
	f := r.Suites[0].Tests[0].Steps[0].Attempts[0].Failures[0]
	f.Expected, f.Actual = "null", " [ 1 , null ] "
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	rep, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	got := rep.Suites[0].Tests[0].Steps[0].Attempts[0].Failures[0]
	var actual bytes.Buffer
	if err := json.Compact(&actual, got.Actual); err != nil {
		t.Fatal(err)
	}
	if string(got.Expected) != "null" || actual.String() != "[1,null]" || got.ExpectedText != "" || got.ActualText != "" {
		t.Errorf("expected %q %q, actual %q %q; want null and [1,null] as JSON", got.Expected, got.ExpectedText, actual.String(), got.ActualText)
	}
}

func TestEncodeWritesNilListsAsEmptyWithoutModifyingTheReport(t *testing.T) {
	rep := &Report{SchemaVersion: SchemaVersion, Status: StatusSkip, Suites: []*Suite{{Name: "s", Status: StatusSkip}}}
	var buf bytes.Buffer
	if err := Encode(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"tests": []`) {
		t.Errorf("nil tests not written as []:\n%s", buf.String())
	}
	if rep.Suites[0].Tests != nil {
		t.Error("Encode modified the report")
	}
	if err := Encode(&buf, nil); err == nil || err.Error() != "jsonreport: nil report" {
		t.Errorf("Encode(nil) = %v, want jsonreport: nil report", err)
	}
}
