package monitor

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/specrun/specrun/internal/errlist"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// Config configures a Monitor.
type Config struct {
	// Every is the time between the starts of two runs; it must be positive.
	Every time.Duration
	// Paths are the spec files and directories, and the variable files,
	// whose changes make the monitor load the specs again.
	Paths []string
	// Load loads and validates the specs; its error lists every problem
	// (a joined error, one problem each).
	Load func() (*spec.Project, error)
	// Run runs the tests of p once, calling started when the run has
	// begun. An error means the run could not start (no credentials, say):
	// nothing ran, and started was not called.
	Run func(ctx context.Context, p *spec.Project, started func()) (*runner.Result, error)
	// Log receives one record per run and per reload; nil discards them.
	Log *slog.Logger
	// Now is the clock of /healthz; nil means time.Now.
	Now func() time.Time
	// Ticks, when set, replaces the ticker of Every (tests).
	Ticks <-chan time.Time
}

// Monitor runs specs on a schedule and serves their metrics. Make one with
// New; Serve runs it.
type Monitor struct {
	cfg     Config
	reg     *prometheus.Registry
	metrics *RunMetrics
	loop    *loopMetrics

	// project and fingerprint are the last good set and the files it (or
	// the last refused reload) was read from; only the loop touches them.
	project     *spec.Project
	fingerprint fingerprint

	// lastTick is when the loop last handled a tick, in Unix nanoseconds.
	lastTick atomic.Int64
	// report is the latest finished run's JSON report, nil before one.
	report atomic.Pointer[[]byte]
	// runs are the runs in progress (at most one).
	runs sync.WaitGroup
	// afterTick and afterRun, when set, are called after each tick is
	// handled and after each run is recorded (tests).
	afterTick func()
	afterRun  func(*runner.Result)
}

// New loads the specs and returns a monitor for them. An error is Load's:
// the specs are invalid and nothing will run.
func New(cfg Config) (*Monitor, error) {
	if cfg.Every <= 0 {
		return nil, fmt.Errorf("monitor: the interval %s must be positive", cfg.Every)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m := &Monitor{cfg: cfg, reg: prometheus.NewRegistry()}
	m.fingerprint = fingerprintOf(cfg.Paths)
	p, err := cfg.Load()
	if err != nil {
		return nil, err
	}
	m.project = p
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.metrics = NewRunMetrics(m.reg)
	m.loop = newLoopMetrics(m.reg, cfg.Every)
	m.lastTick.Store(cfg.Now().UnixNano())
	return m, nil
}

// Serve serves HTTP on ln and runs the specs at once and then every
// Config.Every until ctx is done. A run never starts while another is in
// progress: such a tick is counted as skipped. When ctx is done, the run in
// progress is interrupted (the runner still runs teardowns), and Serve
// returns once it has finished and the server has stopped. It returns nil
// then, or the server's error if serving failed.
func (m *Monitor) Serve(ctx context.Context, ln net.Listener) error {
	// A server that fails interrupts the run in progress too.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	ticks := m.cfg.Ticks
	if ticks == nil {
		t := time.NewTicker(m.cfg.Every)
		defer t.Stop()
		ticks = t.C
	}
	err := m.loopUntil(ctx, ticks, serveErr)
	cancel()
	m.runs.Wait()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil && err == nil {
		err = fmt.Errorf("stopping the metrics server: %w", serr)
	}
	return err
}

// loopUntil handles ticks until ctx is done or the server fails.
func (m *Monitor) loopUntil(ctx context.Context, ticks <-chan time.Time, serveErr <-chan error) error {
	var running atomic.Bool
	m.tick(ctx, &running)
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-serveErr:
			return fmt.Errorf("serving metrics: %w", err)
		case <-ticks:
			m.tick(ctx, &running)
		}
	}
}

// tick starts a run unless one is in progress.
func (m *Monitor) tick(ctx context.Context, running *atomic.Bool) {
	m.lastTick.Store(m.cfg.Now().UnixNano())
	switch {
	case ctx.Err() != nil:
		// Stopping: a tick that raced the cancellation starts nothing.
	case !running.CompareAndSwap(false, true):
		m.loop.skipped.Inc()
		m.cfg.Log.Warn("run skipped: the previous run is still in progress; consider a longer --every")
	default:
		m.reload()
		p := m.project
		m.runs.Add(1)
		go func() {
			defer m.runs.Done()
			res := m.runOnce(ctx, p)
			running.Store(false)
			if m.afterRun != nil {
				m.afterRun(res)
			}
		}()
	}
	if m.afterTick != nil {
		m.afterTick()
	}
}

