package monitor

import (
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// Namespace prefixes every metric specrun exports.
const Namespace = "specrun"

// testLabels are the labels of every per-test series.
var testLabels = []string{"suite", "test", "file"}

// durationBuckets cover a fast contract test (10ms) up to a test's default
// deadline (2 minutes).
var durationBuckets = []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}

// RunMetrics are the metrics of runs and of their tests: what `specrun
// monitor` serves on /metrics and what `specrun run --push-gateway` pushes.
// Observe is not safe for concurrent use (runs never overlap); gathering
// while Observe runs is.
type RunMetrics struct {
	up, attempts, retries, failing, lastRun, lastSuccess *prometheus.GaugeVec
	testDuration                                         *prometheus.HistogramVec

	started     prometheus.Counter
	runDuration prometheus.Histogram
	tests       *prometheus.GaugeVec
	lastFinish  prometheus.Gauge

	// known are the label values of every test with series, by test, so
	// that tests no longer selected (a reload removed them) lose theirs:
	// the number of series stays that of the tests, run after run.
	known map[testKey][]string
	// failures counts each test's consecutive failed runs.
	failures map[testKey]int
}

// testKey identifies a test across runs and reloads.
type testKey struct{ file, suite, test string }

// NewRunMetrics makes the run metrics and registers them with reg.
func NewRunMetrics(reg prometheus.Registerer) *RunMetrics {
	gauge := func(name, help string) *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Subsystem: "test", Name: name, Help: help}, testLabels)
	}
	m := &RunMetrics{
		up:          gauge("up", "1 when the test passed in its latest run, 0 when it failed or errored (or its suite's setup did)."),
		attempts:    gauge("attempts", "Attempts the test's steps made in its latest run (more than its steps when `retry` retried)."),
		retries:     gauge("transport_retries", "Calls of the test's latest run sent again by the client (429, the gateway's retryable 503, refused connections)."),
		failing:     gauge("consecutive_failures", "Runs in a row in which the test failed or errored; 0 after it passes."),
		lastRun:     gauge("last_run_timestamp_seconds", "When the test last got a verdict (pass, fail, error, or its suite's setup failed), in Unix seconds."),
		lastSuccess: gauge("last_success_timestamp_seconds", "When the test last passed, in Unix seconds."),
		testDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "test", Name: "duration_seconds",
			Help: "Duration of the test's runs (setup and teardown excluded).", Buckets: durationBuckets,
		}, testLabels),
		started: prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Subsystem: "runs", Name: "started_total",
			Help: "Runs started."}),
		runDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: Namespace, Subsystem: "run", Name: "duration_seconds",
			Help: "Duration of whole runs, setups and teardowns included.", Buckets: durationBuckets}),
		tests: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Subsystem: "run", Name: "tests",
			Help: "Tests of the latest finished run by status: pass, fail, error, skip, interrupted."}, []string{"status"}),
		lastFinish: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Subsystem: "run", Name: "last_finish_timestamp_seconds",
			Help: "When the latest run finished, in Unix seconds."}),
		known:    map[testKey][]string{},
		failures: map[testKey]int{},
	}
	reg.MustRegister(m.up, m.attempts, m.retries, m.failing, m.lastRun, m.lastSuccess, m.testDuration,
		m.started, m.runDuration, m.tests, m.lastFinish)
	return m
}

// Started counts a run that starts.
func (m *RunMetrics) Started() { m.started.Inc() }

