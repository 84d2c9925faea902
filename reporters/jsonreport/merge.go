package jsonreport

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Merge combines the reports of the shards of one run into one report. It
// returns an error when no report is given, when a report is nil or not of
// SchemaVersion, when a status is invalid, when the same test (file, line
// and name) appears in two reports (the shards overlap), or when the
// reports are not of one run (see compatible).
//
// The merged report has:
//   - suites of the same file merged into one, sorted by file; their tests
//     sorted by line then name; a suite's status the worst of its parts,
//     its duration their sum, and the setup and teardown steps of the part
//     whose setup (then teardown) went worst, the first on ties;
//   - counts and status recomputed from the tests and suites (a suite's
//     failed setup and teardown each count one errored, as in
//     runner.Counts);
//   - run metadata (version, endpoint, local, parallel, selection) of the
//     first report; start the earliest start; duration from the earliest
//     start to the latest end (the longest duration when a start is
//     missing); interrupted when any report was;
//   - shard empty and shards listing every shard merged, in shard order.
//
// Merge does not modify its inputs; the merged report shares its tests,
// steps and attempts with them, so treat all of them as read-only.
func Merge(reports ...*Report) (*Report, error) {
	if err := checkMergeable(reports); err != nil {
		return nil, err
	}
	first := reports[0]
	out := &Report{SchemaVersion: SchemaVersion, Run: first.Run, Status: StatusSkip}
	out.Run.Shard = ""
	out.Run.Shards = nil
	if first.Run.Selection != nil {
		sel := *first.Run.Selection
		out.Run.Selection = &sel
	}
	mergeRun(&out.Run, reports)

	suites, err := mergeSuites(reports)
	if err != nil {
		return nil, err
	}
	out.Suites = suites
	sortSuites(out.Suites)
	for _, s := range out.Suites {
		if s.Tests == nil {
			s.Tests = []*Test{}
		}
		out.Status = worse(out.Status, s.Status)
		out.Counts.addSuite(s)
	}
	if out.Suites == nil {
		out.Suites = []*Suite{}
	}
	if out.Run.Interrupted {
		out.Status = StatusInterrupted
	}
	return out, nil
}

// checkMergeable returns Merge's error when reports is empty, holds a nil
// report or one not of SchemaVersion, holds an invalid report, or its
// reports are not of one run.
func checkMergeable(reports []*Report) error {
	if len(reports) == 0 {
		return errors.New("jsonreport: merge: no reports given")
	}
	for i, r := range reports {
		if r == nil {
			return fmt.Errorf("jsonreport: merge: report %d is nil", i+1)
		}
		if r.SchemaVersion != reports[0].SchemaVersion {
			return fmt.Errorf("jsonreport: merge: report %d has schema_version %d but report 1 has %d: write all shards with the same specrun version", i+1, r.SchemaVersion, reports[0].SchemaVersion)
		}
		if r.SchemaVersion != SchemaVersion {
			return fmt.Errorf("jsonreport: merge: report %d has schema_version %d; this specrun merges %d", i+1, r.SchemaVersion, SchemaVersion)
		}
		if err := r.validate(); err != nil {
			return fmt.Errorf("jsonreport: merge: report %d: %w", i+1, err)
		}
	}
	if err := compatible(reports); err != nil {
		return fmt.Errorf("jsonreport: merge: %w", err)
	}
	return nil
}

// mergeSuites returns the suites of reports with the parts of one suite
// (same file, or same name when it has no file) folded into one, in order
// of first appearance. It returns an error when a test appears twice.
func mergeSuites(reports []*Report) ([]*Suite, error) {
	var suites []*Suite
	byKey := map[string]*Suite{}
	seen := map[string]int{} // test key -> index of the report holding it
	for i, r := range reports {
		for _, s := range r.Suites {
			key := s.File
			if key == "" {
				key = "\x00" + s.Name
			}
			m, ok := byKey[key]
			if !ok {
				m = &Suite{Name: s.Name, File: s.File, Status: s.Status, DurationMS: s.DurationMS, Setup: s.Setup, Teardown: s.Teardown}
				byKey[key] = m
				suites = append(suites, m)
			} else {
				foldSuite(m, s)
			}
			if err := addTests(m, s.Tests, key, i, seen); err != nil {
				return nil, err
			}
		}
	}
	return suites, nil
}

