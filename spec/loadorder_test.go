package spec

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestConcurrentLoadIsDeterministic: files are decoded concurrently, and
// the suites and the problems must come out in the same order whatever the
// scheduling. The first files are the largest, so that they finish last
// when several goroutines decode at once; a result placed by completion
// order instead of by index fails this.
func TestConcurrentLoadIsDeterministic(t *testing.T) {
	files := map[string]string{}
	valid := map[string]string{}
	for i := range 24 {
		var b strings.Builder
		fmt.Fprintf(&b, "suite: s%02d\ntests:\n", i)
		for j := range (24 - i) * 40 {
			fmt.Fprintf(&b, "  - name: t%d\n    action: p/a\n    params: {n: %d}\n", j, j)
		}
		name := fmt.Sprintf("f%02d.yaml", i)
		valid[name] = b.String()
		files[name] = b.String()
		if i%3 == 0 {
			// An unknown key, a missing action and a bad duration: three
			// problems in this file, in line order.
			files[name] += "  - name: bad\n    actoin: x\n  - name: worse\n    action: p/a\n    timeout: soon\n"
		}
	}
	loadEach := func(set map[string]string) string {
		dir := writeFiles(t, set)
		var outs []string
		for _, procs := range []int{1, 4, 4, 4} {
			prev := runtime.GOMAXPROCS(procs)
			p, err := Load([]string{dir}, Options{})
			runtime.GOMAXPROCS(prev)
			out := ""
			if err != nil {
				out = strings.ReplaceAll(err.Error(), dir, "DIR")
			} else {
				for _, s := range p.Suites {
					out += fmt.Sprintf("%d %s %d\n", s.Index, s.Name, len(s.Tests))
				}
			}
			outs = append(outs, out)
		}
		for i, o := range outs[1:] {
			if o != outs[0] {
				t.Fatalf("load %d differs from the load on one core:\n%s\nwant:\n%s", i+2, o, outs[0])
			}
		}
		return outs[0]
	}
	suites := loadEach(valid)
	if !strings.HasPrefix(suites, "0 s00 960\n1 s01 920\n") || !strings.HasSuffix(suites, "23 s23 40\n") {
		t.Errorf("suites not in path order:\n%s", suites)
	}
	probs := loadEach(files)
	if n := strings.Count(probs, "\n") + 1; n != 24 {
		t.Errorf("%d problems, want 24 (three in each of 8 files):\n%s", n, probs)
	}
	if !strings.HasPrefix(probs, "DIR/f00.yaml:") || !strings.Contains(probs, "DIR/f21.yaml:") {
		t.Errorf("problems not in file order:\n%s", probs)
	}
}

// TestAnAliasOfTheTestsListStillReadsIt: a decoded test's node is released
// from the list, unless the list has an anchor, so that a var aliasing the
// whole list sees every test wherever it is read (today every var is
// evaluated before the tests; this holds --secret's reading of it should
// that move after them).
func TestAnAliasOfTheTestsListStillReadsIt(t *testing.T) {
	dir := writeFiles(t, map[string]string{"s.yaml": `tests: &all
  - name: first
    action: p/a
  - name: second
    action: p/a
vars:
  everything: *all
`})
	// Every leaf of the list is a secret, the test names too: both show
	// as ***, which is a duplicate, and says that both were read.
	_, err := Load([]string{dir}, Options{Secrets: []string{"everything"}})
	if err == nil || !strings.HasSuffix(err.Error(), `s.yaml:4:5: duplicate test name "***" once secrets are replaced by ***: the test at line 2 shows the same name; test names must be unique within a suite as shown: rename one`) {
		t.Errorf("error %v: want the names of both tests read as secrets", err)
	}
	p, err := Load([]string{dir}, Options{Vars: []string{"x=1"}, Secrets: []string{"x"}})
	if err != nil || p.Tests() != 2 {
		t.Errorf("%v: want 2 tests", err)
	}
}
