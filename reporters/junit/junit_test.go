package junit

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/specrun/specrun/internal/golden"
	"github.com/specrun/specrun/reporters/internal/scenarios"
	"github.com/specrun/specrun/runner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func render(t testing.TB, r *runner.Result) []byte {
	t.Helper()
	return renderWith(t, r, Options{})
}

func renderWith(t testing.TB, r *runner.Result, opts Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteWith(&b, r, opts); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

// goldenDirs are where each flavor's golden files live.
var goldenDirs = map[Flavor]string{CI: "testdata", Ant: filepath.Join("testdata", "ant")}

func TestGolden(t *testing.T) {
	for flavor, dir := range goldenDirs {
		for _, sc := range scenarios.All {
			t.Run(string(flavor)+"/"+sc.Name, func(t *testing.T) {
				opts := Options{Flavor: flavor}
				got := renderWith(t, sc.R(), opts)
				golden.Check(t, filepath.Join(dir, sc.Name+".xml"), got, *update)
				if again := renderWith(t, sc.R(), opts); !bytes.Equal(got, again) {
					t.Error("two writes of the same Result differ")
				}
			})
		}
	}
}

// ciRequired fails the test under CI=true (where the tool must be
// installed) and skips it elsewhere.
func ciRequired(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (required when CI=true)")
	}
	t.Skip(msg)
}

func schemaDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "reference", "junit"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "jenkins-xunit-junit-10.xsd")); err != nil {
		ciRequired(t, "JUnit schemas not found in "+dir+" (the shared/ folder must sit next to the repository)")
	}
	return dir
}

// ciAdditions are the only changes the CI flavor needs to Jenkins xUnit's
// junit-10.xsd: file and line on a testcase, and <properties> inside it.
// TestSchemas validates the CI flavor against the schema so extended,
// derived from the reference file at test time, so that anything else
// outside the schema still fails.
var ciAdditions = []struct{ old, new string }{
	{`<xs:element ref="skipped"/>`, `<xs:element ref="properties"/>
                    <xs:element ref="skipped"/>`},
	{`<xs:attribute name="group" type="xs:string"/>
        </xs:complexType>`, `<xs:attribute name="group" type="xs:string"/>
            <xs:attribute name="file" type="xs:string"/>
            <xs:attribute name="line" type="xs:string"/>
        </xs:complexType>`},
}

// extendedJenkins writes Jenkins's schema with ciAdditions into a
// temporary directory.
func extendedJenkins(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "jenkins-xunit-junit-10.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	xsd := string(b)
	for _, a := range ciAdditions {
		if strings.Count(xsd, a.old) != 1 {
			t.Fatalf("the Jenkins schema no longer has exactly one %q", a.old)
		}
		xsd = strings.Replace(xsd, a.old, a.new, 1)
	}
	out := filepath.Join(t.TempDir(), "jenkins-plus-file-line.xsd")
	if err := os.WriteFile(out, []byte(xsd), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSchemas validates every golden file, as written, with xmllint: the
// Ant flavor against both schemas as they are, the CI flavor against
// Jenkins's schema plus ciAdditions (and it must fail the unextended one
// only for what those allow).
func TestSchemas(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		ciRequired(t, "xmllint not found: install Debian's libxml2-utils package to validate the JUnit output")
	}
	dir := schemaDir(t)
	schemas := map[Flavor][]string{
		Ant: {filepath.Join(dir, "jenkins-xunit-junit-10.xsd"), filepath.Join(dir, "windyroad-JUnit.xsd")},
		CI:  {extendedJenkins(t, dir)},
	}
	for flavor, gdir := range goldenDirs {
		files, err := filepath.Glob(filepath.Join(gdir, "*.xml"))
		if err != nil || len(files) < len(scenarios.All) {
			t.Fatalf("found %d golden files in %s (%v), want %d", len(files), gdir, err, len(scenarios.All))
		}
		for _, f := range files {
			t.Run(string(flavor)+"/"+filepath.Base(f), func(t *testing.T) {
				for _, xsd := range schemas[flavor] {
					out, err := exec.Command(xmllint, "--noout", "--schema", xsd, f).CombinedOutput()
					if err != nil {
						t.Errorf("%s does not validate against %s: %v\n%s", f, xsd, err, out)
					}
				}
			})
		}
	}
}

// Read-back types, independent of the writer's.
type rSuites struct {
	Tests    int
	Failures int
	Errors   int
	Suites   []rSuite `xml:"testsuite"`
}

type rSuite struct {
	Name      string  `xml:"name,attr"`
	Tests     int     `xml:"tests,attr"`
	Failures  int     `xml:"failures,attr"`
	Errors    int     `xml:"errors,attr"`
	Skipped   int     `xml:"skipped,attr"`
	Timestamp string  `xml:"timestamp,attr"`
	Props     []rProp `xml:"properties>property"`
	Cases     []rCase `xml:"testcase"`
	Out       string  `xml:"system-out"`
	Err       string  `xml:"system-err"`
}

type rProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type rCase struct {
	Name      string  `xml:"name,attr"`
	Classname string  `xml:"classname,attr"`
	Time      string  `xml:"time,attr"`
	File      string  `xml:"file,attr"`
	Line      string  `xml:"line,attr"`
	Props     []rProp `xml:"properties>property"`
	Out       string  `xml:"system-out"`
	Failure   *rRes   `xml:"failure"`
	Error     *rRes   `xml:"error"`
	Skipped   *rRes   `xml:"skipped"`
}

type rRes struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

func parse(t testing.TB, b []byte) rSuites {
	t.Helper()
	var doc rSuites
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("output is not well-formed XML: %v\n%s", err, b)
	}
	return doc
}

