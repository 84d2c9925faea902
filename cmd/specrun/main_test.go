package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/specrun/specrun/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// cli runs specrun in process with a fixed clock, predictable activation
// ids and an environment of its own.
type cli struct {
	t   *testing.T
	env map[string]string
	dir string
	// ctx is the context of the runs; nil means context.Background.
	// Cancelling it interrupts a run as SIGINT does.
	ctx context.Context
}

func newCLI(t *testing.T) *cli {
	return &cli{t: t, env: map[string]string{}, dir: t.TempDir()}
}

type outcome struct {
	code           int
	stdout, stderr string
}

func (c *cli) run(args ...string) outcome {
	c.t.Helper()
	var stdout bytes.Buffer
	return c.runTo(&stdout, &stdout, args...)
}

// runTo runs the command with its standard output going to w; out, when
// w writes into it, gives the outcome's stdout.
func (c *cli) runTo(w io.Writer, out *bytes.Buffer, args ...string) outcome {
	c.t.Helper()
	var stderr bytes.Buffer
	var ids atomic.Int64
	sys := &system{
		stdout:  w,
		stderr:  &stderr,
		home:    c.dir,
		version: "v0.0.0-test",
		lookupEnv: func(k string) (string, bool) {
			v, ok := c.env[k]
			return v, ok
		},
		now: func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) },
		newID: func() string {
			return fmt.Sprintf("%032x", ids.Add(1))
		},
	}
	ctx := c.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	err := sys.main(ctx, args)
	code := exitCode(err, &stderr)
	return outcome{code: code, stdout: out.String(), stderr: stderr.String()}
}

func (o outcome) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", o.code, o.stdout, o.stderr)
}

// checkGolden compares got with testdata/golden/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name), []byte(got), *update)
}

func TestVersion(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{{"version"}, {"--version"}} {
		if o := c.run(args...); o.code != 0 || o.stdout != "specrun v0.0.0-test\n" {
			t.Errorf("%v: %s", args, o)
		}
	}
}

// helpCommands are the commands whose help has a golden file.
var helpCommands = []string{"", "run", "validate", "serve", "monitor", "init", "completion", "schema", "report", "report merge", "version"}

// Every command's help is asked for in every way a user may, exits 0, and
// reads as its golden file says.
func TestHelpOfEveryCommand(t *testing.T) {
	c := newCLI(t)
	for _, cmd := range helpCommands {
		name := cmp.Or(cmd, "specrun")
		t.Run(name, func(t *testing.T) {
			var asked [][]string
			for _, h := range []string{"--help", "-h"} {
				asked = append(asked, append(strings.Fields(cmd), h))
			}
			asked = append(asked, append([]string{"help"}, strings.Fields(cmd)...))
			want := c.run(asked[0]...)
			if want.code != 0 || want.stderr != "" {
				t.Fatalf("%v: %s", asked[0], want)
			}
			checkGolden(t, "help-"+strings.ReplaceAll(name, " ", "-")+".txt", want.stdout)
			for _, args := range asked[1:] {
				if o := c.run(args...); o != want {
					t.Errorf("%v differs from %v:\n%s", args, asked[0], o)
				}
			}
		})
	}
	// The flags of the default command are help for run.
	if o := c.run("--local", "m.yaml", "--help"); o.code != 0 || !strings.HasPrefix(o.stdout, "Usage: specrun [run] [flags] PATH...") {
		t.Errorf("--local m.yaml --help: %s", o)
	}
}

