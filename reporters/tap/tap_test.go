package tap

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/specrun/specrun/internal/golden"
	"github.com/specrun/specrun/reporters/internal/samples"
	"github.com/specrun/specrun/reporters/internal/scenarios"
	"github.com/specrun/specrun/runner"
	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func render(t testing.TB, r *runner.Result, version int) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, r, Options{Version: version}); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.String()
}

func goldenPath(name string, version int) string {
	return filepath.Join("testdata", fmt.Sprintf("%s.v%d.tap", name, version))
}

func TestGolden(t *testing.T) {
	for _, version := range []int{13, 14} {
		for _, sc := range scenarios.All {
			t.Run(fmt.Sprintf("%s/v%d", sc.Name, version), func(t *testing.T) {
				got := render(t, sc.R(), version)
				golden.Check(t, goldenPath(sc.Name, version), []byte(got), *update)
				if again := render(t, sc.R(), version); again != got {
					t.Error("two writes of the same Result differ")
				}
				if err := validate(got, version); err != nil {
					t.Errorf("invalid TAP: %v\n%s", err, got)
				}
			})
		}
	}
}

func TestNoTests(t *testing.T) {
	got := render(t, &runner.Result{}, 13)
	if want := "TAP version 13\n1..0 # SKIP no tests selected\n"; got != want {
		t.Errorf("empty run wrote %q, want %q", got, want)
	}
	if err := validate(got, 13); err != nil {
		t.Error(err)
	}
	// "1..0 # REASON" without SKIP is no plan to prove ("No plan found").
	if prove, err := exec.LookPath("prove"); err == nil {
		f := filepath.Join(t.TempDir(), "empty.tap")
		if err := os.WriteFile(f, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(prove, "--norc", "--exec", "cat", f).CombinedOutput(); err != nil || strings.Contains(string(out), "Parse errors") {
			t.Errorf("prove on an empty run (%v):\n%s", err, out)
		}
	}
}

func TestDefaultVersionIs13(t *testing.T) {
	if got, want := render(t, scenarios.Pass(), 0), render(t, scenarios.Pass(), 13); got != want || !strings.HasPrefix(got, "TAP version 13\n1..2\n") {
		t.Errorf("Options{} wrote:\n%s\nwant:\n%s", got, want)
	}
}

func TestVersion14Subtests(t *testing.T) {
	got := render(t, scenarios.MultiStep(), 14)
	want := "# Subtest: orders / order lifecycle\n" +
		"    1..3\n" +
		"    ok 1 - create order\n" +
		"    not ok 2 - fetch order\n" +
		"      ---\n"
	if !strings.Contains(got, want) || !strings.Contains(got, "    ok 3 - delete order # SKIP not run: an earlier step did not pass\nnot ok 1 - orders / order lifecycle\n  ---\n") {
		t.Errorf("subtest layout wrong:\n%s", got)
	}
	if v13 := render(t, scenarios.MultiStep(), 13); strings.Contains(v13, "Subtest") {
		t.Errorf("version 13 has subtests:\n%s", v13)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	var b bytes.Buffer
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil result", Write(&b, nil, Options{}), "tap: no result to write (nil *runner.Result)"},
		{"unknown version", Write(&b, scenarios.Pass(), Options{Version: 12}), "tap: unsupported TAP version 12; use 13 or 14"},
		{"writer error is returned", Write(failWriter{}, scenarios.Pass(), Options{}), "tap: disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || tt.err.Error() != tt.want {
				t.Errorf("error = %v, want %q", tt.err, tt.want)
			}
		})
	}
	if b.Len() != 0 {
		t.Errorf("refused writes still wrote %q", b.String())
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "users / get user", "users / get user"},
		{"hash and backslash", `a # b \# c \`, `a \# b \\\# c \\`},
		{"line breaks", "a\nb\r\nc", `a\nb\r\nc`},
		{"controls and separators", "\x00\x1b\x7f\u0085\u2028\ufeff", `\x00\x1b\x7f\x85\u2028\ufeff`},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escape(tt.in); got != tt.want {
				t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestYAMLScalar(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"word stays plain", "fail", "fail"},
		{"file and line stay plain", "specs/a.yaml:12", "specs/a.yaml:12"},
		{"sentence stays plain", "values differ", "values differ"},
		{"empty is quoted", "", `""`},
		{"boolean words are quoted", "yes", `"yes"`},
		{"null is quoted", "null", `"null"`},
		{"numbers are quoted", "42", `"42"`},
		{"JSON is quoted", `{"a":1}`, `"{\"a\":1}"`},
		{"colon space is quoted", "key: value", `"key: value"`},
		{"comment is quoted", "a #b", `"a #b"`},
		{"trailing space is quoted", "a ", `"a "`},
		{"document markers are quoted", "---", `"---"`},
		{"controls are escaped", "a\x00\t\n\x7f", `"a\x00\t\n\x7f"`},
		{"invalid UTF-8 becomes U+FFFD", "\xff", "\"\uFFFD\""},
		{"line separator is escaped", "a\u2028b", `"a\u2028b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := yamlScalar(tt.in)
			if got != tt.want {
				t.Errorf("yamlScalar(%q) = %s, want %s", tt.in, got, tt.want)
			}
			var back map[string]string
			if err := yaml.Unmarshal([]byte("k: "+got+"\n"), &back); err != nil {
				t.Fatalf("yaml: %v", err)
			}
			if want := perByte(tt.in); back["k"] != want {
				t.Errorf("reads back as %q, want %q", back["k"], want)
			}
		})
	}
}

var (
	planRE  = regexp.MustCompile(`^1\.\.(\d+)(?: # SKIP no tests selected)?$`)
	pointRE = regexp.MustCompile(`^(not )?ok (\d+) - ((?:[^\\#]|\\.)*?)( # SKIP(?: (?:[^\\#]|\\.)+)?)?$`)
)

// validate checks every line of a TAP document: version, plan, numbered
// points whose descriptions hold no unescaped "#", YAML blocks that
// yaml.v3 parses, comments, TAP 14 subtests, and a final bail-out.
func validate(out string, version int) error {
	if !strings.HasSuffix(out, "\n") {
		return errors.New("output does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != fmt.Sprintf("TAP version %d", version) {
		return fmt.Errorf("line 1: %q is not the version line", lines[0])
	}
	bail := false
	if last := lines[len(lines)-1]; strings.HasPrefix(last, "Bail out!") {
		bail = true
		lines = lines[:len(lines)-1]
	}
	_, err := validateDoc(lines[1:], 2, "", version, bail)
	return err
}

// validateDoc checks a document at indent (plan first); it returns the
// number of points.
func validateDoc(lines []string, lineNo int, indent string, version int, bail bool) (int, error) {
	if len(lines) == 0 {
		return 0, fmt.Errorf("line %d: no plan", lineNo)
	}
	m := planRE.FindStringSubmatch(strings.TrimPrefix(lines[0], indent))
	if m == nil || !strings.HasPrefix(lines[0], indent) {
		return 0, fmt.Errorf("line %d: %q is not a plan", lineNo, lines[0])
	}
	planned, _ := strconv.Atoi(m[1])
	n := 0
	subtest := ""
	for i := 1; i < len(lines); i++ {
		l, no := lines[i], lineNo+i
		if !strings.HasPrefix(l, indent) {
			return 0, fmt.Errorf("line %d: %q is not indented %d", no, l, len(indent))
		}
		l = l[len(indent):]
		switch {
		case strings.HasPrefix(l, "# Subtest: ") && version == 14:
			subtest = strings.TrimPrefix(l, "# Subtest: ")
			j := i + 1
			for j < len(lines) && strings.HasPrefix(lines[j], indent+"    ") {
				j++
			}
			if _, err := validateDoc(lines[i+1:j], no+1, indent+"    ", version, false); err != nil {
				return 0, err
			}
			i = j - 1
		case strings.HasPrefix(l, "#"):
		case pointRE.MatchString(l):
			pm := pointRE.FindStringSubmatch(l)
			n++
			if num, _ := strconv.Atoi(pm[2]); num != n {
				return 0, fmt.Errorf("line %d: point %d, want %d", no, num, n)
			}
			if subtest != "" && pm[3] != subtest {
				return 0, fmt.Errorf("line %d: subtest %q ends with point %q", no, subtest, pm[3])
			}
			subtest = ""
			if i+1 < len(lines) && lines[i+1] == indent+"  ---" {
				j := i + 2
				var doc strings.Builder
				for ; j < len(lines) && lines[j] != indent+"  ..."; j++ {
					if !strings.HasPrefix(lines[j], indent+"  ") {
						return 0, fmt.Errorf("line %d: YAML line %q not indented", lineNo+j, lines[j])
					}
					doc.WriteString(lines[j][len(indent)+2:] + "\n")
				}
				if j == len(lines) {
					return 0, fmt.Errorf("line %d: YAML block not closed", no+1)
				}
				var v map[string]any
				if err := yaml.Unmarshal([]byte(doc.String()), &v); err != nil {
					return 0, fmt.Errorf("line %d: YAML block does not parse: %v\n%s", no+2, err, doc.String())
				}
				if v["message"] == nil || (v["severity"] != "fail" && v["severity"] != "error" && v["severity"] != "interrupted") {
					return 0, fmt.Errorf("line %d: YAML block lacks message or severity: %v", no+2, v)
				}
				i = j
			}
		default:
			return 0, fmt.Errorf("line %d: %q is not TAP", no, l)
		}
	}
	if n > planned || (n < planned && !bail) {
		return 0, fmt.Errorf("%d points, plan %d", n, planned)
	}
	return n, nil
}

// ours is what the Result says prove should conclude.
type verdict struct {
	pass      bool
	tests     int // points run
	failed    int // planned points that did not pass: failures and the unfinished
	planned   int
	bailedOut bool
}

func expected(r *runner.Result) verdict {
	v := verdict{planned: r.Counts().Total, bailedOut: r.Interrupted}
	for _, sr := range r.Suites {
		for _, steps := range [][]*runner.StepResult{sr.Setup, sr.Teardown} {
			if st, _ := runner.Phase(steps); st.Failed() {
				v.tests++
				v.failed++
			}
		}
		for _, tr := range sr.Tests {
			switch {
			case tr.Status.Failed():
				v.tests++
				v.failed++
			default:
				v.tests++
			}
		}
	}
	v.pass = v.failed == 0 && !r.Interrupted
	return v
}

var (
	proveResult = regexp.MustCompile(`(?m)^Result: (PASS|FAIL)$`)
	proveTests  = regexp.MustCompile(`(?m)^Files=1, Tests=(\d+),`)
	proveFailed = regexp.MustCompile(`(?m)^Failed (\d+)/(\d+) subtests`)
)

// proveBin is Perl's prove; the test fails without it under CI=true and
// is skipped elsewhere.
func proveBin(t *testing.T) string {
	t.Helper()
	prove, err := exec.LookPath("prove")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("prove not found (required when CI=true): install Debian's perl package")
		}
		t.Skip("prove not found: install Debian's perl package to check the TAP output with it")
	}
	return prove
}

// TestProve feeds every golden file to Perl's prove and checks that its
// verdict and counts agree with the Result's. prove (TAP::Harness 3.x)
// refuses "TAP version 14" as a parse error, so version 14 files are given
// to it as version 13, which TAP 14 promises to stay readable as: the
// indented subtests are then ignored and the parent points count.
func TestProve(t *testing.T) {
	prove := proveBin(t)
	tmp := t.TempDir()
	for _, version := range []int{13, 14} {
		for _, sc := range scenarios.All {
			t.Run(fmt.Sprintf("%s/v%d", sc.Name, version), func(t *testing.T) {
				t.Parallel()
				doc, err := os.ReadFile(goldenPath(sc.Name, version))
				if err != nil {
					t.Fatal(err)
				}
				file := filepath.Join(tmp, fmt.Sprintf("%s.v%d.tap", sc.Name, version))
				doc = bytes.Replace(doc, []byte("TAP version 14\n"), []byte("TAP version 13\n"), 1)
				if err := os.WriteFile(file, doc, 0o644); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(prove, "--norc", "--exec", "cat", file)
				cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C"}
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				runErr := cmd.Run()
				out := stdout.String()
				want := expected(sc.R())

				res := proveResult.FindStringSubmatch(out)
				tests := proveTests.FindStringSubmatch(out)
				if res == nil || tests == nil {
					t.Fatalf("prove said (%v):\n%s\n%s", runErr, out, stderr.String())
				}
				wantRes := "PASS"
				if want.failed > 0 {
					// A bail-out alone leaves prove's Result line at PASS
					// (every planned point ran); its exit status and its
					// FAILED line say the run stopped, checked below.
					wantRes = "FAIL"
				}
				if res[1] != wantRes {
					t.Errorf("prove says Result: %s, want %s:\n%s", res[1], wantRes, out)
				}
				if n, _ := strconv.Atoi(tests[1]); n != want.tests {
					t.Errorf("prove ran %d tests, want %d:\n%s", n, want.tests, out)
				}
				if f := proveFailed.FindStringSubmatch(out); want.failed > 0 {
					if f == nil || f[1] != strconv.Itoa(want.failed) || f[2] != strconv.Itoa(want.planned) {
						t.Errorf("prove's failed count %v, want %d/%d:\n%s", f, want.failed, want.planned, out)
					}
				} else if f != nil {
					t.Errorf("prove reports failures: %s", f[0])
				}
				bailed := strings.Contains(out, "Bailout called.  Further testing stopped:  interrupted")
				if bailed != want.bailedOut {
					t.Errorf("prove bailed out: %v, want %v:\n%s", bailed, want.bailedOut, out)
				}
				// Never a parse error, interrupted or not (issue 12).
				if pe := regexp.MustCompile(`Parse errors: (.*)`).FindString(out); pe != "" {
					t.Errorf("prove found a parse error: %s", pe)
				}
				if want.bailedOut && !strings.Contains(stderr.String()+out, "FAILED--Further testing stopped: interrupted") {
					t.Errorf("prove does not say the run stopped:\n%s\n%s", out, stderr.String())
				}
				if (runErr == nil) != want.pass {
					t.Errorf("prove exit: %v, want success %v", runErr, want.pass)
				}
			})
		}
	}
}

func FuzzTAP(f *testing.F) {
	f.Add("users", "get user", "reason", `"bob"`, "values differ")
	f.Add(scenarios.Hostile, "a\nb # c \\", "x\r\ny", "key: value # c\n- item", "---\n...")
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, suite, test, reason, actual, diff string) {
		for _, version := range []int{13, 14} {
			r := scenarios.MultiStep()
			sr := r.Suites[0]
			sr.Suite.Name = suite
			sr.Tests[0].Test.Name = test
			sr.Tests[0].Steps[1].Step.Name = test
			sr.Tests[0].Steps[2].Reason = reason
			fl := sr.Tests[0].Steps[1].Attempts[0].Failures[0]
			fl.Actual, fl.Diff, fl.Message = actual, diff, reason
			skipped := &runner.TestResult{Test: sr.Tests[1].Test, Status: runner.Skip, Reason: reason}
			sr.Tests = append(sr.Tests, skipped)
			var b bytes.Buffer
			if err := Write(&b, r, Options{Version: version}); err != nil {
				t.Fatal(err)
			}
			if err := validate(b.String(), version); err != nil {
				t.Fatalf("v%d: %v\n%s", version, err, b.String())
			}
			// The YAML must give back what the Result held.
			i := strings.Index(b.String(), "\n  ---\n")
			j := strings.Index(b.String(), "\n  ...\n")
			var diag map[string]any
			block := strings.ReplaceAll(b.String()[i+len("\n  ---\n"):j+1], "\n  ", "\n")
			if err := yaml.Unmarshal([]byte(strings.TrimPrefix(block, "  ")), &diag); err != nil {
				t.Fatal(err)
			}
			if want := perByte(actual); actual != "" && diag["actual"] != want {
				t.Fatalf("actual read back as %q, want %q", diag["actual"], want)
			}
		}
	})
}