// TestCounts checks that every count agrees with the testcases listed and
// with Result.Counts, synthetic setup/teardown cases included.
func TestCounts(t *testing.T) {
	for _, sc := range scenarios.All {
		t.Run(sc.Name, func(t *testing.T) {
			r := sc.R()
			doc := parse(t, render(t, r))
			var tot rSuites
			synthetic := 0
			for _, s := range doc.Suites {
				var c rSuite
				for _, tc := range s.Cases {
					c.Tests++
					switch {
					case tc.Failure != nil:
						c.Failures++
					case tc.Error != nil:
						c.Errors++
					case tc.Skipped != nil:
						c.Skipped++
					}
					if tc.Name == setupName || tc.Name == teardownName {
						synthetic++
					}
				}
				if c.Tests != s.Tests || c.Failures != s.Failures || c.Errors != s.Errors || c.Skipped != s.Skipped {
					t.Errorf("suite %q says tests=%d failures=%d errors=%d skipped=%d, its testcases give %d/%d/%d/%d",
						s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, c.Tests, c.Failures, c.Errors, c.Skipped)
				}
				tot.Tests += s.Tests
				tot.Failures += s.Failures
				tot.Errors += s.Errors
			}
			want := r.Counts()
			if tot.Tests != want.Total || tot.Failures != want.Failed || tot.Errors != want.Errored+want.Interrupted || synthetic != want.Fixtures {
				t.Errorf("totals %d/%d/%d (with %d synthetic), Result.Counts %+v", tot.Tests, tot.Failures, tot.Errors, synthetic, want)
			}
		})
	}
}

