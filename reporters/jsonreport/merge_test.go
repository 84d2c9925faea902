package jsonreport

import (
	"bytes"
	"testing"
	"time"

	"github.com/specrun/specrun/reporters/internal/samples"
	"github.com/specrun/specrun/runner"
)

// shards splits fixtures into two shard results of one run.
func shards(t *testing.T) (*Report, *Report) {
	t.Helper()
	fx := samples.Fixtures()
	pass := fx["pass"].Suites[0]
	one := &runner.SuiteResult{Suite: pass.Suite, Status: runner.Pass, Start: samples.T0, Duration: samples.Ms(120), Tests: pass.Tests[1:]}
	two := &runner.SuiteResult{Suite: pass.Suite, Status: runner.Pass, Start: samples.T0, Duration: samples.Ms(2), Tests: pass.Tests[:1]}

	a := &runner.Result{Info: samples.Info(), Start: samples.T0, Duration: samples.Ms(2000), Suites: []*runner.SuiteResult{fx["multistep"].Suites[0], one}}
	a.Info.Shard = "1/2"
	b := &runner.Result{Info: samples.Info(), Start: samples.T0.Add(-500 * time.Millisecond), Duration: samples.Ms(1000), Interrupted: true,
		Suites: []*runner.SuiteResult{two, fx["setup-failure"].Suites[0]}}
	b.Info.Shard = "2/2"
	// Go through the wire, as merging shard files does.
	read := func(r *runner.Result) *Report {
		var buf bytes.Buffer
		if err := Write(&buf, r); err != nil {
			t.Fatal(err)
		}
		rep, err := Read(&buf)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	return read(a), read(b)
}

func TestMergeOfTwoShards(t *testing.T) {
	a, b := shards(t)
	m, err := Merge(b, a)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "merge.json", buf.Bytes())

	checks := []struct {
		name string
		msg  string
	}{
		{"counts are recomputed, the errored setup included", want(m.Counts, Counts{Total: 6, Passed: 2, Failed: 1, Errored: 1, Skipped: 2, Fixtures: 1})},
		{"an interrupted shard makes the merge interrupted", want(m.Status, StatusInterrupted)},
		{"suites are sorted by file", want(m.Suites[0].File+" "+m.Suites[1].File+" "+m.Suites[2].File, "specs/hello.yaml specs/orders.yaml specs/users.yaml")},
		{"tests of one file are merged in line order", want(m.Suites[0].Tests[0].Line*100+m.Suites[0].Tests[1].Line, 412)},
		{"suite durations add up", want(m.Suites[0].DurationMS, int64(122))},
		{"the run spans from the first start to the last end", want(m.Run.Start+" "+itoa(int(m.Run.DurationMS)), "2026-11-27T00:29:59.623Z 2500")},
		{"any interruption marks the merge interrupted", want(m.Run.Interrupted, true)},
		{"shards are listed and shard is cleared", want(m.Run.Shard+"|"+m.Run.Shards[0]+","+m.Run.Shards[1], "|1/2,2/2")},
	}
	for _, c := range checks {
		if c.msg != "" {
			t.Errorf("%s: %s", c.name, c.msg)
		}
	}
	// Merge must not modify its inputs.
	if a.Run.Shard != "1/2" || len(a.Suites[1].Tests) != 1 {
		t.Errorf("Merge modified its input: shard %q, %d tests", a.Run.Shard, len(a.Suites[1].Tests))
	}
}

// Merging recounts each report from its suites as runner.Counts counts
// them: a failed setup is one errored result, an interrupted one (audit E7)
// one interrupted result.
func TestMergeCountsAsTheRunner(t *testing.T) {
	for _, name := range []string{"pass", "setup-failure", "setup-interrupted", "interrupted"} {
		r := samples.Fixtures()[name]
		m, err := Merge(New(r))
		if err != nil {
			t.Fatal(err)
		}
		if want := New(r).Counts; m.Counts != want {
			t.Errorf("%s: merged counts %+v, want the runner's %+v", name, m.Counts, want)
		}
	}
}

