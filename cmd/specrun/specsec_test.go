package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// A --var whose name is wrong or missing is refused without printing its
// value, which may be a secret: by run, validate and monitor alike.
func TestVarErrorsNeverPrintTheValue(t *testing.T) {
	const secret = "SuperSecretTokenValue123"
	for _, c := range []struct {
		arg, want string
	}{
		{"api-token=" + secret, `invalid variable name "api-token"`},
		{"=" + secret, `no name before "="`},
		{"env=" + secret, "the variable name env is reserved"},
		{secret, `an argument has no "="`},
	} {
		for _, args := range [][]string{
			{"validate", "--var", c.arg, "--secret", "api-token", "testdata/pass"},
			{"--local", "testdata/manifest.yaml", "--var", c.arg, "testdata/pass"},
			{"monitor", "--every", "1m", "--local", "testdata/manifest.yaml", "--var", c.arg, "testdata/pass"},
		} {
			o := newCLI(t).run(args...)
			if o.code != exitUsage || !strings.Contains(o.stderr, c.want) {
				t.Errorf("%q: want exit 2 saying %q: %s", args, c.want, o)
			}
			if strings.Contains(o.stdout+o.stderr, "SuperSecret") {
				t.Errorf("%q: the value was printed: %s", args, o)
			}
		}
	}
}

// A --push-gateway URL whose password holds an unescaped / ? or # is
// refused before anything runs or connects, without printing the user
// info. The URLs are built so that a misread one would still reach only
// the listener here (the user name is 127.0.0.1, the password starts
// with its port): no name is looked up.
func TestPushGatewayUserInfoNeedingEscapesIsRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var dials atomic.Int64
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			dials.Add(1)
			_ = conn.Close()
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	addr := ln.Addr().String()
	for _, sep := range []string{"/", "?", "#"} {
		raw := "http://" + addr + sep + "Zq9pw@" + addr
		o := newCLI(t).run("--local", "testdata/manifest.yaml", "--push-gateway", raw, "testdata/pass")
		if o.code != exitUsage || !strings.Contains(o.stderr, "percent-encode") || !strings.Contains(o.stderr, "http://***@"+addr) {
			t.Errorf("%s: want exit 2 saying to percent-encode: %s", raw, o)
		}
		if strings.Contains(o.stdout+o.stderr, "Zq9pw") || strings.Contains(o.stdout+o.stderr, "http://"+addr+sep) {
			t.Errorf("%s: the user info was printed: %s", raw, o)
		}
	}
	if n := dials.Load(); n != 0 {
		t.Errorf("%d connections to the Pushgateway's address: the URL must be refused before any", n)
	}
}

// everyOutput runs specrun against the emulator (testdata/manifest.yaml)
// with args, once per --format with -v and every report file, then with
// --list, then merges the JSON report with report merge into every
// format; it returns everything written: standard output and error and
// every file. Each run must exit with code.
func everyOutput(t *testing.T, c *cli, code int, args ...string) []string {
	t.Helper()
	var outs []string
	for _, format := range []string{"console", "tap", "json", "jsonl"} {
		dir := filepath.Join(c.dir, "out-"+format)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		run := append([]string{"--local", "testdata/manifest.yaml", "-v", "--format", format,
			"--report-junit", filepath.Join(dir, "r.xml"), "--report-tap", filepath.Join(dir, "r.tap"),
			"--report-json", filepath.Join(dir, "r.json"), "--report-html", filepath.Join(dir, "r.html")}, args...)
		o := c.run(run...)
		if o.code != code {
			t.Fatalf("%q: want exit %d: %s", run, code, o)
		}
		outs = append(outs, o.stdout, o.stderr)
	}
	o := c.run(append([]string{"--local", "testdata/manifest.yaml", "--list"}, args...)...)
	if o.code != 0 {
		t.Fatalf("--list: %s", o)
	}
	outs = append(outs, o.stdout, o.stderr)
	merged := filepath.Join(c.dir, "merged")
	o = c.run("report", "merge", "--report-junit", filepath.Join(merged, "r.xml"), "--report-tap", filepath.Join(merged, "r.tap"),
		"--report-json", filepath.Join(merged, "r.json"), "--report-html", filepath.Join(merged, "r.html"), filepath.Join(c.dir, "out-console", "r.json"))
	if o.code != code {
		t.Fatalf("report merge: want exit %d: %s", code, o)
	}
	outs = append(outs, o.stdout, o.stderr)
	files, err := filepath.Glob(filepath.Join(c.dir, "*", "r.*"))
	if err != nil || len(files) != 4*4+4 {
		t.Fatalf("%d report files (%v), want 20", len(files), err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, string(data))
	}
	return outs
}

