package jsonreport

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/specrun/specrun/reporters/html"
	"github.com/specrun/specrun/reporters/internal/samples"
	"github.com/specrun/specrun/reporters/junit"
	"github.com/specrun/specrun/reporters/tap"
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
		// Every reporter renders what Read accepts (report merge does).
		res := rep.Result()
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
