package spec_test

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/specrun/specrun/bench"
	"github.com/specrun/specrun/spec"
)

// BenchmarkLoadVsYAML holds Load against yaml.v3 alone parsing the same
// files into yaml.Node (read, parse, on as many goroutines as Load uses),
// side by side in each iteration, alternating which goes first: the
// load/yaml ratios of wall and CPU time are the figures (target: at most
// 1.5). The cases are bench/cmd/specgen's tests, 20,000 of them in one file
// and in 200 files (2,000 with -short or CI set).
func BenchmarkLoadVsYAML(b *testing.B) {
	tests := 20000
	if testing.Short() || os.Getenv("CI") != "" {
		tests = 2000
	}
	for _, c := range []struct {
		name    string
		perFile int
	}{{"one-file", tests}, {"files-of-100", 100}} {
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			if _, err := bench.WriteSpecs(dir, bench.SpecOptions{Tests: tests, PerFile: c.perFile}); err != nil {
				b.Fatal(err)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
			var load, parse, loadCPU, parseCPU time.Duration
			i := 0
			for b.Loop() {
				steps := []func(){
					func() { w, c := timed(func() { loadAll(b, dir, tests) }); load, loadCPU = load+w, loadCPU+c },
					func() { w, c := timed(func() { parseAll(b, files) }); parse, parseCPU = parse+w, parseCPU+c },
				}
				if i%2 == 1 {
					steps[0], steps[1] = steps[1], steps[0]
				}
				i++
				runtime.GC() // neither side pays for the other's garbage
				steps[0]()
				runtime.GC()
				steps[1]()
			}
			b.ReportMetric(float64(load)/float64(parse), "load/yaml")
			b.ReportMetric(float64(loadCPU)/float64(parseCPU), "cpu-load/yaml")
			b.ReportMetric(float64(load.Nanoseconds())/float64(i*tests), "load-ns/test")
			b.ReportMetric(float64(parse.Nanoseconds())/float64(i*tests), "yaml-ns/test")
		})
	}
}

func loadAll(b *testing.B, dir string, tests int) {
	p, err := spec.Load([]string{dir}, spec.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if p.Tests() != tests {
		b.Fatalf("loaded %d tests, want %d", p.Tests(), tests)
	}
}

// parseAll reads and parses every file into a yaml.Node, as Load does
// before decoding, on as many goroutines as Load uses.
func parseAll(b *testing.B, files []string) {
	if err := bench.ParseYAML(files); err != nil {
		b.Fatal(err)
	}
}

// timed runs f and returns its wall time and the process's CPU time
// (user and system) meanwhile.
func timed(f func()) (wall, cpu time.Duration) {
	c0, t0 := processCPU(), time.Now()
	f()
	return time.Since(t0), processCPU() - c0
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
