package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specrun/specrun/internal/faultgw"
)

// faultRun runs specrun against g with spec (one suite, its YAML) and args,
// and returns the outcome and the JSON report.
func faultRun(t *testing.T, g *faultgw.Gateway, spec string, args ...string) (outcome, jsonDoc) {
	t.Helper()
	c := newCLI(t)
	c.env["NCLOUD_ACCESS_KEY"] = "AKIAFAULTGATEWAY"
	c.env["NCLOUD_SECRET_KEY"] = "fault-secret"
	specPath := filepath.Join(c.dir, "fault.yaml")
	if err := os.WriteFile(specPath, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	jsonPath := filepath.Join(c.dir, "report.json")
	o := c.run(append(append([]string{"--endpoint", g.URL, "--no-color", "--report-json", jsonPath}, args...), specPath)...)
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatalf("no JSON report: %v\n%s", err, o)
	}
	var doc jsonDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, data)
	}
	doc.raw = string(data)
	return o, doc
}

// jsonDoc is what these tests read of the JSON report.
type jsonDoc struct {
	Status string `json:"status"`
	Suites []struct {
		Tests []struct {
			Status string `json:"status"`
			Reason string `json:"reason"`
			Steps  []struct {
				Attempts []struct {
					Status     string `json:"status"`
					HTTPStatus int    `json:"http_status"`
					Error      string `json:"error"`
					Transport  []struct {
						HTTPStatus int    `json:"http_status"`
						Resent     bool   `json:"resent"`
						Why        string `json:"why"`
					} `json:"transport"`
					Exchanges []struct {
						Request  string `json:"request"`
						Response string `json:"response"`
					} `json:"exchanges"`
				} `json:"attempts"`
			} `json:"steps"`
		} `json:"tests"`
	} `json:"suites"`
	raw string
}

const oneTest = `suite: faults
tests:
  - name: run once
    package: p
    action: a
    params: {order: 1}
`

const oneTestRetry = oneTest + `    retry: {attempts: 3, delay: 1ms}
`

// Issue 11, point 2, and edges E1: a call answered by an HTML, plain-text
// or empty 503, a reset, a 200 whose body is a page, empty or cut short, or
// a proxy's JSON 504 after the action ran is never sent again: not by the
// transport (--max-retries), not by the spec's `retry` (which re-runs on
// failed expectations), unless `retry.idempotent` says the action is safe
// to run again. The gateway counts the requests for each.
func TestFaultNoResendAfterTheActionMayHaveRun(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault faultgw.Fault
	}{
		{"HTML 503", faultgw.HTML503},
		{"plain-text 503", faultgw.Text503},
		{"empty 503", faultgw.Empty503},
		{"reset after sending", faultgw.Reset},
		{"HTML 200", faultgw.HTML200},
		{"empty 200", faultgw.Empty200},
		{"200 cut short", faultgw.Cut200},
		{"proxy JSON 504", faultgw.Proxy504},
	} {
		for _, sp := range []struct {
			name, spec string
			runs       int
		}{
			{"no retry", oneTest, 1},
			{"retry", oneTestRetry, 1},
			{"retry idempotent", strings.Replace(oneTestRetry, "delay: 1ms", "delay: 1ms, idempotent: true", 1), 3},
		} {
			t.Run(tt.name+"/"+sp.name, func(t *testing.T) {
				g := faultgw.New(tt.fault)
				defer g.Close()
				o, doc := faultRun(t, g, sp.spec, "--max-retries", "3")
				if g.Runs() != sp.runs || g.Calls() != sp.runs {
					t.Fatalf("the action ran %d times in %d calls; want %d\n%s", g.Runs(), g.Calls(), sp.runs, o)
				}
				if o.code != 1 || doc.Status != "error" || doc.Suites[0].Tests[0].Status != "error" {
					t.Fatalf("exit %d, report status %q; want 1 and error\n%s\n%s", o.code, doc.Status, o, doc.raw)
				}
				reason := doc.Suites[0].Tests[0].Reason
				if !strings.Contains(reason, "may have run") {
					t.Errorf("the reason %q does not say the action may have run", reason)
				}
				if sp.runs == 1 && (!strings.Contains(reason, "not sent again") || strings.Contains(o.stdout, "sent again after")) {
					t.Errorf("the reason %q must say it was not sent again", reason)
				}
				if sp.runs > 1 && (strings.Contains(o.stdout, "not sent again") || strings.Contains(o.stdout, "set `retry: {idempotent: true}`")) {
					t.Errorf("a step that is idempotent was sent again: the output must not say otherwise\n%s", o.stdout)
				}
				if strings.Contains(o.stdout, "transport attempts") {
					t.Errorf("each attempt sent one request: no count of transport attempts\n%s", o.stdout)
				}
			})
		}
	}
}