func TestUsageErrorsExit2WithHelp(t *testing.T) {
	c := newCLI(t)
	tests := []struct {
		args []string
		want string
		help string // the command the error points to
	}{
		{nil, "no PATH given", "specrun --help"},
		{[]string{"frobnicate"}, `unknown command "frobnicate": the commands are run, validate, serve, monitor, init, completion, schema, report or version`, "specrun --help"},
		{[]string{"serv", "x.yaml"}, `unknown command "serv"; did you mean serve?`, "specrun --help"},
		{[]string{"help", "frobnicate"}, `unknown command "frobnicate": the commands are`, "specrun --help"},
		{[]string{"run", "--bogus", "x"}, "unknown flag --bogus\n", "specrun run --help"},
		{[]string{"--paralel", "4", "testdata/pass"}, "unknown flag --paralel; did you mean --parallel?", "specrun run --help"},
		{[]string{"-parallel", "4", "testdata/pass"}, "unknown flag -parallel; did you mean --parallel? (long flags take two dashes)", "specrun run --help"},
		{[]string{"-vx", "testdata/pass"}, "unknown flag -x\n", "specrun run --help"},
		{[]string{"-x", "testdata/pass"}, "unknown flag -x\n", "specrun run --help"},
		{[]string{"testdata/pass", "--parallel"}, "--parallel needs a value", "specrun run --help"},
		{[]string{"--parallel", "0", "testdata/pass"}, `invalid value "0" for --parallel: want a whole number ≥ 1`, "specrun run --help"},
		{[]string{"--parallel", "abc", "testdata/pass"}, `invalid value "abc" for --parallel: want a whole number ≥ 1`, "specrun run --help"},
		{[]string{"--max-retries", "-1", "testdata/pass"}, `invalid value "-1" for --max-retries: want a whole number ≥ 0`, "specrun run --help"},
		{[]string{"--rate", "fast", "testdata/pass"}, `invalid value "fast" for --rate: want a number of requests a second, 0 (no limit) or more`, "specrun run --help"},
		{[]string{"--format", "xml", "testdata/pass"}, `invalid value "xml" for --format: want console, tap, json or jsonl`, "specrun run --help"},
		{[]string{"--tap-version", "12", "testdata/pass"}, `invalid value "12" for --tap-version: want 13 or 14`, "specrun run --help"},
		{[]string{"--platform", "mainframe", "testdata/pass"}, `invalid value "mainframe" for --platform: want classic or vpc`, "specrun run --help"},
		{[]string{"--shard", "5/4", "testdata/pass"}, `--shard "5/4"`, "specrun run --help"},
		{[]string{"--tags", "smoke and", "testdata/pass"}, "expected a tag name", "specrun run --help"},
		{[]string{"--run", "(", "testdata/pass"}, `--run "("`, "specrun run --help"},
		{[]string{"--var", "novalue", "testdata/pass"}, `--var: an argument has no "=": write --var NAME=VALUE`, "specrun run --help"},
		{[]string{"run"}, "no PATH given", "specrun run --help"},
		{[]string{"validate"}, "no PATH given", "specrun validate --help"},
		{[]string{"validate", "--parallel", "2", "x"}, "unknown flag --parallel", "specrun validate --help"},
		{[]string{"serve"}, "serve takes exactly one MANIFEST", "specrun serve --help"},
		{[]string{"serve", "--adr", ":0", "m.yaml"}, "unknown flag --adr; did you mean --addr?", "specrun serve --help"},
		{[]string{"version", "extra"}, "version takes no arguments", "specrun version --help"},
		{[]string{"schema", "extra"}, "schema takes no arguments", "specrun schema --help"},
		{[]string{"init", "a", "b"}, "init takes at most one DIR, got 2 arguments", "specrun init --help"},
		{[]string{"completion"}, "completion takes one SHELL: bash, zsh, fish or powershell", "specrun completion --help"},
		{[]string{"completion", "tcsh"}, "completion takes one SHELL", "specrun completion --help"},
		{[]string{"--junit-flavor", "jenkins", "testdata/pass"}, `invalid value "jenkins" for --junit-flavor: want ci or ant`, "specrun run --help"},
		{[]string{"report"}, "report needs a command: merge", "specrun report --help"},
		{[]string{"report", "frob"}, `unknown command "frob" for report: the one there is is merge`, "specrun report --help"},
		{[]string{"report", "merge"}, "no SHARD.json given", "specrun report merge --help"},
		{[]string{"report", "merge", "--tap-version", "15", "x.json"}, `invalid value "15" for --tap-version: want 13 or 14`, "specrun report merge --help"},
		// An empty report path (a variable never set) is not "no report".
		{[]string{"--local", "testdata/manifest.yaml", "--report-json", "", "testdata/pass"}, `invalid value "" for --report-json: want a file path, or - for standard output`, "specrun run --help"},
		{[]string{"--report-junit=", "testdata/pass"}, `invalid value "" for --report-junit: want a file path`, "specrun run --help"},
		{[]string{"--report-tap", "", "testdata/pass"}, `invalid value "" for --report-tap: want a file path`, "specrun run --help"},
		{[]string{"--report-html=", "testdata/pass"}, `invalid value "" for --report-html: want a file path`, "specrun run --help"},
		{[]string{"report", "merge", "--report-json", "", "x.json"}, `invalid value "" for --report-json: want a file path`, "specrun report merge --help"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			o := c.run(tt.args...)
			if o.code != 2 || !strings.Contains(o.stderr, tt.want) {
				t.Errorf("want exit 2 with %q:\n%s", tt.want, o)
			}
			lines := strings.Split(strings.TrimSuffix(o.stderr, "\n"), "\n")
			if len(lines) != 2 || lines[1] != "Run '"+tt.help+"' for usage." {
				t.Fatalf("want one line of error and then Run '%s' for usage.:\n%s", tt.help, o.stderr)
			}
			// The help it points to must help.
			if h := c.run(strings.Fields(tt.help)[1:]...); h.code != 0 || h.stdout == "" {
				t.Errorf("%s: %s", tt.help, h)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	c := newCLI(t)
	o := c.run("validate", "testdata/pass")
	if o.code != 0 || o.stdout != "ok: 1 file, 1 suite, 4 tests\n" {
		t.Errorf("valid specs: %s", o)
	}
	o = c.run("validate", "testdata/invalid")
	if o.code != 2 {
		t.Fatalf("invalid specs: %s", o)
	}
	checkGolden(t, "validate-invalid.txt", o.stderr)
	for _, want := range []string{"testdata/invalid/bad.yaml:4:5:", `did you mean "action"`, "testdata/invalid/bad.yaml:7:14:"} {
		if !strings.Contains(o.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, o.stderr)
		}
	}
	// run refuses invalid specs the same way, and runs nothing.
	if o := c.run("--local", "testdata/manifest.yaml", "testdata/invalid"); o.code != 2 || !strings.Contains(o.stderr, "nothing was run") {
		t.Errorf("run of invalid specs: %s", o)
	}
}

func TestRunLocalPassing(t *testing.T) {
	c := newCLI(t)
	o := c.run("--local", "testdata/manifest.yaml", "--parallel", "1", "testdata/pass")
	if o.code != 0 {
		t.Fatalf("%s", o)
	}
	checkGolden(t, "pass-console.txt", o.stdout)
}

func TestRunLocalFailingWritesEveryReport(t *testing.T) {
	c := newCLI(t)
	junitPath := filepath.Join(c.dir, "out", "junit.xml")
	if err := os.MkdirAll(filepath.Dir(junitPath), 0o755); err != nil {
		t.Fatal(err)
	}
	tapPath := filepath.Join(c.dir, "out", "report.tap")
	jsonPath := filepath.Join(c.dir, "out", "report.json")
	o := c.run("--local", "testdata/manifest.yaml", "--parallel", "1", "--secret", "token",
		"--report-junit", junitPath, "--report-tap", tapPath, "--report-json", jsonPath, "testdata/fail")
	if o.code != 1 {
		t.Fatalf("want exit 1: %s", o)
	}
	checkGolden(t, "fail-console.txt", o.stdout)
	for name, path := range map[string]string{"fail-junit.xml": junitPath, "fail.tap": tapPath, "fail.json": jsonPath} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("report not written: %v", err)
		}
		checkGolden(t, name, stabilize(string(data)))
	}
	// The TAP report is judged by a real TAP consumer.
	if prove := tool(t, "prove", "perl"); prove != "" {
		out, err := exec.Command(prove, "--exec", "cat", tapPath).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "Failed 3/4 subtests") {
			t.Errorf("prove on our TAP: err %v\n%s", err, out)
		}
	}
	// --junit-flavor ant is strictly valid under both schemas.
	antPath := filepath.Join(c.dir, "out", "ant.xml")
	if o := c.run("--local", "testdata/manifest.yaml", "--parallel", "1", "--junit-flavor", "ant", "--report-junit", antPath, "testdata/fail"); o.code != 1 {
		t.Fatalf("want exit 1: %s", o)
	}
	if xmllint := tool(t, "xmllint", "libxml2-utils"); xmllint != "" {
		for _, xsd := range schemas(t) {
			out, err := exec.Command(xmllint, "--noout", "--schema", xsd, antPath).CombinedOutput()
			if err != nil {
				t.Errorf("%s does not validate against %s: %v\n%s", antPath, filepath.Base(xsd), err, out)
			}
		}
	}
}

