package junit

// The JUnit readers CI users rely on, each reduced to the fields it reads
// (taken from their sources: GitLab's lib/gitlab/ci/parsers/test/junit.rb,
// mikepenz/action-junit-report's src/testParser.ts, dorny/test-reporter's
// java-junit and jest-junit parsers). The tests assert that every failure
// is found where those readers look for it, on the test's spec line.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/specrun/specrun/reporters/internal/scenarios"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// failedCase is a failed or errored testcase with the runner's TestResult
// it reports (nil for setup and teardown) and where it is in the spec (the
// test, or the setup or teardown step that did not pass).
type failedCase struct {
	suite rSuite
	c     rCase
	tr    *runner.TestResult
	want  spec.Pos
}

func failedCases(doc rSuites, r *runner.Result) []failedCase {
	var out []failedCase
	for i, s := range doc.Suites {
		sr := r.Suites[i]
		for _, c := range s.Cases {
			if c.Failure == nil && c.Error == nil {
				continue
			}
			f := failedCase{suite: s, c: c}
			for _, t := range sr.Tests {
				if clean(t.Test.Name) == c.Name {
					f.tr, f.want = t, t.Test.Pos
				}
			}
			phase := map[string]runner.Verdict{setupName: sr.SetupVerdict, teardownName: sr.TeardownVerdict}
			if v, ok := phase[c.Name]; ok {
				f.want = v.Step.Step.Pos
			}
			out = append(out, f)
		}
	}
	return out
}

// failureText is the text of a testcase's <failure>, else its <error>.
func failureText(c rCase) string {
	if c.Failure != nil {
		return c.Failure.Body
	}
	return c.Error.Body
}

// failing reports whether a scenario has a failed or errored testcase.
func failing(r *runner.Result) bool { return r.Status().Failed() }

// TestGitLabReadsFileAndOutput: GitLab's parser takes a testcase's file
// attribute (a path relative to the repository, shown and linked in the
// merge request) and shows the failure's text followed by the testcase's
// own system-out.
func TestGitLabReadsFileAndOutput(t *testing.T) {
	for _, sc := range scenarios.All {
		if !failing(sc.R()) {
			continue
		}
		t.Run(sc.Name, func(t *testing.T) {
			r := sc.R()
			for _, f := range failedCases(parse(t, render(t, r)), r) {
				if f.c.File == "" || filepath.IsAbs(f.c.File) || f.c.File != filepath.ToSlash(f.c.File) {
					t.Errorf("%s: file %q, want a relative slash path", f.c.Name, f.c.File)
				}
				if f.c.File != f.want.File || f.c.Line != strconv.Itoa(f.want.Line) {
					t.Errorf("%s: file %q line %q, want %s", f.c.Name, f.c.File, f.c.Line, f.want.FileLine())
				}
				if f.tr == nil {
					continue
				}
				shown := failureText(f.c) + "\n\n" + f.c.Out
				for _, st := range f.tr.Steps {
					for _, a := range st.Attempts {
						for _, x := range a.Exchanges {
							if x != nil && !strings.Contains(shown, cleanBody(x.Request)) {
								t.Errorf("%s: GitLab would not show the request %q", f.c.Name, x.Request)
							}
						}
					}
				}
			}
		})
	}
}

// mikepenzPosition is how action-junit-report finds an annotation's file
// and line: the testcase's file and line (else the failure's, else the
// testsuite's); when the line is still unknown, the last " PATH...:LINE"
// in the failure text that contains the file name.
func mikepenzPosition(s rSuite, c rCase, suiteFile string) (string, int) {
	file := c.File
	if file == "" {
		file = suiteFile
	}
	if file == "" {
		parts := strings.Split(c.Classname, ".")
		file = parts[len(parts)-1]
	}
	if n, err := strconv.Atoi(c.Line); err == nil && n > 0 {
		return file, n
	}
	re := regexp.MustCompile(` [^ ]*` + regexp.QuoteMeta(file) + `.*?:\d+`)
	m := re.FindAllString(failureText(c), -1)
	if len(m) == 0 {
		return file, 1
	}
	last := m[len(m)-1]
	n, _ := strconv.Atoi(last[strings.LastIndex(last, ":")+1:])
	return file, n
}

// dornyPosition is how dorny/test-reporter (jest-junit) finds a failure's
// source: the first line of the failure text that ends in
// "(PATH:LINE:COL)" with PATH a file the repository tracks.
func dornyPosition(c rCase, tracked map[string]bool) (string, int, bool) {
	re := regexp.MustCompile(`\((.*):(\d+):\d+\)$`)
	for _, line := range regexp.MustCompile(`\r?\n`).Split(failureText(c), -1) {
		m := re.FindStringSubmatch(line)
		if m != nil && tracked[m[1]] {
			n, _ := strconv.Atoi(m[2])
			return m[1], n, true
		}
	}
	return "", 0, false
}

