package monitor

import (
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthyTicks is how many intervals may pass without a tick before
// /healthz says the loop is stuck.
const healthyTicks = 3

// Handler serves /metrics, /healthz and / (the latest run's JSON report);
// every other path is 404.
func (m *Monitor) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
	mux.HandleFunc("GET /healthz", m.serveHealth)
	mux.HandleFunc("GET /{$}", m.serveReport)
	return mux
}

// serveHealth answers 200 while the loop handles its ticks, 503 when it
// has not for healthyTicks intervals.
func (m *Monitor) serveHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	since := m.cfg.Now().Sub(time.Unix(0, m.lastTick.Load()))
	if since > healthyTicks*m.cfg.Every {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "stuck: the loop last ticked %s ago, every %s\n", since.Round(time.Second), m.cfg.Every)
		return
	}
	fmt.Fprintln(w, "ok")
}

// serveReport serves the latest finished run's JSON report.
func (m *Monitor) serveReport(w http.ResponseWriter, _ *http.Request) {
	page := m.report.Load()
	if page == nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Retry-After", fmt.Sprint(int(m.cfg.Every.Seconds()+1)))
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "no run has finished yet")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(*page)
}
