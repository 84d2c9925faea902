package jsonreport

import (
	"bytes"
	"strings"
	"testing"

	"github.com/specrun/specrun/reporters/internal/samples"
)

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
		// Merge of one accepted report fails only on a test listed twice.
		if _, err := Merge(rep); err != nil && !strings.Contains(err.Error(), "appears twice in report 1") {
			t.Fatalf("Merge of one accepted report: %v", err)
		}
	})
}