// runOnce runs the specs once and records the outcome. A failure is logged
// and counted; it never stops the loop. The result is nil when the run
// could not start.
func (m *Monitor) runOnce(ctx context.Context, p *spec.Project) *runner.Result {
	res, err := m.cfg.Run(ctx, p, m.metrics.Started)
	if err != nil {
		m.loop.failedToStart.Inc()
		m.cfg.Log.Error("run failed to start", "err", err)
		return nil
	}
	hide := p.Redact
	m.metrics.Observe(res, hide)
	if b, err := page(res, hide); err != nil {
		m.cfg.Log.Error("writing the JSON report of the run", "err", err)
	} else {
		m.report.Store(&b)
	}
	m.logRun(res, hide)
	return res
}

// logRun writes one record for the run and one per test that failed.
func (m *Monitor) logRun(res *runner.Result, redact func(string) string) {
	c := res.Counts()
	attrs := []any{"passed", c.Passed, "failed", c.Failed, "errored", c.Errored, "skipped", c.Skipped,
		"interrupted", c.Interrupted, "duration", res.Duration.Round(time.Millisecond)}
	if res.Interrupted {
		m.cfg.Log.Info("run interrupted", attrs...)
		return
	}
	m.cfg.Log.Info("run finished", attrs...)
	for _, sr := range res.Suites {
		for _, tr := range sr.Tests {
			if tr.Status.Failed() {
				m.cfg.Log.Warn("test "+tr.Status.String(), "test", redact(tr.Test.FullName()), "file", redact(tr.Test.Pos.FileLine()))
			}
		}
	}
}

// reload loads the specs again when their files changed. A set that does
// not load is refused, logged with its problems and counted; the last good
// set stays, and the refused files are not tried again until they change.
func (m *Monitor) reload() {
	fp := fingerprintOf(m.cfg.Paths)
	if fp.equal(m.fingerprint) {
		return
	}
	m.fingerprint = fp
	p, err := m.cfg.Load()
	if err != nil {
		m.loop.reloads.WithLabelValues("refused").Inc()
		m.loop.reloadOK.Set(0)
		m.cfg.Log.Error("reload refused: the specs changed and do not validate; still running the last good set", "problems", countProblems(err))
		for _, e := range errlist.Of(err) {
			m.cfg.Log.Error("reload refused", "problem", e.Error())
		}
		return
	}
	m.project = p
	m.loop.reloads.WithLabelValues("ok").Inc()
	m.loop.reloadOK.Set(1)
	m.cfg.Log.Info("specs reloaded", "tests", p.Tests())
}

func countProblems(err error) int { return len(errlist.Of(err)) }

// loopMetrics are the metrics of the schedule itself.
type loopMetrics struct {
	skipped, failedToStart prometheus.Counter
	reloads                *prometheus.CounterVec
	reloadOK               prometheus.Gauge
}

func newLoopMetrics(reg prometheus.Registerer, every time.Duration) *loopMetrics {
	l := &loopMetrics{
		skipped: prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Subsystem: "runs", Name: "skipped_total",
			Help: "Ticks that started no run because the previous run was still in progress."}),
		failedToStart: prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Subsystem: "runs", Name: "failed_to_start_total",
			Help: "Runs that could not start (no credentials, say): nothing ran."}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Subsystem: "specs", Name: "reloads_total",
			Help: "Reloads of changed spec files, by result: ok, or refused (the specs did not validate; the last good set stays)."}, []string{"result"}),
		reloadOK: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Subsystem: "specs", Name: "last_reload_successful",
			Help: "1 when the specs last loaded validate, 0 when the latest reload was refused."}),
	}
	interval := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Subsystem: "monitor", Name: "interval_seconds",
		Help: "The --every interval between runs."})
	interval.Set(every.Seconds())
	l.reloadOK.Set(1)
	l.reloads.WithLabelValues("ok")
	l.reloads.WithLabelValues("refused")
	reg.MustRegister(l.skipped, l.failedToStart, l.reloads, l.reloadOK, interval)
	return l
}
