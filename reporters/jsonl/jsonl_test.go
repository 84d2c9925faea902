package jsonl

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/specrun/specrun/internal/golden"
	"github.com/specrun/specrun/internal/jsonltest"
	"github.com/specrun/specrun/reporters/internal/scenarios"
	"github.com/specrun/specrun/runner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixedClock ticks one millisecond a call from the scenarios' start.
func fixedClock() func() time.Time {
	n := 0
	return func() time.Time { n++; return scenarios.At(n) }
}

// TestStream replays every scenario: each event's line is on the writer
// when the event returns, every line validates against the documented
// schema (docs/jsonl.schema.json), and the stream matches its golden file.
func TestStream(t *testing.T) {
	for _, sc := range scenarios.All {
		t.Run(sc.Name, func(t *testing.T) {
			r := sc.R()
			var buf bytes.Buffer
			s := NewStream(&buf, Options{Now: fixedClock(), Info: r.Info})
			for _, e := range scenarios.Events(r) {
				before := strings.Count(buf.String(), "\n")
				s.Event(e)
				if wrote := strings.Count(buf.String(), "\n") - before; wrote > 1 || (wrote == 0 && e.Kind != runner.SetupFinished && e.Kind != runner.TeardownFinished) {
					t.Fatalf("event %d wrote %d lines", e.Kind, wrote)
				}
			}
			if err := s.Err(); err != nil {
				t.Fatal(err)
			}
			jsonltest.Lines(t, buf.String())
			golden.Check(t, filepath.Join("testdata", sc.Name+".jsonl"), buf.Bytes(), *update)
		})
	}
}

// TestCountsAreTheSharedModel: run_end's counts are runner.Counts, every
// field of them (interrupted and fixtures too), in every scenario.
func TestCountsAreTheSharedModel(t *testing.T) {
	for _, sc := range scenarios.All {
		r := sc.R()
		var buf bytes.Buffer
		s := NewStream(&buf, Options{Now: fixedClock()})
		for _, e := range scenarios.Events(r) {
			s.Event(e)
		}
		lines := jsonltest.Lines(t, buf.String())
		last := lines[len(lines)-1]
		c := r.Counts()
		want := map[string]any{"total": float64(c.Total), "passed": float64(c.Passed), "failed": float64(c.Failed), "errored": float64(c.Errored),
			"skipped": float64(c.Skipped), "interrupted": float64(c.Interrupted), "fixtures": float64(c.Fixtures)}
		if got, _ := last["counts"].(map[string]any); last["event"] != "run_end" || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: run_end = %v, want counts %v", sc.Name, last, want)
		}
	}
}

// TestAbort: a stream aborted mid-run ends with a run_end whose complete
// is false, and nothing follows it.
func TestAbort(t *testing.T) {
	r := scenarios.Interrupted()
	evs := scenarios.Events(r)
	var buf bytes.Buffer
	s := NewStream(&buf, Options{Now: fixedClock()})
	for _, e := range evs[:2] {
		s.Event(e)
	}
	s.Abort()
	s.Event(evs[len(evs)-1])
	s.Abort()
	lines := jsonltest.Lines(t, buf.String())
	last := lines[len(lines)-1]
	if len(lines) != 3 || last["event"] != "run_end" || last["complete"] != false || last["interrupted"] != true {
		t.Errorf("aborted stream:\n%s", buf.String())
	}
}

// TestNoSecrets: no request or response text reaches the stream.
func TestNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	s := NewStream(&buf, Options{Now: fixedClock()})
	for _, e := range scenarios.Events(scenarios.Error()) {
		s.Event(e)
	}
	if strings.Contains(buf.String(), "x-ncp-apigw") || strings.Contains(buf.String(), `{\"name\":\"bob\"}`) || strings.Contains(buf.String(), "content-type") {
		t.Errorf("an exchange reached the stream:\n%s", buf.String())
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(m.Run())
}