// perByte replaces each invalid UTF-8 byte of s with U+FFFD, as the writer
// does (strings.ToValidUTF8 replaces whole runs).
func perByte(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		i += n
	}
	return b.String()
}

// TestProveRefuses14 pins what the help and docs say: Perl's prove
// (TAP::Harness 3.x) refuses a TAP 14 stream, so 13 stays the default.
func TestProveRefuses14(t *testing.T) {
	prove := proveBin(t)
	out, err := exec.Command(prove, "--norc", "--exec", "cat", goldenPath("pass", 14)).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "TAP specified version 14 but we don't know about versions later than 13") {
		t.Errorf("prove on TAP 14 (%v):\n%s\nif prove now reads 14, update --tap-version's help and docs/cli.md", err, out)
	}
}

// Audit E7: a setup an interrupt stopped after its request was sent is one
// result, as runner.Counts counts it: a `not ok` point whose severity is
// interrupted, never error (a failed setup's).
func TestInterruptedSetupIsAnInterruptedPoint(t *testing.T) {
	r := samples.Fixtures()["setup-interrupted"]
	for _, version := range []int{13, 14} {
		got := render(t, r, version)
		if err := validate(got, version); err != nil {
			t.Errorf("v%d: invalid TAP: %v\n%s", version, err, got)
		}
		if !strings.Contains(got, "\n1..3\n") || !strings.Contains(got, "\nnot ok 1 - users / (setup)\n") ||
			strings.Count(got, "severity: interrupted") != 1 || strings.Contains(got, "severity: error") {
			t.Errorf("v%d: want 3 points, the setup's not ok with severity interrupted:\n%s", version, got)
		}
	}
}