// stabilize replaces the parts of a report that differ between runs:
// ports, keys, dates, the emulator's timestamps and activation ids (suites
// run concurrently, so the order in which ids are handed out varies).
func stabilize(s string) string {
	s = regexp.MustCompile(`http://127\.0\.0\.1:\d+`).ReplaceAllString(s, "http://127.0.0.1:PORT")
	s = regexp.MustCompile(`LOCAL[0-9A-F]{16}`).ReplaceAllString(s, "LOCALKEY")
	s = regexp.MustCompile(`Date: [^\n"]*GMT`).ReplaceAllString(s, "Date: DATE")
	s = regexp.MustCompile(`X-Ncp-Apigw-Timestamp: \d+`).ReplaceAllString(s, "X-Ncp-Apigw-Timestamp: TIMESTAMP")
	s = regexp.MustCompile(`X-Ncp-Trace-Id: [0-9a-z]{26}`).ReplaceAllString(s, "X-Ncp-Trace-Id: TRACE-ID")
	s = regexp.MustCompile(`(\\?"(?:start|end|duration)\\?":)\d+`).ReplaceAllString(s, "${1}N")
	s = regexp.MustCompile(`\b[0-9a-f]{32}\b`).ReplaceAllString(s, "ACTIVATION-ID")
	s = regexp.MustCompile(`Content-Length: \d+`).ReplaceAllString(s, "Content-Length: N")
	s = regexp.MustCompile(`<testsuites([^>]*) hostname="[^"]*"`).ReplaceAllString(s, `<testsuites$1 hostname="HOST"`)
	s = regexp.MustCompile(`hostname="[^"]*"`).ReplaceAllString(s, `hostname="HOST"`)
	s = regexp.MustCompile(`"hostname": "[^"]*"`).ReplaceAllString(s, `"hostname": "HOST"`)
	// When each exchange was sent is the client's clock, not the run's.
	s = regexp.MustCompile(`("start": )"\d{4}-\d\d-\d\dT[^"]*"(,\n\s*(?:"poll": true,\n\s*)?"request")`).ReplaceAllString(s, `${1}"SENT"$2`)
	return s
}

