package monitor

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/emulator"
	"github.com/specrun/specrun/internal/syncbuf"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

const (
	testAccess = "LOCALMONITORTEST1"
	testSecret = "0123456789ABCDEF0123456789ABCDEF01234567"
)

// startEmulator serves testdata/manifest.yaml on loopback over real TCP.
func startEmulator(t testing.TB) string { return startEmulatorSeeing(t, nil) }

// startEmulatorSeeing is startEmulator calling seen (when not nil) with the
// path of each request as it arrives.
func startEmulatorSeeing(t testing.TB, seen func(path string)) string {
	t.Helper()
	m, err := emulator.LoadManifest("testdata/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Few activation records: the emulator's store (10,000 by default) would
	// otherwise grow through the memory benchmark and hide the monitor's own.
	emu := emulator.New(m, emulator.Options{AccessKey: testAccess, SecretKey: testSecret, MaxActivations: 64})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen != nil {
			seen(r.URL.Path)
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	return srv.URL + "/api/v2"
}

// realRun runs a project against the emulator at endpoint with the real
// client and runner, as specrun monitor does.
func realRun(endpoint string) func(context.Context, *spec.Project, func()) (*runner.Result, error) {
	return func(ctx context.Context, p *spec.Project, started func()) (*runner.Result, error) {
		cl, err := client.New(client.Config{Endpoint: endpoint, Credentials: client.Credentials{AccessKey: testAccess, SecretKey: testSecret},
			MaxRetries: 3, RetryDelay: time.Millisecond})
		if err != nil {
			return nil, err
		}
		defer cl.CloseIdleConnections()
		started()
		return runner.Run(ctx, p, cl, runner.Options{
			Secrets:   append([]string{testSecret}, p.Secrets...),
			AccessKey: testAccess,
		}, nil), nil
	}
}

// loader loads paths as specrun does.
func loader(paths ...string) func() (*spec.Project, error) { return loadWith(nil, paths...) }

// secretLoader loads paths with --secret token.
func secretLoader(paths ...string) func() (*spec.Project, error) {
	return loadWith([]string{"token"}, paths...)
}

func loadWith(secrets []string, paths ...string) func() (*spec.Project, error) {
	return func() (*spec.Project, error) {
		return spec.Load(paths, spec.Options{Secrets: secrets, LookupEnv: func(string) (string, bool) { return "", false }})
	}
}

// harness is a monitor serving on loopback, ticked by the test.
type harness struct {
	t     testing.TB
	m     *Monitor
	ticks chan time.Time
	// ticked receives after each tick is handled, runs after each run.
	ticked chan struct{}
	runs   chan *runner.Result
	base   string
	log    *syncbuf.Buffer
	stop   func() error
}

// start makes a monitor of cfg (Ticks, Log and the hooks are the
// harness's) and serves it until the test ends. The first run starts at
// once; wait for it with h.run().
func start(t testing.TB, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t, ticks: make(chan time.Time), ticked: make(chan struct{}, 100), runs: make(chan *runner.Result, 100), log: &syncbuf.Buffer{}}
	cfg.Ticks = h.ticks
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(h.log, nil))
	}
	if cfg.Every == 0 {
		cfg.Every = time.Minute
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.afterTick = func() { h.ticked <- struct{}{} }
	m.afterRun = func(r *runner.Result) { h.runs <- r }
	h.m = m
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.base = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx, ln) }()
	var once sync.Once
	var serveErr error
	h.stop = func() error {
		once.Do(func() {
			cancel()
			serveErr = <-done
		})
		return serveErr
	}
	t.Cleanup(func() { _ = h.stop() })
	h.waitTick()
	return h
}

// tick sends a tick and waits until the loop has handled it.
func (h *harness) tick() {
	h.t.Helper()
	select {
	case h.ticks <- time.Now():
	case <-time.After(30 * time.Second):
		h.t.Fatal("the loop took no tick within 30s")
	}
	h.waitTick()
}

func (h *harness) waitTick() {
	h.t.Helper()
	select {
	case <-h.ticked:
	case <-time.After(30 * time.Second):
		h.t.Fatal("no tick handled within 30s")
	}
}

// run waits for the next run to be recorded (nil: it failed to start).
func (h *harness) run() *runner.Result {
	h.t.Helper()
	select {
	case r := <-h.runs:
		return r
	case <-time.After(30 * time.Second):
		h.t.Fatalf("no run recorded within 30s; log:\n%s", h.log)
		return nil
	}
}

// get fetches path and returns its status and body.
func (h *harness) get(path string) (int, string) {
	h.t.Helper()
	resp, err := http.Get(h.base + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// metrics scrapes /metrics and parses it with Prometheus' own parser.
func (h *harness) metrics() map[string]*dto.MetricFamily {
	h.t.Helper()
	code, body := h.get("/metrics")
	if code != http.StatusOK {
		h.t.Fatalf("/metrics: HTTP %d\n%s", code, body)
	}
	return parseMetrics(h.t, body)
}

func parseMetrics(t testing.TB, body string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, body)
	}
	return fams
}

// value is the value of the series of name whose labels include want, and
// whether there is one.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		have := map[string]string{}
		for _, l := range m.Label {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

// copyDir copies the regular files of src into a new temporary directory.
func copyDir(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}
