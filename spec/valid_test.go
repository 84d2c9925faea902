package spec

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/specrun/specrun/internal/golden"
)

// dumpProject writes every field of a loaded project as text, for the
// golden files of testdata/valid.
func dumpProject(p *Project) string {
	var b strings.Builder
	w := func(indent int, format string, args ...any) {
		b.WriteString(strings.Repeat("  ", indent))
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
	}
	steps := func(indent int, label string, list []*Step) {
		for _, st := range list {
			w(indent, "%s[%d] %q at %s", label, st.Index, st.Name, st.Pos)
			w(indent+1, "invoke package=%s action=%s platform=%q timeout=%v", describeTemplate(st.Package), describeTemplate(st.Action), st.Platform.String(), st.Timeout)
			w(indent+1, "params %s", describeTemplate(st.Params))
			w(indent+1, "http_status %d at %s", st.Expect.HTTPStatus, st.Expect.HTTPStatusPos)
			for _, c := range st.Expect.Checks {
				var ops []string
				for _, op := range c.src.ops {
					ops = append(ops, op.name+" "+describeTemplate(op.t))
				}
				kind := "static"
				if !c.Static() {
					kind = "dynamic"
				}
				w(indent+1, "check %s at %s: %s %s (%s) message=%q", c.Key, c.Pos, c.src.path, strings.Join(ops, ", "), kind, c.Message)
			}
			for _, c := range st.Captures {
				w(indent+1, "capture %s = %s at %s", c.Name, c.Path, c.Pos)
			}
			if r := st.Retry; r != nil {
				w(indent+1, "retry attempts=%d delay=%v backoff=%g max_delay=%v", r.Attempts, r.Delay, r.Backoff, r.MaxDelay)
			}
		}
	}
	w(0, "tests %d, secrets %q", p.Tests(), p.Secrets)
	for _, s := range p.Suites {
		w(0, "suite[%d] %q file=%s at %s tags=%q", s.Index, s.Name, s.File, s.Pos, s.Tags)
		steps(1, "setup", s.Setup)
		steps(1, "teardown", s.Teardown)
		for _, t := range s.Tests {
			w(1, "test[%d] %q at %s tags=%q skip=%q deadline=%v multistep=%v", t.Index, t.FullName(), t.Pos, t.Tags, t.Skip, t.Deadline, t.MultiStep)
			steps(2, "step", t.Steps)
		}
	}
	return b.String()
}

// describeTemplate shows a template as static JSON or as a template.
func describeTemplate(t *Template) string {
	if t.Static() {
		b, _ := json.Marshal(t.static)
		return string(b)
	}
	return "template " + t.String()
}

// TestValidSpecsGolden loads each file of testdata/valid and compares a
// dump of everything loaded with its .golden twin.
func TestValidSpecsGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/valid/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no valid specs: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			p, err := Load([]string{file}, Options{LookupEnv: testEnv, Vars: []string{"cli=from --var"}, Secrets: []string{"pkg"}})
			if err != nil {
				if !strings.Contains(err.Error(), "--secret") {
					t.Fatal(err)
				}
				p, err = Load([]string{file}, Options{LookupEnv: testEnv, Vars: []string{"cli=from --var"}})
				if err != nil {
					t.Fatal(err)
				}
			}
			got := dumpProject(p)
			golden.Check(t, strings.TrimSuffix(file, ".yaml")+".golden", []byte(got), *update)
		})
	}
}