func TestSecretsNeverInAnyOutput(t *testing.T) {
	c := newCLI(t)
	dir := filepath.Join(c.dir, "reports")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var outputs []string
	for _, format := range []string{"console", "tap", "json"} {
		o := c.run("--local", "testdata/manifest.yaml", "--secret", "token", "-v", "--format", format,
			"--report-junit", filepath.Join(dir, format+".xml"), "--report-tap", filepath.Join(dir, format+".tap"),
			"--report-json", filepath.Join(dir, format+".json"), "testdata/fail")
		if o.code != 1 {
			t.Fatalf("%s: %s", format, o)
		}
		outputs = append(outputs, o.stdout, o.stderr)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		outputs = append(outputs, string(data))
	}
	if len(entries) != 9 {
		t.Fatalf("%d reports written, want 9", len(entries))
	}
	for _, out := range outputs {
		if strings.Contains(out, "tok-SECRET-123") {
			t.Fatalf("the --secret value leaked:\n%s", out)
		}
		if regexp.MustCompile(`[0-9A-F]{40}`).MatchString(out) {
			t.Fatalf("something like the emulator's secret key leaked:\n%s", out)
		}
	}
	// The signature header is always masked: look for the secret's own
	// place, the request body, so that a value never sent cannot pass.
	if !strings.Contains(strings.Join(outputs, ""), `{\"token\":\"***\"}`) && !strings.Contains(strings.Join(outputs, ""), `{"token":"***"}`) {
		t.Errorf(`no {"token":"***"} anywhere: the secret may simply not have been sent`)
	}
}

