package jsonreport_test

import (
	"bytes"
	"testing"

	"github.com/specrun/specrun/reporters/internal/scenarios"
	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/reporters/junit"
	"github.com/specrun/specrun/reporters/tap"
	"github.com/specrun/specrun/runner"
)

func roundTrip(t *testing.T, r *runner.Result) *runner.Result {
	t.Helper()
	var buf bytes.Buffer
	if err := jsonreport.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	rep, err := jsonreport.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return rep.Result()
}

// TestResultRendersLikeTheRun: a report read back and converted with
// Result renders the same TAP as the run it was written from, and the same
// JSON report, so merged shard reports can be rendered in every format.
func TestResultRendersLikeTheRun(t *testing.T) {
	for _, sc := range scenarios.All {
		t.Run(sc.Name, func(t *testing.T) {
			back := roundTrip(t, sc.R())
			for _, version := range []int{13, 14} {
				var want, got bytes.Buffer
				if err := tap.Write(&want, sc.R(), tap.Options{Version: version}); err != nil {
					t.Fatal(err)
				}
				if err := tap.Write(&got, back, tap.Options{Version: version}); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("TAP %d from the report:\n%s\nwant:\n%s", version, got.String(), want.String())
				}
			}
			var want, got bytes.Buffer
			if err := jsonreport.Write(&want, sc.R()); err != nil {
				t.Fatal(err)
			}
			if err := jsonreport.Write(&got, back); err != nil {
				t.Fatal(err)
			}
			// Invalid UTF-8 bytes (the escaping scenario's) are written
			// as \ufffd and read back as U+FFFD: the same text, other bytes.
			if got.String() != want.String() && sc.Name != "escaping" {
				t.Errorf("JSON from the report:\n%s\nwant:\n%s", got.String(), want.String())
			}
			var x bytes.Buffer
			if err := junit.Write(&x, back); err != nil {
				t.Fatal(err)
			}
			if c := back.Counts(); c != sc.R().Counts() {
				t.Errorf("counts %+v, want %+v", c, sc.R().Counts())
			}
		})
	}
}
