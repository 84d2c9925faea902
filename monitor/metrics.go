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
		retries:     gauge("transport_retries", "Transport retries (429, gateway 503, connection refused) the test's requests needed in its latest run."),
		failing:     gauge("consecutive_failures", "Runs in a row in which the test failed or errored; 0 after it passes."),
		lastRun:     gauge("last_run_timestamp_seconds", "When the test last finished a run (pass, fail or error), in Unix seconds."),
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
			Help: "Tests of the latest finished run by status: pass, fail, error, skip."}, []string{"status"}),
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
// (nil: none). The tests of an interrupted run, and tests skipped for any
// reason but a failed setup, leave their series as they were: nothing was
// learnt about them. A test that stopped being selected loses its series.
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
	m.tests.WithLabelValues("error").Set(float64(c.Errored))
	m.tests.WithLabelValues("skip").Set(float64(c.Skipped))

	seen := make(map[testKey]bool, len(m.known))
	for _, sr := range res.Suites {
		setupFailed, _ := runner.Phase(sr.Setup)
		for _, tr := range sr.Tests {
			k := keyOf(tr.Test)
			seen[k] = true
			m.label(k, redact)
			if !res.Interrupted {
				m.observeTest(k, tr, setupFailed.Failed())
			}
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
	if !passed && !tr.Status.Failed() && !setupFailed {
		return // skipped on purpose, or by --fail-fast: nothing learnt
	}
	end := unixSeconds(tr.Start.Add(tr.Duration))
	m.lastRun.WithLabelValues(labels...).Set(end)
	m.attempts.WithLabelValues(labels...).Set(float64(tr.Attempts()))
	if n, ok := transportRetries(tr); ok {
		m.retries.WithLabelValues(labels...).Set(float64(n))
	}
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

// transportRetries is the hook for the transport retries of a test's
// requests. The runner does not record a request's transport attempts yet
// (client.Response.Attempts is not kept in runner.Attempt), so nothing is
// known and the series is not exported rather than exported as a false 0.
// Once runner.Attempt records its transport tries (a list of tries, each
// saying whether the call was sent again), return here the number of tries
// sent again over every attempt of every step of tr, and true; the metric,
// its docs row and TestDocsListEveryMetric then follow.
func transportRetries(tr *runner.TestResult) (int, bool) {
	_ = tr
	return 0, false
}

func keyOf(t *spec.Test) testKey {
	return testKey{file: t.Suite.File, suite: t.Suite.Name, test: t.Name}
}

// unixSeconds is t in Unix seconds with its fraction.
func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