func TestRemoteRunWithoutCredentialsExits2(t *testing.T) {
	c := newCLI(t)
	o := c.run("--endpoint", "http://127.0.0.1:1/api/v2", "testdata/pass")
	if o.code != 2 || !strings.Contains(o.stderr, "NCLOUD_ACCESS_KEY") || !strings.Contains(o.stderr, "NCLOUD_SECRET_KEY") {
		t.Errorf("want exit 2 naming the variables to set: %s", o)
	}
	c.env["NCLOUD_ACCESS_KEY"] = "AKONLY"
	o = c.run("--endpoint", "http://127.0.0.1:1/api/v2", "testdata/pass")
	if o.code != 2 || !strings.Contains(o.stderr, "NCLOUD_SECRET_KEY") {
		t.Errorf("half-set credentials: %s", o)
	}
}

func TestListAndShards(t *testing.T) {
	c := newCLI(t)
	o := c.run("--list", "testdata/pass", "testdata/fail")
	if o.code != 0 {
		t.Fatal(o)
	}
	checkGolden(t, "list.txt", o.stdout)
	all := strings.Split(strings.TrimSpace(o.stdout), "\n")
	var union []string
	for k := 1; k <= 3; k++ {
		o := c.run("--list", "--shard", fmt.Sprintf("%d/3", k), "testdata/pass", "testdata/fail")
		union = append(union, strings.Split(strings.TrimSpace(o.stdout), "\n")...)
	}
	sort.Strings(all)
	sort.Strings(union)
	if strings.Join(all, "\n") != strings.Join(union, "\n") {
		t.Errorf("shards 1/3..3/3 = %v, want every test once: %v", union, all)
	}
	o = c.run("--list", "--tags", "flow", "testdata/pass")
	if strings.TrimSpace(o.stdout) != "smoke/two steps\ttestdata/pass/smoke.yaml:17" {
		t.Errorf("--tags flow listed %q", o.stdout)
	}
	o = c.run("--list", "--run", "echo", "testdata/pass")
	if !strings.HasPrefix(o.stdout, "smoke/echo returns the bound params\t") || strings.Count(o.stdout, "\n") != 1 {
		t.Errorf("--run echo listed %q", o.stdout)
	}
}

func TestSchemaCommandPrintsTheCommittedSchema(t *testing.T) {
	o := newCLI(t).run("schema")
	want, err := os.ReadFile("../../docs/spec.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if o.code != 0 || o.stdout != string(want) {
		t.Errorf("specrun schema differs from docs/spec.schema.json: %s", o)
	}
}

// tool finds a judge of our output; under CI it must be there.
func tool(t *testing.T, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing: install Debian's %s (.ci/run does)", name, debianPackage)
	}
	t.Logf("skipping the %s check: install Debian's %s to run it", name, debianPackage)
	return ""
}