// checkAbsent fails when any output holds any of secrets.
func checkAbsent(t *testing.T, outs []string, secrets ...string) {
	t.Helper()
	for i, out := range outs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("output %d holds %q:\n%s", i, s, out)
			}
		}
	}
}

// writeFile writes content to name in c's directory and returns its path.
func (c *cli) writeFile(name, content string) string {
	c.t.Helper()
	p := filepath.Join(c.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return p
}

// The audit's S3: a --secret variable holding a mapping or a list is
// masked leaf by leaf, wherever a leaf shows on its own.
func TestStructuredSecretNeverInAnyOutput(t *testing.T) {
	c := newCLI(t)
	vars := c.writeFile("v.yaml", "creds: {user: bobby42, pass: hunter2xyz}\ntoks: [tokAAA111, tokBBB222]\n")
	spec := c.writeFile("map.yaml", `suite: structured
defaults: {package: demo}
tests:
  - name: mapping
    action: echo
    params: {c: "${creds}"}
    expect:
      assert:
        - {path: content.response.result.c.pass, equals: x}
      result: {c: {user: other}}
  - name: list
    action: echo
    params: {l: "${toks}"}
    expect:
      assert:
        - {path: "content.response.result.l[0]", equals: x}
`)
	outs := everyOutput(t, c, 1, "--var-file", vars, "--secret", "creds", "--secret", "toks", spec)
	checkAbsent(t, outs, "bobby42", "hunter2xyz", "tokAAA111", "tokBBB222")
	if !strings.Contains(strings.Join(outs, ""), `"***"`) {
		t.Error(`no "***" anywhere: the secrets may not have been sent`)
	}
}

// The audit's S6: the credentials are redacted in the errors of specs that
// fail to load, from the environment (a half pair too) or from the
// configure file, with validate (which needs none), a remote run, a
// --local run and the monitor.
func TestCredentialsRedactedInLoadErrors(t *testing.T) {
	const envKey, fileKey, fileAccess = "SK(SecretKeyValue99", "FileSecret(Key77", "FileAccess(Key55"
	c := newCLI(t)
	c.env["NCLOUD_SECRET_KEY"] = envKey
	if err := os.MkdirAll(filepath.Join(c.dir, ".ncloud"), 0o700); err != nil {
		t.Fatal(err)
	}
	c.writeFile(".ncloud/configure", "[DEFAULT]\nncloud_access_key_id = "+fileAccess+"\nncloud_secret_access_key = "+fileKey+"\n")
	spec := c.writeFile("t8.yaml", `suite: creds
tests:
  - name: env key
    action: demo/echo
    expect:
      assert:
        - {path: content.response.result.a, lt: "${env.NCLOUD_SECRET_KEY}"}
        - {path: content.response.result.a, matches: "${env.NCLOUD_SECRET_KEY}"}
  - name: pasted keys
    action: demo/echo
    timeout: "`+fileKey+`"
    retry: {attempts: "`+fileAccess+`"}
`)
	for _, args := range [][]string{
		{"validate", spec},
		{"--endpoint", "http://127.0.0.1:1/api/v2", spec},
		{"--local", "testdata/manifest.yaml", spec},
		{"monitor", "--every", "1m", "--local", "testdata/manifest.yaml", spec},
	} {
		o := c.run(args...)
		// The invalid regular expression built from the key quotes no part
		// of it at all; the three others quote it as ***.
		if o.code != exitUsage || strings.Count(o.stderr, "***") < 3 || !strings.Contains(o.stderr, "its faulty part is not shown") {
			t.Errorf("%q: want exit 2, 3 problems quoting *** and a regular expression quoting nothing: %s", args, o)
		}
		checkAbsent(t, []string{o.stdout, o.stderr}, "SecretKeyValue99", "Secret(Key77", "Access(Key55")
	}
	// Without any credentials, validate needs none.
	o := newCLI(t).run("validate", "testdata/pass")
	if o.code != 0 {
		t.Errorf("validate without credentials: %s", o)
	}
}

// The audit's S7: secrets typed into suite, test and step names, tags and
// skip reasons (the values of --secret variables and the credentials)
// show as *** in every output and report, --list and report merge
// included; --run and --tags select by the names as shown.
func TestSecretsInNamesNeverInAnyOutput(t *testing.T) {
	c := newCLI(t)
	c.env["NCLOUD_SECRET_KEY"] = "CredSK777"
	spec := c.writeFile("names.yaml", `suite: suite Zq9SecretVal
tags: [smoke, team-Zq9SecretVal]
defaults: {package: demo}
setup:
  - {name: setup as Zq9SecretVal, action: echo}
tests:
  - name: t Zq9SecretVal fails
    tags: [Zq9SecretVal]
    steps:
      - {name: login as Zq9SecretVal, action: echo, params: {a: 1}}
      - {name: then as CredSK777, action: echo, expect: {result: {a: 2}}}
  - name: skipped
    skip: blocked until Zq9SecretVal rotates
    action: hello
  - name: passes CredSK777
    action: hello
`)
	outs := everyOutput(t, c, 1, "--var", "tok=Zq9SecretVal", "--secret", "tok", "--run", "Zq9SecretVal|suite ", "--tags", "smoke", spec)
	checkAbsent(t, outs, "Zq9SecretVal", "CredSK777")
	all := strings.Join(outs, "\n")
	for _, want := range []string{`"run": "***|suite "`, "suite ***/t *** fails", "login as ***", "blocked until *** rotates", "passes ***", "then as ***", "setup as ***"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in any output: the test may not have run", want)
		}
	}
	// --run selects by the names as shown; the secret it holds is hidden
	// in what it says. (A tag expression cannot name a tag holding ***.)
	o := c.run("--local", "testdata/manifest.yaml", "--var", "tok=Zq9SecretVal", "--secret", "tok", "--run", "t Zq9SecretVal", spec)
	if o.code != exitUsage || !strings.Contains(o.stderr, `--run "t ***" selects no test`) || strings.Contains(o.stdout+o.stderr, "Zq9SecretVal") {
		t.Errorf("--run holding the secret: %s", o)
	}
	o = c.run("--local", "testdata/manifest.yaml", "--var", "tok=Zq9SecretVal", "--secret", "tok", "--list", "--run", `t \*\*\*`, "--tags", "smoke", spec)
	if o.code != 0 || strings.TrimSpace(o.stdout) != "suite ***/t *** fails\t"+spec+":7" {
		t.Errorf("--run and --tags of the names as shown: %s", o)
	}
}