// foldSuite folds the part s into the merged suite m: the worse status,
// the summed duration, and the setup and teardown that went worse (m's on
// ties).
func foldSuite(m, s *Suite) {
	m.Status = worse(m.Status, s.Status)
	m.DurationMS += s.DurationMS
	if stepsRank(s.Setup) > stepsRank(m.Setup) {
		m.Setup = s.Setup
	}
	if stepsRank(s.Teardown) > stepsRank(m.Teardown) {
		m.Teardown = s.Teardown
	}
}

// addTests appends tests, from report i and the suite of key, to m,
// recording each in seen. It returns an error naming the reports when a
// test (same line and name) is already in seen.
func addTests(m *Suite, tests []*Test, key string, i int, seen map[string]int) error {
	for _, t := range tests {
		tk := key + "\x00" + strconv.Itoa(t.Line) + "\x00" + t.Name
		if j, dup := seen[tk]; dup {
			if j == i {
				return fmt.Errorf("jsonreport: merge: test %q (%s:%d) appears twice in report %d", t.FullName, t.File, t.Line, i+1)
			}
			return fmt.Errorf("jsonreport: merge: test %q (%s:%d) is in report %d and report %d: merge reports of distinct shards of one run", t.FullName, t.File, t.Line, j+1, i+1)
		}
		seen[tk] = i
		m.Tests = append(m.Tests, t)
	}
	return nil
}

// sortSuites sorts suites by file then name, and each suite's tests by
// line then name, keeping the order of equals.
func sortSuites(suites []*Suite) {
	sort.SliceStable(suites, func(a, b int) bool {
		sa, sb := suites[a], suites[b]
		if sa.File != sb.File {
			return sa.File < sb.File
		}
		return sa.Name < sb.Name
	})
	for _, s := range suites {
		sort.SliceStable(s.Tests, func(a, b int) bool {
			ta, tb := s.Tests[a], s.Tests[b]
			if ta.Line != tb.Line {
				return ta.Line < tb.Line
			}
			return ta.Name < tb.Name
		})
	}
}

// addSuite counts s's tests, and its setup and teardown when they failed
// or were interrupted (as runner.Counts: a failed fixture is one errored
// result, an interrupted one an interrupted result).
func (c *Counts) addSuite(s *Suite) {
	for _, t := range s.Tests {
		c.add(t.Status)
	}
	for _, steps := range [][]*Step{s.Setup, s.Teardown} {
		switch r := stepsRank(steps); {
		case r == rankInterrupted:
			c.add(StatusInterrupted)
		case r >= rankFail:
			c.add(StatusError)
			c.Fixtures++
		}
	}
}

func (c *Counts) add(status string) {
	c.Total++
	switch status {
	case StatusPass:
		c.Passed++
	case StatusFail:
		c.Failed++
	case StatusError:
		c.Errored++
	case StatusInterrupted:
		c.Interrupted++
	default:
		c.Skipped++
	}
}

// rankFail is statusRank(StatusFail), rankInterrupted
// statusRank(StatusInterrupted).
const rankFail, rankInterrupted = 2, 4

// stepsRank is the rank of the worst status of steps, -1 for none.
func stepsRank(steps []*Step) int {
	r := -1
	for _, s := range steps {
		if k, _ := statusRank(s.Status); k > r {
			r = k
		}
	}
	return r
}

// mergeRun fills the start, duration, interruption and shards of run.
func mergeRun(run *Run, reports []*Report) {
	var start, end time.Time
	allStarts := true
	var longest int64
	shards := map[string]bool{}
	run.Interrupted = false
	for _, r := range reports {
		run.Interrupted = run.Interrupted || r.Run.Interrupted
		longest = max(longest, r.Run.DurationMS)
		if r.Run.Shard != "" {
			shards[r.Run.Shard] = true
		}
		for _, s := range r.Run.Shards {
			shards[s] = true
		}
		t, err := time.Parse(time.RFC3339, r.Run.Start)
		if r.Run.Start == "" || err != nil {
			allStarts = false
			continue
		}
		e := t.Add(time.Duration(r.Run.DurationMS) * time.Millisecond)
		if start.IsZero() || t.Before(start) {
			start = t
		}
		if e.After(end) {
			end = e
		}
	}
	run.DurationMS = longest
	run.Start = ""
	if !start.IsZero() {
		run.Start = formatTime(start)
		if allStarts {
			run.DurationMS = end.Sub(start).Milliseconds()
		}
	}
	for s := range shards {
		run.Shards = append(run.Shards, s)
	}
	sort.Slice(run.Shards, func(a, b int) bool { return shardLess(run.Shards[a], run.Shards[b]) })
}