// schemas finds the JUnit XML schemas of shared/reference/junit.
func schemas(t *testing.T) []string {
	t.Helper()
	for _, dir := range []string{"../../../shared/reference/junit", "../../shared/reference/junit"} {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.xsd"))
		if len(matches) > 0 {
			return matches
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("the JUnit schemas of shared/reference/junit are missing")
	}
	t.Log("skipping schema validation: shared/reference/junit not found")
	return nil
}

func TestFailFastStopsStartingTests(t *testing.T) {
	c := newCLI(t)
	o := c.run("--local", "testdata/manifest.yaml", "--parallel", "1", "--fail-fast", "--no-color", "testdata/fail")
	if o.code != 1 {
		t.Fatalf("want exit 1: %s", o)
	}
	// The first test fails; the three after it never start.
	if got := strings.Count(o.stdout, "skipped: not run: --fail-fast"); got != 3 {
		t.Errorf("%d tests skipped by --fail-fast, want 3:\n%s", got, o.stdout)
	}
	if !strings.Contains(o.stdout, "0 passed, 1 failed, 3 skipped") {
		t.Errorf("summary:\n%s", o.stdout)
	}
}

// --verbose numbers each attempt as it finishes, while the step goes on
// retrying on the worker: under -race this fails if the console reads the
// step's growing list of attempts instead of the number the event carries.
func TestVerboseNumbersEachAttemptAsItFinishes(t *testing.T) {
	c := newCLI(t)
	o := c.run("--local", "../../examples/manifest.yaml", "-v", "--no-color", "--run", "eventual", "../../examples/specs")
	if o.code != 0 {
		t.Fatalf("%s", o)
	}
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^\s*attempt (\S+) .*: (\w+) \(HTTP`).FindAllStringSubmatch(o.stdout, -1) {
		got = append(got, m[1]+" "+m[2])
	}
	want := []string{"1/5 fail", "2/5 fail", "3/5 pass"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("attempt lines %q; want %q\n%s", got, want, o.stdout)
	}
}

// brokenPipe is a standard output that fails after n bytes.
type brokenPipe struct{ n int }

func (b *brokenPipe) Write(p []byte) (int, error) {
	if len(p) > b.n {
		k := b.n
		b.n = 0
		return k, errors.New("write |1: broken pipe")
	}
	b.n -= len(p)
	return len(p), nil
}

// A console report that could not be written fails the run, as a report
// file would: a passing run must not exit 0 with its output lost.
func TestConsoleWriteErrorFailsTheRun(t *testing.T) {
	c := newCLI(t)
	o := c.runTo(&brokenPipe{n: 40}, new(bytes.Buffer), "--local", "testdata/manifest.yaml", "--parallel", "1", "testdata/pass")
	if o.code != 1 || !strings.Contains(o.stderr, "console: writing the report: write |1: broken pipe") {
		t.Errorf("exit %d, stderr %q; want 1 and the console's write error", o.code, o.stderr)
	}
}

// A selection that keeps no test is a typo, not a green run: exit 2, with
// what was asked and what exists. An empty shard of a selection that keeps
// tests is not an error.
func TestSelectionOfNothingExits2(t *testing.T) {
	c := newCLI(t)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--tags", "smok"}, []string{`--tags "smok" selects no test`, `did you mean "smoke"?`, `"flow", "smoke"`}},
		{[]string{"--list", "--tags", "smok"}, []string{`did you mean "smoke"?`}},
		{[]string{"--tags", "smok or flow"}, []string{`no test has the tag "smok" (did you mean "smoke"?)`}},
		{[]string{"--tags", "smoke and nightly"}, []string{`selects no test: no test has the tag "nightly"`}},
		{[]string{"--run", "later2"}, []string{`--run "later2" selects no test`, `did you mean "later"?`}},
		{[]string{"--run", "zzz", "--tags", "smoke"}, []string{`--run "zzz" with --tags "smoke" selects no test`, `such as "smoke/hello answers"`}},
	} {
		o := c.run(append(append([]string{"--local", "testdata/manifest.yaml"}, tc.args...), "testdata/pass")...)
		if o.code != 2 || strings.Contains(o.stdout, "Ran 0 tests") {
			t.Errorf("%q: want exit 2 and nothing run: %s", tc.args, o)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(o.stderr, w) {
				t.Errorf("%q: stderr lacks %q: %s", tc.args, w, o)
			}
		}
	}
	// One test selected, two shards: the first is empty, and that is fine.
	o := c.run("--local", "testdata/manifest.yaml", "--tags", "flow", "--shard", "1/2", "testdata/pass")
	if o.code != 0 || !strings.Contains(o.stdout, "Ran 0 tests") {
		t.Errorf("an empty shard: %s", o)
	}
	// A tag no test has and close to none is a warning: "not wip" is fine.
	o = c.run("--local", "testdata/manifest.yaml", "--tags", "not wip", "testdata/pass")
	if o.code != 0 || !strings.Contains(o.stderr, `warning: --tags "not wip": no test has the tag "wip"`) {
		t.Errorf("not wip: %s", o)
	}
}
