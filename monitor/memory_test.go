package monitor

import (
	"bufio"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkMonitorMemory runs the monitor b.N times against the emulator
// (a passing and a failing suite, so each run keeps a failure's exchange
// and a JSON page) and reports the heap and the RSS after a warm-up and
// after the runs. Memory must stay flat; measure it over a thousand runs:
//
//	go test -run '^$' -bench MonitorMemory -benchtime 1000x ./monitor/
func BenchmarkMonitorMemory(b *testing.B) {
	// Logs go nowhere: a buffer of them would grow with the runs.
	h := start(b, Config{Paths: []string{"testdata/specs"}, Load: secretLoader("testdata/specs"), Run: realRun(startEmulator(b)),
		Log: slog.New(slog.DiscardHandler)})
	h.run()
	for range 20 { // warm up: pools, buffers and series reach their size
		h.tick()
		h.run()
	}
	heapBefore, rssBefore, goBefore := memory()
	b.ResetTimer()
	for range b.N {
		h.tick()
		if h.run() == nil {
			b.Fatal("a run failed to start")
		}
	}
	b.StopTimer()
	heapAfter, rssAfter, goAfter := memory()
	b.ReportMetric(float64(heapBefore), "heap-before-B")
	b.ReportMetric(float64(heapAfter), "heap-after-B")
	b.ReportMetric(float64(rssBefore), "rss-before-B")
	b.ReportMetric(float64(rssAfter), "rss-after-B")
	b.ReportMetric(float64(goAfter-goBefore), "goroutines-added")
	b.Logf("%d runs: heap %d -> %d bytes, RSS %d -> %d bytes, goroutines %d -> %d", b.N, heapBefore, heapAfter, rssBefore, rssAfter, goBefore, goAfter)
}

// memory is the live heap after a collection, the process's resident set
// (0 where /proc is missing) and the number of goroutines.
func memory() (heap, rss uint64, goroutines int) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, residentSet(), runtime.NumGoroutine()
}

func residentSet() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
