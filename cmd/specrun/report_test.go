package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// shardReports runs testdata/fail and testdata/pass as n shards and
// returns the JSON report of each, with extra flags.
func shardReports(t *testing.T, c *cli, n int, extra ...string) []string {
	t.Helper()
	var paths []string
	for k := 1; k <= n; k++ {
		p := filepath.Join(c.dir, "shard-"+string(rune('0'+k))+".json")
		args := append([]string{"--local", "testdata/manifest.yaml", "--shard", string(rune('0'+k)) + "/" + string(rune('0'+n)), "--report-json", p}, extra...)
		o := c.run(append(args, "testdata/fail", "testdata/pass")...)
		if o.code > 1 {
			t.Fatalf("shard %d: %s", k, o)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestReportMerge: the JSON reports of 4 shards merge into JUnit, TAP,
// JSON and HTML reports that count what one unsharded run counts; prove and
// junitparser read them.
func TestReportMerge(t *testing.T) {
	c := newCLI(t)
	whole := filepath.Join(c.dir, "whole.json")
	if o := c.run("--local", "testdata/manifest.yaml", "--report-json", whole, "testdata/fail", "testdata/pass"); o.code != 1 {
		t.Fatalf("%s", o)
	}
	shards := shardReports(t, c, 4)
	out := func(name string) string { return filepath.Join(c.dir, "merged", name) }
	o := c.run(append([]string{"report", "merge", "--report-junit", out("junit.xml"), "--report-tap", out("r.tap"), "--report-json", out("r.json"), "--report-html", out("r.html")}, shards...)...)
	if o.code != 1 || !strings.Contains(o.stdout, "merged 4 reports (1/4, 2/4, 3/4, 4/4): 8 results, 4 passed, 3 failed, 1 skipped") {
		t.Fatalf("merge: %s", o)
	}
	page, err := os.ReadFile(out("r.html"))
	if err != nil || !bytes.Contains(page, []byte(`<b id="count-total">8</b>`)) || !bytes.Contains(page, []byte("failing › wrong greeting")) {
		t.Errorf("merged HTML report (%v) lacks the counts or a failure", err)
	}
	if got, want := reportCounts(t, out("r.json")), reportCounts(t, whole); !equalMaps(got, want) {
		t.Errorf("merged counts %v, unsharded %v", got, want)
	}
	if prove := tool(t, "prove", "perl"); prove != "" {
		res, _ := exec.Command(prove, "--exec", "cat", out("r.tap")).CombinedOutput()
		if !bytes.Contains(res, []byte("Failed 3/8 subtests")) || bytes.Contains(res, []byte("Parse errors")) {
			t.Errorf("prove on the merged TAP:\n%s", res)
		}
	}
	// A failure of the merged JUnit is annotated on its spec line: the
	// testcase carries the spec file and the test's line.
	if b, err := os.ReadFile(out("junit.xml")); err != nil || !bytes.Contains(b, []byte(`name="wrong greeting" classname="failing" time="`)) ||
		!regexp.MustCompile(`name="wrong greeting" classname="failing" time="[0-9.]+" file="testdata/fail/failing.yaml" line="5"`).Match(b) {
		t.Errorf("merged JUnit (%v) lacks the failing testcase's file and line:\n%s", err, b)
	}
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		res, err := exec.Command("/usr/bin/python3", "../../reporters/junit/testdata/junitparser_check.py", out("junit.xml")).CombinedOutput()
		if err != nil || strings.Count(string(res), "\n") != 8 {
			t.Errorf("junitparser on the merged JUnit (%v):\n%s", err, res)
		}
	}
}

func equalMaps(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestReportMergeRefuses: overlapping, incompatible and missing shards,
// and an output that is an input, are refused with exit 2 and a message
// that says what to do; nothing is written.
func TestReportMergeRefuses(t *testing.T) {
	c := newCLI(t)
	shards := shardReports(t, c, 2)
	tagged := shardReports(t, newCLIIn(t, c), 2, "--tags", "smoke or not smoke")
	junitOut := filepath.Join(c.dir, "junit.xml")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"the same shard twice", []string{shards[0], shards[0], shards[1]}, "are both shard 1/2: the shards overlap"},
		{"a missing shard", []string{shards[0]}, "shard 2/2 missing from the reports given"},
		{"another selection", []string{shards[0], tagged[1]}, `selected tests with --run "" --tags "smoke or not smoke"`},
		{"not a report", []string{"testdata/manifest.yaml"}, "testdata/manifest.yaml: jsonreport: invalid report"},
		{"an input as output", []string{"--report-json", shards[0], shards[0], shards[1]}, "is one of the reports to merge"},
		{"no output", []string{shards[0], shards[1]}, "no output: give --report-junit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"report", "merge"}, tt.args...)
			if !strings.HasPrefix(tt.name, "an input") && tt.name != "no output" {
				args = append(args, "--report-junit", junitOut)
			}
			o := c.run(args...)
			if o.code != 2 || !strings.Contains(o.stderr, tt.want) {
				t.Errorf("want exit 2 with %q: %s", tt.want, o)
			}
			if _, err := os.Stat(junitOut); err == nil {
				t.Error("a report was written")
			}
		})
	}
}

// newCLIIn is a cli sharing c's directory.
func newCLIIn(t *testing.T, c *cli) *cli {
	d := newCLI(t)
	d.dir = filepath.Join(c.dir, "other")
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}