func loadOne(t *testing.T, content string, opts Options) *Project {
	t.Helper()
	dir := writeFiles(t, map[string]string{"s.yaml": content})
	p, err := Load([]string{filepath.Join(dir, "s.yaml")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVariablePrecedenceAndTypes(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"one.yaml": "a: from file one\nb: from file one\nn: 1\n",
		"two.yaml": "b: from file two\nobj: {k: [1, true]}\n",
	})
	spec := `vars:
  a: from suite
  b: from suite
  c: from suite
  d: ${c}-${env.HOME_X:-home}
  n: 99
tests:
  - name: t
    action: p/a
    params:
      a: ${a}
      b: ${b}
      c: ${c}
      d: ${d}
      n: ${n}
      text: "n=${n} flag=${flag} obj=${obj} nil=${nothing}"
      flag: ${flag}
      obj: ${obj}
      quoted: "${n}"
      str: ${s}
      empty: ${e}
`
	p := loadOne(t, spec, Options{
		VarFiles: []string{filepath.Join(dir, "one.yaml"), filepath.Join(dir, "two.yaml")},
		Vars:     []string{"a=from --var", "n=3", "flag=true", "nothing=null", "s=007", "e="},
		Secrets:  []string{"a", "c"},
	})
	body, err := p.Suites[0].Tests[0].Steps[0].Body(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":"from --var","b":"from file two","c":"from suite","d":"from suite-home","empty":"","flag":true,"n":3,"nothing":null,"obj":{"k":[1,true]},"quoted":3,"str":"007","text":"n=3 flag=true obj={\"k\":[1,true]} nil=null"}`
	want = strings.Replace(want, `"nothing":null,`, ``, 1)
	if string(body) != want {
		t.Errorf("body = %s\nwant   %s", body, want)
	}
	if got := fmt.Sprint(p.Secrets); got != "[from --var from suite]" {
		t.Errorf("Secrets = %s", got)
	}
}

func TestTestFields(t *testing.T) {
	spec := `suite: fields
tags: [smoke, shared]
defaults:
  package: pkg
  platform: vpc
  timeout: 1500
  deadline: 5m
  params: {a: 1, b: 2}
  retry: {attempts: 4}
tests:
  - name: defaults apply
    action: act
    tags: [shared, own]
  - name: own values win
    action: other/act
    platform: classic
    timeout: 2s
    deadline: 90s
    params: {b: 3, c: 4}
    retry: {delay: 5s, backoff: 1, max_delay: 0}
    skip: flaky upstream
  - name: skipped with true
    action: act
    skip: true
  - name: not skipped with false
    action: act
    skip: false
`
	p := loadOne(t, spec, Options{})
	ts := p.Suites[0].Tests
	type row struct {
		name, pkg, act, platform, body, tags, skip string
		timeout, deadline                          time.Duration
		retry                                      Retry
	}
	want := []row{
		{"defaults apply", "pkg", "act", "vpc", `{"a":1,"b":2}`, "[smoke shared own]", "", 1500 * time.Millisecond, 5 * time.Minute, Retry{4, time.Second, 2, 30 * time.Second, false}},
		{"own values win", "other", "act", "classic", `{"a":1,"b":3,"c":4}`, "[smoke shared]", "flaky upstream", 2 * time.Second, 90 * time.Second, Retry{3, 5 * time.Second, 1, 0, false}},
		{"skipped with true", "pkg", "act", "vpc", `{"a":1,"b":2}`, "[smoke shared]", "skipped", 1500 * time.Millisecond, 5 * time.Minute, Retry{4, time.Second, 2, 30 * time.Second, false}},
		{"not skipped with false", "pkg", "act", "vpc", `{"a":1,"b":2}`, "[smoke shared]", "", 1500 * time.Millisecond, 5 * time.Minute, Retry{4, time.Second, 2, 30 * time.Second, false}},
	}
	for i, w := range want {
		tt := ts[i]
		st := tt.Steps[0]
		body, _ := st.Body(nil)
		got := row{tt.Name, st.Package.String(), st.Action.String(), st.Platform.String(), string(body), fmt.Sprint(tt.Tags), tt.Skip, st.Timeout, tt.Deadline, *st.Retry}
		if got != w {
			t.Errorf("test %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
}

func TestNoRetryMeansNil(t *testing.T) {
	p := loadOne(t, minimal, Options{})
	st := p.Suites[0].Tests[0].Steps[0]
	if st.Retry != nil || st.Timeout != 0 || p.Suites[0].Tests[0].Deadline != 2*time.Minute || st.Platform.String() != "" {
		t.Errorf("defaults: retry=%v timeout=%v deadline=%v platform=%q", st.Retry, st.Timeout, p.Suites[0].Tests[0].Deadline, st.Platform.String())
	}
}

// `retry.idempotent` and a `timeout` of 0, which is sent (TimeoutSet),
// unlike a missing one.
func TestRetryIdempotentAndTimeoutZero(t *testing.T) {
	p := loadOne(t, `suite: s
tests:
  - {name: zero, action: p/a, timeout: 0, retry: {idempotent: true}}
  - {name: none, action: p/a, retry: {attempts: 2}}
`, Options{})
	zero, none := p.Suites[0].Tests[0].Steps[0], p.Suites[0].Tests[1].Steps[0]
	if !zero.TimeoutSet || zero.Timeout != 0 || !zero.Retry.Idempotent {
		t.Errorf("timeout: 0 gives TimeoutSet %v, Timeout %v, idempotent %v; want true, 0, true", zero.TimeoutSet, zero.Timeout, zero.Retry.Idempotent)
	}
	if none.TimeoutSet || none.Retry.Idempotent {
		t.Errorf("no timeout gives TimeoutSet %v, idempotent %v; want false, false", none.TimeoutSet, none.Retry.Idempotent)
	}
	dir := writeFiles(t, map[string]string{"s.yaml": "suite: s\ntests:\n  - {name: t, action: p/a, retry: {idempotent: yes please}}\n"})
	_, err := Load([]string{filepath.Join(dir, "s.yaml")}, Options{})
	if err == nil || !strings.Contains(err.Error(), "s.yaml:3") || !strings.Contains(err.Error(), "retry.idempotent: expected true or false") {
		t.Errorf("a bad idempotent: %v", err)
	}
}
