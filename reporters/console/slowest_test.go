package console

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// TestSlowestKeepsOnlyWhatItLists: the summary's list of slowest tests is
// what sorting every test that ran (longest first, equal durations in run
// order) and cutting to n gives, while holding at most n entries at any
// time: a summary of 100,000 tests does not keep an entry per test.
func TestSlowestKeepsOnlyWhatItLists(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		var all []summaryEntry
		for i := range rng.IntN(40) {
			d := time.Duration(rng.IntN(6)) * time.Millisecond // many equal durations
			all = append(all, summaryEntry{t: &runner.TestResult{Test: &spec.Test{Name: fmt.Sprint(i)}, Duration: d}})
		}
		n := rng.IntN(len(all) + 3)
		want := slices.Clone(all)
		sort.SliceStable(want, func(i, j int) bool { return want[i].t.Duration > want[j].t.Duration })
		want = want[:min(n, len(want))]

		h := slowestTests{n: n}
		for _, e := range all {
			h.offer(e)
			if len(h.es) > n {
				t.Fatalf("round %d: %d entries kept for the %d slowest", round, len(h.es), n)
			}
		}
		got := h.longestFirst()
		if names(got) != names(want) {
			t.Fatalf("round %d, n=%d:\n got %s\nwant %s", round, n, names(got), names(want))
		}
	}
}

func names(es []summaryEntry) string {
	s := ""
	for _, e := range es {
		s += fmt.Sprintf("%s:%v ", e.t.Test.Name, e.t.Duration)
	}
	return s
}