// Observe records a finished run. redact is applied to every label value
// (nil: none). Tests without a verdict (skipped for any reason but a
// failed setup, or interrupted) leave their series as they were: nothing
// was learnt about them; in an interrupted run, the tests that finished
// first count. A test that stopped being selected loses its series.
func (m *RunMetrics) Observe(res *runner.Result, redact func(string) string) {
	if redact == nil {
		redact = func(s string) string { return s }
	}
	end := res.Start.Add(res.Duration)
	m.runDuration.Observe(res.Duration.Seconds())
	m.lastFinish.Set(unixSeconds(end))
	c := res.Counts()
	m.tests.WithLabelValues("pass").Set(float64(c.Passed))
	m.tests.WithLabelValues("fail").Set(float64(c.Failed))
	// Tests only: runner.Counts also counts each failed setup or teardown
	// as one errored result, and each interrupted one as one interrupted
	// result; the per-test series already show what a failed setup kept
	// from running.
	m.tests.WithLabelValues("error").Set(float64(c.Errored - c.Fixtures))
	m.tests.WithLabelValues("skip").Set(float64(c.Skipped))
	m.tests.WithLabelValues("interrupted").Set(float64(c.Interrupted - c.InterruptedFixtures))

	seen := make(map[testKey]bool, len(m.known))
	for _, sr := range res.Suites {
		setup, _ := runner.Phase(sr.Setup)
		setupFailed := setup == runner.Fail || setup == runner.Error
		for _, tr := range sr.Tests {
			k := keyOf(tr.Test)
			seen[k] = true
			m.label(k, redact)
			m.observeTest(k, tr, setupFailed)
		}
	}
	for k, labels := range m.known {
		if !seen[k] {
			m.forget(k, labels)
		}
	}
}

// label sets the label values of a test; when a reload changed the secrets
// and so the redaction of a test's names, its old series go.
func (m *RunMetrics) label(k testKey, redact func(string) string) {
	labels := []string{redact(k.suite), redact(k.test), redact(k.file)}
	if old, ok := m.known[k]; ok && !slices.Equal(old, labels) {
		m.forget(k, old)
	}
	m.known[k] = labels
}

// observeTest records one test's outcome.
func (m *RunMetrics) observeTest(k testKey, tr *runner.TestResult, setupFailed bool) {
	labels := m.known[k]
	passed := tr.Status == runner.Pass
	switch {
	case passed, tr.Status == runner.Fail, tr.Status == runner.Error:
	case tr.Status == runner.Skip && setupFailed:
		// Its suite's setup failed: the function is down for it too.
	default:
		// Skipped on purpose, by --fail-fast or an interrupt, or
		// interrupted in flight: nothing was learnt.
		return
	}
	end := unixSeconds(tr.Start.Add(tr.Duration))
	m.lastRun.WithLabelValues(labels...).Set(end)
	m.attempts.WithLabelValues(labels...).Set(float64(tr.Attempts()))
	m.retries.WithLabelValues(labels...).Set(float64(transportRetries(tr)))
	if passed {
		m.up.WithLabelValues(labels...).Set(1)
		m.lastSuccess.WithLabelValues(labels...).Set(end)
		m.failures[k] = 0
	} else {
		m.up.WithLabelValues(labels...).Set(0)
		m.failures[k]++
	}
	m.failing.WithLabelValues(labels...).Set(float64(m.failures[k]))
	if tr.Status != runner.Skip {
		m.testDuration.WithLabelValues(labels...).Observe(tr.Duration.Seconds())
	}
}

// forget deletes every series of a test no longer selected.
func (m *RunMetrics) forget(k testKey, labels []string) {
	for _, v := range []*prometheus.GaugeVec{m.up, m.attempts, m.retries, m.failing, m.lastRun, m.lastSuccess} {
		v.DeleteLabelValues(labels...)
	}
	m.testDuration.DeleteLabelValues(labels...)
	delete(m.known, k)
	delete(m.failures, k)
}

// transportRetries counts the calls of a test's attempts that were sent
// again (429s, the gateway's retryable 503, refused connections), polls
// included.
func transportRetries(tr *runner.TestResult) int {
	n := 0
	for _, st := range tr.Steps {
		for _, a := range st.Attempts {
			for _, t := range a.Tries {
				if t.Resent {
					n++
				}
			}
		}
	}
	return n
}

func keyOf(t *spec.Test) testKey {
	return testKey{file: t.Suite.File, suite: t.Suite.Name, test: t.Name}
}

// unixSeconds is t in Unix seconds with its fraction.
func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
