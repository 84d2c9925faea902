package html

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/specrun/specrun/internal/golden"
	"github.com/specrun/specrun/reporters/internal/samples"
	"github.com/specrun/specrun/reporters/internal/scenarios"
	"github.com/specrun/specrun/runner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// demo is one run made of every scenario's suites, with tests started
// 150ms apart on up to three workers, so the timeline has lanes.
func demo() *runner.Result {
	r := scenarios.Result()
	r.Info.Shard = "1/4, 2/4, 3/4, 4/4"
	k := 0
	for _, sc := range scenarios.All {
		for _, sr := range sc.R().Suites {
			for _, tr := range sr.Tests {
				if tr.Status != runner.Skip {
					tr.Start = scenarios.At(150 * k)
					k++
				}
			}
			r.Suites = append(r.Suites, sr)
		}
	}
	r.Duration = time.Duration(150*k+3000) * time.Millisecond
	r.Interrupted = true // the interrupted scenario's suite is in it
	return r
}

func render(t testing.TB, r *runner.Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	got := render(t, demo())
	golden.Check(t, filepath.Join("testdata", "demo.html"), got, *update)
	if !bytes.Equal(got, render(t, demo())) {
		t.Error("two writes of the same Result differ")
	}
}

// TestContent checks what a person looks for, in the page's text.
func TestContent(t *testing.T) {
	r := demo()
	page := string(render(t, r))
	c := r.Counts()
	for _, want := range []string{
		`<b id="count-total">` + strconv.Itoa(c.Total) + `</b>`,
		`<b id="count-failed">` + strconv.Itoa(c.Failed+c.Errored) + `</b>`,
		`users › get user <span class="badge fail">fail</span>`, // a failure's heading
		`specs/users.yaml:9</span> the name must round-trip`,    // its spec location and message
		`<span class="del">-   &#34;age&#34;: 40,</span>`,       // its diff
		`x-ncp-apigw-api-key: ***`,                              // its request
		`billing › setup`, `billing › teardown`,                 // failed fixtures
		`attempt 3 of 3`, `<span class="retried" title="retried">3 ↻</span>`, // retries
		`class="lanes"`, `at most at once`,
		`The run was interrupted`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<b> &") || strings.Contains(page, "odd <suite>") {
		t.Error("hostile text reached the page unescaped")
	}
}

// TestSelfContained: nothing is fetched. No src, no link, no url(), no
// @import; every href is a fragment of the page.
func TestSelfContained(t *testing.T) {
	page := string(render(t, demo()))
	for _, bad := range []string{"src=", "<link", "url(", "@import", "<iframe", "<img"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("href %q leaves the page", m[1])
		}
	}
}

// TestTimelineLanes: overlapping tests are on different lanes, the lane
// count is the peak concurrency, and a test that starts when another ended
// reuses its lane.
func TestTimelineLanes(t *testing.T) {
	r := scenarios.Pass()
	r.Suites[0].Tests = append(r.Suites[0].Tests, scenarios.Retry().Suites[0].Tests...)
	ts := r.Suites[0].Tests // durations 120, 80, 2100, 1600 ms
	for i, start := range []int{0, 50, 120, 125} {
		ts[i].Start = scenarios.At(start)
	}
	tl := buildTimeline(r)
	if tl.Lanes != 3 {
		t.Fatalf("%d lanes, want 3: %+v", tl.Lanes, tl.Bars)
	}
	tops := []int{tl.Bars[0].Top, tl.Bars[1].Top, tl.Bars[2].Top, tl.Bars[3].Top}
	if tops[0] != 0 || tops[1] != laneHeight || tops[2] != 0 || tops[3] != 2*laneHeight {
		t.Errorf("lanes %v, want [0 %d 0 %d]", tops, laneHeight, 2*laneHeight)
	}
}

// TestChromium renders the page in a real headless browser (Debian's
// chromium): after the page's script ran, the DOM holds the counts and a
// failure, and a screenshot is saved (to $SPECRUN_SCREENSHOT when set).
func TestChromium(t *testing.T) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found (required when CI=true): install Debian's chromium package")
		}
		t.Skip("chromium not found: install Debian's chromium package")
	}
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	r := demo()
	if err := os.WriteFile(page, render(t, r), 0o644); err != nil {
		t.Fatal(err)
	}
	browse := func(args ...string) []byte {
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + filepath.Join(dir, "profile")}
		out, err := exec.Command(bin, append(append(base, args...), "file://"+page)...).Output()
		if err != nil {
			t.Fatalf("chromium %v: %v", args, err)
		}
		return out
	}
	dom := string(browse("--dump-dom"))
	c := r.Counts()
	for _, want := range []string{
		`<b id="count-total">` + strconv.Itoa(c.Total) + `</b>`,
		`<b id="count-passed">` + strconv.Itoa(c.Passed) + `</b>`,
		`id="f-s1t0"`, "the name must round-trip",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered DOM lacks %q", want)
		}
	}
	shot := os.Getenv("SPECRUN_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(dir, "report.png")
	}
	browse("--screenshot="+shot, "--window-size=1280,2400", "--hide-scrollbars")
	png, err := os.ReadFile(shot)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) || len(png) < 10000 {
		t.Errorf("no screenshot: %v, %d bytes", err, len(png))
	}
}

// FuzzHTMLEscape puts hostile text wherever the page shows run data: text
// holding "<" never appears as is, so no test name, message or response
// can add markup or script to the page.
func FuzzHTMLEscape(f *testing.F) {
	f.Add("users", "get user", "the name", "HTTP 200\n\n{}")
	f.Add(scenarios.Hostile, "<script>alert(1)</script>", "</pre><img src=x>", "]]> & <b>")
	// Each text is put between markers, so that finding it as is means
	// finding that very field unescaped.
	const open, end = "\u27e6", "\u27e7"
	f.Fuzz(func(t *testing.T, suite, test, message, response string) {
		r := scenarios.Fail()
		sr := r.Suites[0]
		sr.Suite.Name = open + suite + end
		sr.Tests[0].Test.Name = open + test + end
		a := sr.Tests[0].Steps[0].Attempts[0]
		a.Failures[0].Message = open + message + end
		a.Exchanges = []*runner.Exchange{{Request: "POST /x", Response: open + response + end}}
		page := string(render(t, r))
		for _, s := range []string{suite, test, message, response} {
			if strings.Contains(s, "<") && strings.Contains(page, open+s+end) {
				t.Fatalf("%q is in the page unescaped", s)
			}
		}
	})
}

// Audit E7: a setup an interrupt stopped after its request was sent is an
// interrupted result, as runner.Counts counts it, not an errored one.
func TestInterruptedSetupIsShownInterrupted(t *testing.T) {
	page := string(render(t, samples.Fixtures()["setup-interrupted"]))
	if want := `users › setup <span class="badge interrupted">interrupted</span>`; !strings.Contains(page, want) {
		t.Errorf("the page lacks %q", want)
	}
	if strings.Contains(page, `users › setup <span class="badge error">`) {
		t.Error("the interrupted setup is shown as an error")
	}
}
