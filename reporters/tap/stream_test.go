package tap

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specrun/specrun/reporters/internal/scenarios"
	"github.com/specrun/specrun/runner"
)

// hasFixtures reports whether a suite of r has setup or teardown steps.
func hasFixtures(r *runner.Result) bool {
	for _, s := range r.Suites {
		if len(s.Setup)+len(s.Teardown) > 0 {
			return true
		}
	}
	return false
}

// TestStreamWritesEachPointWhenItsTestFinishes replays every scenario's
// events: each TestFinished must have put its point on the writer by the
// time the event returns, the plan is first exactly when PlanFirst, and
// the whole stream has the points, plan and bail-out of Write (in
// completion order).
func TestStreamWritesEachPointWhenItsTestFinishes(t *testing.T) {
	for _, sc := range scenarios.All {
		for _, version := range []int{13, 14} {
			t.Run(fmt.Sprintf("%s/v%d", sc.Name, version), func(t *testing.T) {
				r := sc.R()
				planFirst := !hasFixtures(r)
				var buf bytes.Buffer
				s, err := NewStream(&buf, StreamOptions{Version: version, PlanFirst: planFirst})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range scenarios.Events(r) {
					s.Event(e)
					if e.Kind == runner.TestFinished {
						desc := escape(suiteName(e.Suite) + " / " + e.Test.Test.Name)
						if !strings.Contains(buf.String(), " - "+desc) {
							t.Fatalf("after %q finished the stream lacks its point:\n%s", desc, buf.String())
						}
					}
				}
				if err := s.Err(); err != nil {
					t.Fatal(err)
				}
				got := buf.String()
				var want bytes.Buffer
				if err := Write(&want, r, Options{Version: version}); err != nil {
					t.Fatal(err)
				}
				lines := strings.Split(got, "\n")
				if isPlan := strings.HasPrefix(lines[1], "1.."); isPlan != planFirst {
					t.Errorf("plan first: %v, want %v:\n%s", isPlan, planFirst, got)
				}
				// The scenarios' events come in input order, so the stream
				// is Write's output with the plan moved.
				if normalize(got) != normalize(want.String()) {
					t.Errorf("stream:\n%s\nwant (plan aside) Write's:\n%s", got, want.String())
				}
			})
		}
	}
}

// normalize drops the plan line so that streams with the plan first and
// last compare.
func normalize(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "1..") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestStreamInterrupted: tests that got no TestFinished before the run
// ended are written as SKIP points at the end, and Abort completes a
// stream at any point; prove parses every such stream without a parse
// error and reports the run as stopped.
func TestStreamInterrupted(t *testing.T) {
	prove := proveBin(t)
	tmp := t.TempDir()
	for _, sc := range scenarios.All {
		if sc.Name != "interrupted" && sc.Name != "setup" && sc.Name != "multistep" && sc.Name != "retries" {
			continue // prove takes a tenth of a second a run
		}
		r := sc.R()
		evs := scenarios.Events(r)
		for _, planFirst := range []bool{true, false} {
			if planFirst && hasFixtures(r) {
				continue
			}
			// Cut after the first event, in the middle and before the
			// last: the run finished early (only RunFinished follows) or
			// was aborted there.
			for _, cut := range []int{1, len(evs) / 2, len(evs) - 1} {
				for _, abort := range []bool{false, true} {
					var buf bytes.Buffer
					s, _ := NewStream(&buf, StreamOptions{PlanFirst: planFirst})
					for _, e := range evs[:cut] {
						s.Event(e)
					}
					if abort {
						s.Abort()
					} else {
						r.Interrupted = true
						s.Event(evs[len(evs)-1])
						r.Interrupted = sc.R().Interrupted
					}
					name := fmt.Sprintf("%s-%v-%d-%v", sc.Name, planFirst, cut, abort)
					file := filepath.Join(tmp, name+".tap")
					if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					out, err := exec.Command(prove, "--norc", "--exec", "cat", file).CombinedOutput()
					if err == nil || strings.Contains(string(out), "Parse errors") || !strings.Contains(string(out), "FAILED--Further testing stopped: interrupted") {
						t.Errorf("%s: prove (%v):\n%s\nof:\n%s", name, err, out, buf.String())
					}
				}
			}
		}
	}
}