// shardLess orders "K/N" shards by N then K numerically, other text after
// them lexically.
func shardLess(a, b string) bool {
	ka, na, oka := parseShard(a)
	kb, nb, okb := parseShard(b)
	switch {
	case oka && okb:
		if na != nb {
			return na < nb
		}
		if ka != kb {
			return ka < kb
		}
		return a < b
	case oka != okb:
		return oka
	}
	return a < b
}

func parseShard(s string) (k, n int, ok bool) {
	ks, ns, found := strings.Cut(s, "/")
	if !found {
		return 0, 0, false
	}
	k, err1 := strconv.Atoi(ks)
	n, err2 := strconv.Atoi(ns)
	return k, n, err1 == nil && err2 == nil
}

// compatible checks that reports are the shards of one run: the same
// endpoint (or all against the built-in emulator) and selection (--run, --tags); either none is a shard, or each
// is a distinct shard K/N of the same N (a merged report counts as the
// shards it lists). That every shard is there is for the caller to check
// (Missing).
func compatible(reports []*Report) error {
	first := reports[0].Run
	sel := func(r Run) Selection {
		if r.Selection == nil {
			return Selection{}
		}
		return *r.Selection
	}
	seen := map[string]int{}
	n := 0
	for i, r := range reports {
		// Emulators (--local) listen on a port of their own each.
		if r.Run.Local != first.Local || (!first.Local && r.Run.Endpoint != first.Endpoint) {
			return fmt.Errorf("report %d ran against %s but report 1 against %s: merge the shards of one run", i+1, endpointWord(r.Run), endpointWord(first))
		}
		if sel(r.Run) != sel(first) {
			return fmt.Errorf("report %d selected tests with --run %q --tags %q but report 1 with --run %q --tags %q: merge the shards of one run", i+1, sel(r.Run).Run, sel(r.Run).Tags, sel(first).Run, sel(first).Tags)
		}
		shards := reportShards(r)
		if (len(shards) == 0) != (len(reportShards(reports[0])) == 0) {
			return fmt.Errorf("report %d is %s but report 1 is %s: merge the shards of one run", i+1, shardWord(shards), shardWord(reportShards(reports[0])))
		}
		for _, sh := range shards {
			_, total, ok := parseShard(sh)
			if !ok {
				return fmt.Errorf("report %d has shard %q, not K/N", i+1, sh)
			}
			if n > 0 && total != n {
				return fmt.Errorf("report %d is shard %s but an earlier report is of %d shards: merge the shards of one --shard K/%d run", i+1, sh, n, n)
			}
			n = total
			if j, dup := seen[sh]; dup {
				return fmt.Errorf("reports %d and %d are both shard %s: the shards overlap", j+1, i+1, sh)
			}
			seen[sh] = i
		}
	}
	return nil
}

// Missing lists the shards K/N of a merged report's run that it does not
// combine, empty when it has them all or is not of a sharded run.
func (rep *Report) Missing() []string {
	shards := reportShards(rep)
	if len(shards) == 0 {
		return nil
	}
	have := map[string]bool{}
	n := 0
	for _, sh := range shards {
		have[sh] = true
		if _, total, ok := parseShard(sh); ok {
			n = total
		}
	}
	var missing []string
	for k := 1; k <= n; k++ {
		if sh := fmt.Sprintf("%d/%d", k, n); !have[sh] {
			missing = append(missing, sh)
		}
	}
	return missing
}

func reportShards(r *Report) []string {
	if r.Run.Shard != "" {
		return []string{r.Run.Shard}
	}
	return r.Run.Shards
}

func shardWord(shards []string) string {
	if len(shards) == 0 {
		return "not a shard"
	}
	return "shard " + strings.Join(shards, ", ")
}

func endpointWord(r Run) string {
	if r.Local {
		return "the built-in emulator (--local)"
	}
	return fmt.Sprintf("%q", r.Endpoint)
}
