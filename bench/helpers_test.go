package bench

import (
	"context"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/emulator"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// Credentials of the in-process emulator; loopback only, never real keys.
var benchCreds = client.Credentials{AccessKey: "BENCHACCESSKEY0001", SecretKey: "bench-secret-key-0001"}

// small reports whether the benchmarks should use their CI sizes: with
// -short, or when the CI variable is set (as .ci/run does).
func small() bool {
	if testing.Short() {
		return true
	}
	v, _ := os.LookupEnv("CI")
	return v != "" && v != "false" && v != "0"
}

// envInt reads a positive integer from the environment, else def.
func envInt(tb testing.TB, name string, def int) int {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		tb.Fatalf("%s=%q: want a positive whole number", name, v)
	}
	return n
}

// startEmulator serves manifest over real TCP on loopback.
func startEmulator(tb testing.TB, manifest []byte, maxActivations int) *httptest.Server {
	tb.Helper()
	m, err := emulator.ParseManifest("bench.yaml", manifest)
	if err != nil {
		tb.Fatal(err)
	}
	emu := emulator.New(m, emulator.Options{AccessKey: benchCreds.AccessKey, SecretKey: benchCreds.SecretKey, MaxActivations: maxActivations})
	srv := httptest.NewServer(emu)
	tb.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	return srv
}

// writeAndLoad writes a spec tree of opts into a temporary directory and
// returns the directory and the loaded project.
func writeAndLoad(tb testing.TB, opts SpecOptions) (string, *spec.Project) {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := WriteSpecs(dir, opts); err != nil {
		tb.Fatal(err)
	}
	p, err := spec.Load([]string{dir}, spec.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if got := p.Tests(); got != opts.Tests {
		tb.Fatalf("loaded %d tests, want %d", got, opts.Tests)
	}
	return dir, p
}

func newClient(tb testing.TB, endpoint string, parallel int) *client.Client {
	tb.Helper()
	cl, err := client.New(client.Config{Endpoint: endpoint, Credentials: benchCreds, Parallelism: parallel})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(cl.CloseIdleConnections)
	return cl
}

// runAll runs p and fails tb unless every test passed.
func runAll(tb testing.TB, p *spec.Project, inv runner.Invoker, parallel int) *runner.Result {
	tb.Helper()
	res := runner.Run(context.Background(), p, inv, runner.Options{Parallel: parallel, Secrets: []string{benchCreds.SecretKey}}, nil)
	if c := res.Counts(); c.Passed != c.Total {
		tb.Fatalf("%d of %d tests passed; first problem: %s", c.Passed, c.Total, firstProblem(res))
	}
	return res
}

func firstProblem(res *runner.Result) string {
	for _, s := range res.Suites {
		for _, t := range s.Tests {
			if t.Status == runner.Pass {
				continue
			}
			if _, a := t.Decisive(); a != nil {
				if a.Err != "" {
					return a.Err
				}
				if len(a.Failures) > 0 {
					return a.Failures[0].Summary()
				}
			}
			return t.Status.String() + " " + t.Reason
		}
	}
	return "none"
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapPeak samples the live heap (runtime/metrics, no stop-the-world) every
// millisecond until stop is called, and returns the largest value seen.
type heapPeak struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak uint64
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func startHeapPeak() *heapPeak {
	h := &heapPeak{done: make(chan struct{})}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		s := []metrics.Sample{{Name: heapMetric}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			h.peak = max(h.peak, s[0].Value.Uint64())
			select {
			case <-h.done:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

// stop ends sampling and returns the peak in bytes.
func (h *heapPeak) stop() uint64 {
	close(h.done)
	h.wg.Wait()
	return h.peak
}

// totalAlloc is the bytes allocated so far by the process.
func totalAlloc() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// settle collects garbage so that a measurement starts from the live heap.
func settle() { runtime.GC() }
