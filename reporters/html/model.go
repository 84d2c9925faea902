package html

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/specrun/specrun/runner"
)

// page is what the template renders; everything is computed here.
type page struct {
	Title       string
	Status      string
	Counts      runner.Counts
	FailedAll   int
	Meta        []kv
	Interrupted bool
	Timeline    timeline
	Slowest     []slow
	SuiteTimes  []slow
	Failures    []failure
	Suites      []suite
}

type kv struct{ K, V string }

type suite struct {
	ID, Name, File, Status, Duration string
	Counts                           runner.Counts
	Tests                            []testRow
}

type testRow struct {
	ID, Name, At, Status, Duration, Reason string
	Attempts                               int
	Retried, Failed                        bool
}

// failure is a failed or errored test, setup or teardown.
type failure struct {
	ID, Title, At, Status, Message string
	Steps                          []stepView
}

type stepView struct {
	Name, At, Status, Reason string
	Attempts                 []attemptView
}

type attemptView struct {
	N, Of                          int
	Status, Duration, ActivationID string
	HTTPStatus                     int
	Err, Hint                      string
	Failures                       []failureView
	Exchanges                      []exchangeView
	// Tries are the transport attempts, when there were several.
	Tries      []string
	MayHaveRun bool
}

// exchangeView is one request and its response (the run-action call, or a
// poll).
type exchangeView struct {
	Label, Request, Response, Note string
}

type failureView struct {
	At, Summary, Expected, Actual string
	Diff                          []diffLine
}

type diffLine struct{ Class, Text string }

type slow struct {
	Name, Duration string
	Percent        float64
}

func build(r *runner.Result, title string) *page {
	c := r.Counts()
	p := &page{Title: title, Status: r.Status().String(), Counts: c, FailedAll: c.Failed + c.Errored, Interrupted: r.Interrupted}
	p.Meta = meta(r)
	p.Timeline = buildTimeline(r)
	p.Slowest, p.SuiteTimes = slowest(r)
	for i, sr := range r.Suites {
		s := buildSuite(sr, i)
		p.Suites = append(p.Suites, s)
		p.Failures = append(p.Failures, suiteFailures(sr, i)...)
	}
	return p
}

func meta(r *runner.Result) []kv {
	var out []kv
	add := func(k, v string) {
		if v != "" {
			out = append(out, kv{k, v})
		}
	}
	if !r.Start.IsZero() {
		add("started", r.Start.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	add("wall time", formatDuration(r.Duration))
	if r.Info.Local {
		add("against", "the built-in emulator (--local)")
	} else {
		add("against", r.Info.Endpoint)
	}
	add("shard", r.Info.Shard)
	if r.Info.Parallel > 0 {
		add("parallel", fmt.Sprint(r.Info.Parallel))
	}
	add("--run", r.Info.Run)
	add("--tags", r.Info.Tags)
	add("host", r.Info.Hostname)
	add("specrun", r.Info.Version)
	return out
}

func suiteName(sr *runner.SuiteResult) string {
	if strings.TrimSpace(sr.Suite.Name) != "" {
		return sr.Suite.Name
	}
	return sr.Suite.File
}

func buildSuite(sr *runner.SuiteResult, i int) suite {
	s := suite{ID: fmt.Sprintf("s%d", i), Name: suiteName(sr), File: sr.Suite.File, Status: sr.Status.String(), Duration: formatDuration(sr.Duration), Counts: sr.Counts()}
	for j, tr := range sr.Tests {
		s.Tests = append(s.Tests, testRow{
			ID: fmt.Sprintf("s%dt%d", i, j), Name: tr.Test.Name, At: tr.Test.Pos.FileLine(), Status: tr.Status.String(),
			Duration: formatDuration(tr.Duration), Reason: tr.Reason, Attempts: tr.Attempts(), Retried: tr.Retried(), Failed: tr.Status.Failed(),
		})
	}
	return s
}

// slowest lists the ten slowest tests and every suite by duration, with
// their share of the longest.
func slowest(r *runner.Result) (tests, suites []slow) {
	type item struct {
		name string
		d    time.Duration
	}
	var ts, ss []item
	for _, sr := range r.Suites {
		ss = append(ss, item{suiteName(sr), sr.Duration})
		for _, tr := range sr.Tests {
			if tr.Duration > 0 {
				ts = append(ts, item{suiteName(sr) + " › " + tr.Test.Name, tr.Duration})
			}
		}
	}
	conv := func(items []item, n int) []slow {
		sort.SliceStable(items, func(a, b int) bool { return items[a].d > items[b].d })
		items = items[:min(n, len(items))]
		var out []slow
		for _, it := range items {
			pct := 0.0
			if items[0].d > 0 {
				pct = float64(it.d) / float64(items[0].d) * 100
			}
			out = append(out, slow{it.name, formatDuration(it.d), pct})
		}
		return out
	}
	return conv(ts, 10), conv(ss, len(ss))
}

// formatDuration prints d for people: "120ms", "1.52s", "2m03s".
func formatDuration(d time.Duration) string {
	switch {
	case d < 0:
		d = 0
		fallthrough
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Round(time.Millisecond).Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.2fs", d.Round(10*time.Millisecond).Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
}