// A second audit: the credentials were masked in load errors and names
// but not in what a run printed: under --local the user's own keys (the
// run signs with the emulator's), and in any run the other name of each
// key (NCLOUD_SECRET_ACCESS_KEY beside NCLOUD_SECRET_KEY). An action that
// echoes all four must show none of them in any output or report.
func TestCredentialsNeverInARunsOutput(t *testing.T) {
	c := newCLI(t)
	c.env["NCLOUD_ACCESS_KEY"], c.env["NCLOUD_SECRET_KEY"] = "PrimAccess12345", "PrimSecret12345"
	c.env["NCLOUD_ACCESS_KEY_ID"], c.env["NCLOUD_SECRET_ACCESS_KEY"] = "AltAccess12345", "AltSecret12345"
	spec := c.writeFile("ce.yaml", `suite: credentials
defaults: {package: demo}
tests:
  - name: echoed
    action: echo
    params: {a: "${env.NCLOUD_SECRET_KEY}", b: "${env.NCLOUD_SECRET_ACCESS_KEY}", c: "${env.NCLOUD_ACCESS_KEY}", d: "${env.NCLOUD_ACCESS_KEY_ID}"}
    expect: {result: {a: x}}
`)
	outs := everyOutput(t, c, 1, spec)
	checkAbsent(t, outs, "PrimAccess12345", "PrimSecret12345", "AltAccess12345", "AltSecret12345")
	if !strings.Contains(strings.Join(outs, ""), `"***"`) {
		t.Error(`no "***" anywhere: the keys may not have been sent`)
	}
}
