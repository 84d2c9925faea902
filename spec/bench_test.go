package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// writeSpecTree writes files spec files of perFile tests each under dir.
func writeSpecTree(b testing.TB, dir string, files, perFile int) {
	b.Helper()
	for f := range files {
		var s strings.Builder
		fmt.Fprintf(&s, "suite: suite %04d\nvars:\n  pkg: package%03d\ndefaults:\n  package: ${pkg}\n  timeout: 10s\ntags: [generated]\ntests:\n", f, f%100)
		for t := range perFile {
			fmt.Fprintf(&s, `  - name: test %d
    action: action%03d
    tags: [t%d]
    params: {name: Cloud Functions, place: NAVER Cloud, n: %d}
    expect:
      result: {payload: abc}
      assert:
        - path: content.response.result.payload
          equals: abc
        - path: content.duration
          lt: 1000
`, t, t, t%3, t)
		}
		p := filepath.Join(dir, fmt.Sprintf("d%02d", f%10), fmt.Sprintf("s%04d.yaml", f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkLoad(b *testing.B, files, perFile int) {
	dir := b.TempDir()
	writeSpecTree(b, dir, files, perFile)
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		p, err := Load([]string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if p.Tests() != files*perFile {
			b.Fatalf("loaded %d tests", p.Tests())
		}
	}
	// On a shared machine wall time says little: report the CPU time too.
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLoad10k loads 10,000 tests from 1,000 files.
func BenchmarkLoad10k(b *testing.B) { benchmarkLoad(b, 1000, 10) }

// BenchmarkLoad1k loads 1,000 tests from 100 files, to show Load is linear.
func BenchmarkLoad1k(b *testing.B) { benchmarkLoad(b, 100, 10) }

// BenchmarkResolveDynamic measures Step.Body with one capture.
func BenchmarkResolveDynamic(b *testing.B) {
	dir := b.TempDir()
	spec := `tests:
  - name: t
    steps:
      - action: p/login
        capture: {token: content.response.result.token}
      - action: p/a
        params: {auth: "Bearer ${token}", name: Cloud Functions, place: NAVER Cloud, n: 3}
`
	file := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(file, []byte(spec), 0o644); err != nil {
		b.Fatal(err)
	}
	p, err := Load([]string{file}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	st := p.Suites[0].Tests[0].Steps[1]
	vars := map[string]any{"token": "abc.def.ghi"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := st.Body(vars); err != nil {
			b.Fatal(err)
		}
	}
}