// Issue 11, point 3: transport retries are visible, and a test whose last
// answer came from the transport is an error that says what happened,
// never "expected 200, actual 429".
func TestFaultTransportRetriesShown(t *testing.T) {
	g := faultgw.New(faultgw.TooMany)
	defer g.Close()
	dir := t.TempDir()
	junitPath, tapPath := filepath.Join(dir, "j.xml"), filepath.Join(dir, "r.tap")
	o, doc := faultRun(t, g, oneTest, "--max-retries", "2", "--report-junit", junitPath, "--report-tap", tapPath)
	if g.Runs() != 0 || g.Calls() != 3 {
		t.Fatalf("the action ran %d times in %d calls; want 0 in 3\n%s", g.Runs(), g.Calls(), o)
	}
	test := doc.Suites[0].Tests[0]
	if o.code != 1 || test.Status != "error" {
		t.Fatalf("exit %d, test %q; want 1 and error\n%s", o.code, test.Status, o)
	}
	for _, out := range []string{o.stdout, test.Reason} {
		if strings.Contains(out, "expected 200") || !strings.Contains(out, "3 attempts") || !strings.Contains(out, "did not run") {
			t.Errorf("want the 3 attempts and that the action did not run, not a status mismatch:\n%s", out)
		}
	}
	tries := test.Steps[0].Attempts[0].Transport
	if len(tries) != 3 || !tries[0].Resent || !tries[1].Resent || tries[2].Resent || tries[0].HTTPStatus != 429 {
		t.Errorf("transport attempts in the JSON report: %+v; want 3, the first two sent again", tries)
	}
	junitData, _ := os.ReadFile(junitPath)
	tapData, _ := os.ReadFile(tapPath)
	for name, data := range map[string]string{"JUnit": string(junitData), "TAP": string(tapData)} {
		if !strings.Contains(data, "sent again") || !strings.Contains(data, "HTTP 429") {
			t.Errorf("the %s report does not show the transport attempts:\n%s", name, data)
		}
	}
	if prove := tool(t, "prove", "perl"); prove != "" {
		if out, err := exec.Command(prove, "--exec", "cat", tapPath).CombinedOutput(); err == nil || !strings.Contains(string(out), "Failed 1/1 subtests") {
			t.Errorf("prove on our TAP: err %v\n%s", err, out)
		}
	}
}

// Issue 11, point 3: an HTML 502 from a proxy is an error saying the
// action may have run, not a status mismatch.
func TestFaultHTML5xxIsAnError(t *testing.T) {
	g := faultgw.New(faultgw.HTML503)
	defer g.Close()
	o, doc := faultRun(t, g, oneTest)
	test := doc.Suites[0].Tests[0]
	if test.Status != "error" || strings.Contains(o.stdout, "expected 200") {
		t.Fatalf("test %q; want error, not a status mismatch\n%s", test.Status, o)
	}
}

// Issue 11, point 7: `timeout: 0` reaches the API as timeout=0, and the
// activation is then polled.
func TestFaultTimeoutZeroIsSent(t *testing.T) {
	g := faultgw.New(faultgw.Accepted)
	defer g.Close()
	o, doc := faultRun(t, g, strings.Replace(oneTest, "    action: a\n", "    action: a\n    timeout: 0\n", 1))
	posts := g.Posts()
	if len(posts) != 1 || posts[0].URL.Query().Get("timeout") != "0" || !posts[0].URL.Query().Has("timeout") {
		t.Fatalf("the POST went to %v; want timeout=0 in its query\n%s", posts, o)
	}
	if o.code != 0 || doc.Status != "pass" {
		t.Fatalf("the polled result did not pass: %s\n%s", o, doc.raw)
	}
}

// Issue 11, point 8: -v prints every exchange of a polled call in order,
// also with --format json|tap (then to stderr), and the JSON report keeps
// them all.
func TestFaultVerboseShowsEveryExchange(t *testing.T) {
	for _, format := range []string{"console", "json", "tap"} {
		t.Run(format, func(t *testing.T) {
			g := faultgw.New(faultgw.Accepted)
			g.Pending = 2
			defer g.Close()
			o, doc := faultRun(t, g, strings.Replace(oneTest, "    action: a\n", "    action: a\n    timeout: 100ms\n", 1), "-v", "--format", format)
			if o.code != 0 {
				t.Fatalf("%s", o)
			}
			verbose := o.stdout
			if format != "console" {
				verbose = o.stderr
			}
			want := []string{"POST ", `{"order":1}`, "HTTP 202", "GET ", "HTTP 404", "80322", "GET ", "HTTP 404", "GET ", "HTTP 200"}
			rest := verbose
			for _, w := range want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("-v with --format %s: %q missing or out of order in:\n%s", format, w, verbose)
				}
				rest = rest[i+len(w):]
			}
			xs := doc.Suites[0].Tests[0].Steps[0].Attempts[0].Exchanges
			if len(xs) != 4 || !strings.HasPrefix(xs[0].Request, "POST ") || !strings.HasPrefix(xs[0].Response, "HTTP 202") ||
				!strings.HasPrefix(xs[3].Response, "HTTP 200") {
				t.Errorf("the JSON report's exchanges: %+v; want the POST, its 202, two 404 polls and the 200", xs)
			}
		})
	}
}

// Issue 11, point 7, against the emulator: timeout=0 is answered 202 at
// once, as OpenWhisk does, and the runner polls the activation.
func TestTimeoutZeroLocalIsPolled(t *testing.T) {
	c := newCLI(t)
	specPath := filepath.Join(c.dir, "zero.yaml")
	if err := os.WriteFile(specPath, []byte("suite: zero\ntests:\n  - {name: no wait, action: demo/hello, timeout: 0}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := c.run("--local", "testdata/manifest.yaml", "--no-color", "-v", specPath)
	if o.code != 0 || !strings.Contains(o.stdout, "timeout=0") || !strings.Contains(o.stdout, "HTTP 202") || !strings.Contains(o.stdout, "/activations/") {
		t.Fatalf("want a pass through timeout=0, a 202 and a poll:\n%s", o)
	}
}