// TestAnnotationsLandOnTheSpecLine: mikepenz's action (from the testcase's
// attributes in the CI flavor, from the testsuite's file and the failure
// text when the attributes are absent) and dorny's reporter (from the
// failure text, in both flavors) put each failed test's annotation on the
// test's own line of its spec file.
func TestAnnotationsLandOnTheSpecLine(t *testing.T) {
	for _, sc := range scenarios.All {
		if !failing(sc.R()) {
			continue
		}
		for _, flavor := range []Flavor{CI, Ant} {
			t.Run(string(flavor)+"/"+sc.Name, func(t *testing.T) {
				r := sc.R()
				tracked := map[string]bool{}
				for _, s := range r.Suites {
					tracked[s.Suite.File] = true
				}
				checked := 0
				for _, f := range failedCases(parse(t, renderWith(t, r, Options{Flavor: flavor})), r) {
					want := f.want
					if file, line, ok := dornyPosition(f.c, tracked); !ok || file != want.File || line != want.Line {
						t.Errorf("%s: dorny finds %s:%d (%v), want %s", f.c.Name, file, line, ok, want.FileLine())
					}
					if flavor == CI {
						stripped := f.c
						stripped.File, stripped.Line = "", ""
						for _, c := range []rCase{f.c, stripped} {
							if file, line := mikepenzPosition(f.suite, c, want.File); file != want.File || line != want.Line {
								t.Errorf("%s: mikepenz annotates %s:%d, want %s", f.c.Name, file, line, want.FileLine())
							}
						}
					}
					checked++
				}
				if checked == 0 {
					t.Fatal("no failed test checked")
				}
			})
		}
	}
}

// TestPathsRelativeToDir: absolute spec paths under Options.Dir are
// written relative to it, others as given, with forward slashes.
func TestPathsRelativeToDir(t *testing.T) {
	dir := filepath.FromSlash("/work/project")
	tests := []struct{ in, want string }{
		{filepath.Join(dir, "specs", "a.yaml"), "specs/a.yaml"},
		{"./specs/a.yaml", "specs/a.yaml"},
		{"specs/a.yaml", "specs/a.yaml"},
		{filepath.FromSlash("/elsewhere/a.yaml"), "/elsewhere/a.yaml"},
		{filepath.Join(dir, "..", "project2", "a.yaml"), "/work/project2/a.yaml"},
		{"../up.yaml", "../up.yaml"},
	}
	for _, tt := range tests {
		if got := (builder{Options{Dir: dir}}).rel(tt.in); got != tt.want {
			t.Errorf("rel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	r := scenarios.Fail()
	for _, s := range r.Suites {
		s.Suite.File = filepath.Join(dir, s.Suite.File)
		for _, tr := range s.Tests {
			tr.Test.Pos.File = filepath.Join(dir, tr.Test.Pos.File)
		}
	}
	doc := parse(t, renderWith(t, r, Options{Dir: dir}))
	if c := doc.Suites[0].Cases[0]; c.File != "specs/users.yaml" || !strings.Contains(c.Failure.Body, "at test (specs/users.yaml:") {
		t.Errorf("file %q, body:\n%s", c.File, c.Failure.Body)
	}
}

func TestParseFlavor(t *testing.T) {
	for _, s := range []string{"ci", "ant"} {
		if f, err := ParseFlavor(s); err != nil || string(f) != s {
			t.Errorf("ParseFlavor(%q) = %q, %v", s, f, err)
		}
	}
	if _, err := ParseFlavor("jenkins"); err == nil || !strings.Contains(err.Error(), "give ci") {
		t.Errorf("ParseFlavor(jenkins) error = %v", err)
	}
}

// TestJunitparser reads every golden file of both flavors with Python's
// junitparser (Debian's python3-junitparser): its counts must agree with
// the testcases, and every testcase must read back with the result,
// message, file and line the XML holds.
func TestJunitparser(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		ciRequired(t, "/usr/bin/python3 not found: install Debian's python3-junitparser")
	}
	if err := exec.Command(py, "-c", "import junitparser").Run(); err != nil {
		ciRequired(t, "junitparser not importable: install Debian's python3-junitparser")
	}
	for flavor, dir := range goldenDirs {
		for _, sc := range scenarios.All {
			t.Run(string(flavor)+"/"+sc.Name, func(t *testing.T) {
				f := filepath.Join(dir, sc.Name+".xml")
				out, err := exec.Command(py, filepath.Join("testdata", "junitparser_check.py"), f).Output()
				if err != nil {
					t.Fatalf("junitparser on %s: %v\n%s", f, err, out)
				}
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, s := range parse(t, b).Suites {
					for _, c := range s.Cases {
						kind, msg := "pass", ""
						switch {
						case c.Failure != nil:
							kind, msg = "failure", c.Failure.Message
						case c.Error != nil:
							kind, msg = "error", c.Error.Message
						case c.Skipped != nil:
							kind, msg = "skipped", c.Skipped.Message
						}
						hasOut := ""
						if c.Out != "" {
							hasOut = "out"
						}
						want = append(want, strings.Join([]string{s.Name, c.Name, c.Classname, kind, strings.ReplaceAll(msg, "\n", `\n`), c.File, c.Line, hasOut}, "\t"))
					}
				}
				if got := strings.TrimSuffix(string(out), "\n"); got != strings.Join(want, "\n") {
					t.Errorf("junitparser reads:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
				}
			})
		}
	}
}
