package monitor

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// Audit E7: specrun_run_tests counts tests only. A setup an interrupt
// stopped after its request was sent is one interrupted result in
// runner.Counts, as a failed setup is one errored result: neither is a
// test, so neither is in the interrupted or error series.
func TestRunTestsCountsTestsNotSetups(t *testing.T) {
	s := &spec.Suite{Name: "s", File: "s.yaml"}
	for _, name := range []string{"a", "b"} {
		s.Tests = append(s.Tests, &spec.Test{Suite: s, Name: name, Index: len(s.Tests)})
	}
	for _, tc := range []struct {
		name  string
		setup runner.Status
		want  map[string]float64
	}{
		{"an interrupted setup", runner.Interrupted, map[string]float64{"interrupted": 0, "error": 0, "skip": 2}},
		{"an errored setup", runner.Error, map[string]float64{"interrupted": 0, "error": 0, "skip": 2}},
	} {
		sr := &runner.SuiteResult{Suite: s, Setup: []*runner.StepResult{{Step: &spec.Step{Name: "seed"}, Status: tc.setup}}}
		for _, tt := range s.Tests {
			sr.Tests = append(sr.Tests, &runner.TestResult{Test: tt, Status: runner.Skip, Reason: runner.ReasonInterrupted})
		}
		res := &runner.Result{Suites: []*runner.SuiteResult{sr}, Interrupted: tc.setup == runner.Interrupted}
		res.Decide()
		reg := prometheus.NewRegistry()
		NewRunMetrics(reg).Observe(res, nil)
		fams, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, f := range fams {
			if f.GetName() != Namespace+"_run_tests" {
				continue
			}
			for _, m := range f.GetMetric() {
				got[m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
			}
		}
		for status, n := range tc.want {
			if got[status] != n {
				t.Errorf("%s: specrun_run_tests{status=%q} = %v, want %v (all: %v)", tc.name, status, got[status], n, got)
			}
		}
	}
}