// TestContent checks the fields a CI reader relies on, read back through
// an XML parser.
func TestContent(t *testing.T) {
	tests := []struct {
		name  string
		r     func() *runner.Result
		check func(t *testing.T, doc rSuites)
	}{
		{"fail message is the first failure's summary", scenarios.Fail, func(t *testing.T, doc rSuites) {
			f := doc.Suites[0].Cases[0].Failure
			want := `the name must round-trip: $.name equals "bob": values differ (got "alice")`
			if f == nil || f.Message != want || f.Type != "result" {
				t.Fatalf("failure = %+v, want message %q type result", f, want)
			}
			for _, s := range []string{"specs/users.yaml:9: ", "specs/users.yaml:10: ", "specs/users.yaml:11: ", "activation: 0f1e2d", "-   \"age\": 40,", "step: demo/hello (specs/users.yaml:7)"} {
				if !strings.Contains(f.Body, s) {
					t.Errorf("failure body lacks %q:\n%s", s, f.Body)
				}
			}
		}},
		{"error has the hint and the exchange", scenarios.Error, func(t *testing.T, doc rSuites) {
			e := doc.Suites[0].Cases[0].Error
			if e == nil || !strings.HasSuffix(e.Message, "connection refused") || !strings.Contains(e.Body, "hint: check --endpoint") {
				t.Fatalf("error = %+v", e)
			}
			var out string
			for _, c := range doc.Suites[0].Cases {
				out += c.Out
			}
			if !strings.Contains(out, "=== get user: error ===\n--- demo/hello, attempt 1 of 1: request ---\nPOST https://") ||
				!strings.Contains(out, "(no response)") || !strings.Contains(out, "HTTP 502\ncontent-type: text/html\n") {
				t.Errorf("testcase system-out:\n%s", out)
			}
		}},
		{"skip carries the reason", scenarios.Skip, func(t *testing.T, doc rSuites) {
			if s := doc.Suites[0].Cases[1].Skipped; s == nil || s.Message != "not on this platform yet" {
				t.Fatalf("skipped = %+v", s)
			}
		}},
		{"timestamp has no zone and times three decimals", scenarios.Pass, func(t *testing.T, doc rSuites) {
			s := doc.Suites[0]
			if s.Timestamp != "2026-03-01T10:00:00" || s.Cases[0].Time != "0.120" {
				t.Fatalf("timestamp %q, time %q", s.Timestamp, s.Cases[0].Time)
			}
		}},
		{"testcase properties name file, line, attempts, activations", scenarios.Retry, func(t *testing.T, doc rSuites) {
			got := map[string]string{}
			for _, p := range doc.Suites[0].Props {
				got["suite "+p.Name] = p.Value
			}
			for _, p := range doc.Suites[0].Cases[0].Props {
				got[p.Name] = p.Value
			}
			for k, v := range map[string]string{
				"suite file": "specs/jobs.yaml", "file": "specs/jobs.yaml", "line": "4", "attempts": "3",
				"activation_ids": "r1 r2 r3", "platform": "vpc", "suite run.version": "0.1.0",
			} {
				if got[k] != v {
					t.Errorf("property %q = %q, want %q", k, got[k], v)
				}
			}
			if out := doc.Suites[0].Cases[0].Out; !strings.HasPrefix(out, "platform: vpc\nattempts: 3\nactivation ids: r1 r2 r3\n") {
				t.Errorf("testcase system-out = %q", out)
			}
		}},
		{"setup and teardown are error testcases", scenarios.Setup, func(t *testing.T, doc rSuites) {
			s := doc.Suites[0]
			if len(s.Cases) != 4 || s.Cases[0].Name != "(setup)" || s.Cases[3].Name != "(teardown)" {
				t.Fatalf("cases = %+v", s.Cases)
			}
			if e := s.Cases[0].Error; e == nil || e.Type != "setup" || e.Message != "step create account (specs/billing.yaml:3): authentication failed: 401 Unauthorized" {
				t.Errorf("setup error = %+v", e)
			}
			if e := s.Cases[3].Error; e == nil || e.Type != "teardown" || !strings.HasPrefix(e.Message, "step delete account (specs/billing.yaml:40): $.response.success equals true") {
				t.Errorf("teardown error = %+v", e)
			}
			wantErr := "setup error: step create account (specs/billing.yaml:3): authentication failed: 401 Unauthorized\n" +
				"teardown fail: step delete account (specs/billing.yaml:40): $.response.success equals true: values differ (got false)\n"
			if s.Err != wantErr {
				t.Errorf("system-err = %q, want %q", s.Err, wantErr)
			}
		}},
		{"interruption is noted", scenarios.Interrupted, func(t *testing.T, doc rSuites) {
			cs := doc.Suites[0].Cases
			if !strings.HasPrefix(doc.Suites[0].Err, "run interrupted") || cs[1].Error == nil || cs[1].Error.Type != "interrupted" ||
				!strings.Contains(cs[1].Error.Message, "may have run") || cs[3].Skipped == nil || cs[3].Skipped.Message != "interrupted" {
				t.Fatalf("suite = %+v", doc.Suites[0])
			}
		}},
		{"hostile text survives as visible text", scenarios.Escape, func(t *testing.T, doc rSuites) {
			s := doc.Suites[0]
			want := "a <b> & \"c\" 'd' ]]> e\\x01\\x1b[31m\\x7f f\uFFFD\uFFFD g\uFFFD h # not a directive \\# \\ i\nsecond line\r\nthird: - [x] {y} --- ... \u2028 end "
			if s.Cases[0].Name != want {
				t.Errorf("testcase name = %q,\nwant %q", s.Cases[0].Name, want)
			}
			if s.Name != "odd <suite> & \"co\" # 1" || s.Cases[0].Classname != s.Name {
				t.Errorf("suite name = %q, classname %q", s.Name, s.Cases[0].Classname)
			}
			if !strings.Contains(s.Cases[0].Out, `{"v":"]]>]]]]>"}\x00`+"\uFFFD(") {
				t.Errorf("system-out = %q", s.Cases[0].Out)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, parse(t, render(t, tt.r())))
		})
	}
}

