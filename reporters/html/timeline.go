package html

import (
	"fmt"
	"sort"
	"time"

	"github.com/specrun/specrun/runner"
)

// laneHeight is the height in pixels of one lane of the timeline.
const laneHeight = 18

// timeline places every test that ran on a lane: tests that overlap in
// time are on different lanes, so the number of lanes is the run's peak
// concurrency.
type timeline struct {
	Bars   []bar
	Lanes  int
	Height int
	Span   string
	Ticks  []tick
}

type bar struct {
	Left, Width float64 // percent of the span
	Top         int     // pixels
	Status      string
	Title       string
	Href        string
}

type tick struct {
	Left  float64
	Label string
}

type span struct {
	start, end time.Time
	status     string
	title      string
	href       string
}

// spans lists the tests that ran, by start.
func spans(r *runner.Result) []span {
	var out []span
	for i, sr := range r.Suites {
		for j, tr := range sr.Tests {
			if tr.Start.IsZero() || tr.Status == runner.Skip {
				continue
			}
			title := fmt.Sprintf("%s › %s: %s, %s", suiteName(sr), tr.Test.Name, tr.Status, formatDuration(tr.Duration))
			out = append(out, span{tr.Start, tr.Start.Add(tr.Duration), tr.Status.String(), title, fmt.Sprintf("#s%dt%d", i, j)})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].start.Before(out[b].start) })
	return out
}

func buildTimeline(r *runner.Result) timeline {
	spans := spans(r)
	if len(spans) == 0 {
		return timeline{}
	}
	first, last := spans[0].start, spans[0].end
	for _, s := range spans {
		if s.end.After(last) {
			last = s.end
		}
	}
	total := last.Sub(first)
	if total <= 0 {
		total = time.Millisecond
	}
	t := timeline{Span: formatDuration(total)}
	var laneEnds []time.Time
	for _, s := range spans {
		lane := -1
		for i, end := range laneEnds {
			if !end.After(s.start) {
				lane = i
				break
			}
		}
		if lane < 0 {
			lane = len(laneEnds)
			laneEnds = append(laneEnds, time.Time{})
		}
		laneEnds[lane] = s.end
		left := float64(s.start.Sub(first)) / float64(total) * 100
		width := max(float64(s.end.Sub(s.start))/float64(total)*100, 0.3)
		t.Bars = append(t.Bars, bar{Left: round(left), Width: round(min(width, 100-left+0.3)), Top: lane * laneHeight, Status: s.status, Title: s.title, Href: s.href})
	}
	t.Lanes = len(laneEnds)
	t.Height = t.Lanes * laneHeight
	for i := 0; i <= 4; i++ {
		t.Ticks = append(t.Ticks, tick{Left: float64(i) * 25, Label: formatDuration(total * time.Duration(i) / 4)})
	}
	return t
}

func round(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