func TestMergeRejects(t *testing.T) {
	a, b := shards(t)
	v2 := *b
	v2.SchemaVersion = 3
	bad := *b
	bad.Status = "green"
	twice := *a
	twice.Suites = append(twice.Suites[:len(twice.Suites):len(twice.Suites)], a.Suites[1])
	unsharded, whole := *a, *b
	unsharded.Run.Shard, whole.Run.Shard = "2/2", ""
	ofThree, elsewhere, tagged, local := *b, *b, *b, *b
	local.Run.Local = true
	ofThree.Run.Shard = "2/3"
	elsewhere.Run.Endpoint = "https://other.example.test"
	tagged.Run.Selection = &Selection{Tags: "smoke"}
	tests := []struct {
		name    string
		reports []*Report
		err     string
	}{
		{"no reports", nil, "jsonreport: merge: no reports given"},
		{"a nil report", []*Report{a, nil}, "jsonreport: merge: report 2 is nil"},
		{"mismatched schema versions", []*Report{a, &v2},
			"jsonreport: merge: report 2 has schema_version 3 but report 1 has 2: write all shards with the same specrun version"},
		{"an unsupported schema version", []*Report{&v2},
			"jsonreport: merge: report 1 has schema_version 3; this specrun merges 2"},
		{"an invalid status", []*Report{a, &bad},
			`jsonreport: merge: report 2: status is "green"; want pass, fail, error, interrupted or skip`},
		{"a test listed twice in one report", []*Report{&twice},
			`jsonreport: merge: test "hello/greets the world" (specs/hello.yaml:12) appears twice in report 1`},
		{"the same shard twice", []*Report{a, b, a},
			`jsonreport: merge: reports 1 and 3 are both shard 1/2: the shards overlap`},
		{"overlapping tests", []*Report{a, &unsharded},
			`jsonreport: merge: test "orders/create then fetch" (specs/orders.yaml:6) is in report 1 and report 2: merge reports of distinct shards of one run`},
		{"shards of different counts", []*Report{a, &ofThree},
			`jsonreport: merge: report 2 is shard 2/3 but an earlier report is of 2 shards: merge the shards of one --shard K/2 run`},
		{"a shard and a whole run", []*Report{a, &whole},
			`jsonreport: merge: report 2 is not a shard but report 1 is shard 1/2: merge the shards of one run`},
		{"another endpoint", []*Report{a, &elsewhere},
			`jsonreport: merge: report 2 ran against "https://other.example.test" but report 1 against "https://cloudfunctions.apigw.ntruss.com/api/v2": merge the shards of one run`},
		{"the emulator and an endpoint", []*Report{a, &local},
			`jsonreport: merge: report 2 ran against the built-in emulator (--local) but report 1 against "https://cloudfunctions.apigw.ntruss.com/api/v2": merge the shards of one run`},
		{"another selection", []*Report{a, &tagged},
			`jsonreport: merge: report 2 selected tests with --run "" --tags "smoke" but report 1 with --run "" --tags "": merge the shards of one run`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Merge(tc.reports...)
			if err == nil {
				t.Fatal("Merge succeeded")
			}
			if err.Error() != tc.err {
				t.Errorf("error\n got: %s\nwant: %s", err, tc.err)
			}
		})
	}
}

func TestMergeOfOneReportKeepsItsTests(t *testing.T) {
	a, _ := shards(t)
	m, err := Merge(a)
	if err != nil {
		t.Fatal(err)
	}
	if m.Counts != a.Counts || m.Status != a.Status || len(m.Suites) != len(a.Suites) {
		t.Errorf("merge of one report: counts %+v status %s, want %+v %s", m.Counts, m.Status, a.Counts, a.Status)
	}
}

func TestMissingShards(t *testing.T) {
	a, b := shards(t)
	m, err := Merge(a)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Missing(); len(got) != 1 || got[0] != "2/2" {
		t.Errorf("Missing() = %v, want [2/2]", got)
	}
	if m, err = Merge(a, b); err != nil || len(m.Missing()) != 0 {
		t.Errorf("Missing() = %v (%v), want none", m.Missing(), err)
	}
}

// TestOlderReportWithoutFixtures: a report written before counts had
// fixtures still reads (fixtures 0), and merging it recounts fixtures from
// its suites, as a new report counts them.
func TestOlderReportWithoutFixtures(t *testing.T) {
	r := samples.Fixtures()["setup-failure"]
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	older := bytes.Replace(buf.Bytes(), []byte(",\n    \"fixtures\": 1\n"), []byte("\n"), 1)
	if bytes.Equal(older, buf.Bytes()) || bytes.Contains(older, []byte(`"fixtures"`)) {
		t.Fatalf("the report has no fixtures count to remove:\n%s", buf.Bytes())
	}
	rep, err := Read(bytes.NewReader(older))
	if err != nil {
		t.Fatalf("an older report does not read: %v", err)
	}
	if rep.Counts.Fixtures != 0 || rep.Counts.Errored != 1 {
		t.Errorf("older report read with counts %+v", rep.Counts)
	}
	m, err := Merge(rep)
	if err != nil {
		t.Fatal(err)
	}
	if want := NewCounts(r.Counts()); m.Counts != want {
		t.Errorf("merged counts %+v, want %+v", m.Counts, want)
	}
}