func TestSeconds(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		want string
	}{
		{"zero", 0, "0.000"},
		{"negative counts as zero", -time.Second, "0.000"},
		{"rounds half a millisecond up", 1500 * time.Microsecond, "0.002"},
		{"rounds below half down", 1499 * time.Microsecond, "0.001"},
		{"minutes", 2*time.Minute + 3*time.Millisecond, "120.003"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := seconds(tt.d); got != tt.want {
				t.Errorf("seconds(%v) = %q, want %q", tt.d, got, tt.want)
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain text unchanged", "héllo <&>\t\n\r", "héllo <&>\t\n\r"},
		{"controls made visible", "a\x00b\x1bc\x7f", `a\x00b\x1bc\x7f`},
		{"invalid UTF-8 replaced", "a\xffb\xed\xa0\x80", "a\uFFFDb\uFFFD\uFFFD\uFFFD"},
		{"non-characters replaced", "\uFFFE\uFFFF", "\uFFFD\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tt.in); got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil result", Write(&bytes.Buffer{}, nil), "junit: no result to write (nil *runner.Result)"},
		{"writer error is returned", Write(failWriter{}, scenarios.Pass()), "junit: disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || tt.err.Error() != tt.want {
				t.Errorf("error = %v, want %q", tt.err, tt.want)
			}
		})
	}
}

func FuzzJUnitEscape(f *testing.F) {
	f.Add("plain", "message", "body")
	f.Add(scenarios.Hostile, "]]>", "\x00\xff\uFFFE")
	f.Add("a\r\nb", "&amp;", "<![CDATA[x]]>")
	f.Fuzz(func(t *testing.T, name, message, body string) {
		r := scenarios.Escape()
		s := r.Suites[0]
		s.Suite.Name = name
		s.Tests[0].Test.Name = message
		s.Tests[0].Steps[0].Attempts[0].Failures[0].Message = message
		s.Tests[0].Steps[0].Attempts[0].Failures[0].Actual = body
		s.Tests[0].Steps[0].Attempts[0].Exchanges[0].Response = body
		s.Tests[1].Reason = body
		var b bytes.Buffer
		if err := Write(&b, r); err != nil {
			t.Fatal(err)
		}
		doc := parse(t, b.Bytes())
		if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 2 {
			t.Fatalf("read back %d suites", len(doc.Suites))
		}
		if got, want := doc.Suites[0].Cases[0].Name, clean(message); got != want {
			t.Errorf("testcase name read back as %q, want %q", got, want)
		}
		if got, want := doc.Suites[0].Cases[1].Skipped.Message, clean(body); got != want {
			t.Errorf("skip message read back as %q, want %q", got, want)
		}
		if !strings.Contains(doc.Suites[0].Cases[0].Out, cleanBody(body)) {
			t.Errorf("system-out lost the response %q", cleanBody(body))
		}
	})
}

func TestHostnameComesFromTheRun(t *testing.T) {
	for _, tt := range []struct{ host, want string }{
		{"ci-agent-7", `hostname="ci-agent-7"`},
		{"", `hostname="localhost"`},
		{"  ", `hostname="localhost"`},
	} {
		r := scenarios.Pass()
		r.Info.Hostname = tt.host
		var b bytes.Buffer
		if err := Write(&b, r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("hostname %q: output lacks %s", tt.host, tt.want)
		}
	}
}
