package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/reporters/jsonreport"
	"github.com/specrun/specrun/reporters/junit"
	"github.com/specrun/specrun/reporters/tap"
	"github.com/specrun/specrun/runner"
)

// overheadParallel is the --parallel of BenchmarkOverhead.
const overheadParallel = 64

// BenchmarkOverhead sends N invocations of the emulator's fixed-result
// action through runner.Run at --parallel 64, and the same N signed POSTs
// through a bare net/http loop with 64 goroutines, to the same in-process
// emulator over loopback TCP. Both are timed in every iteration, in
// alternating order, so that noise hits both alike. Metrics: runner/bare
// (wall-time ratio, target <= 1.2), cpu-runner/bare (process CPU-time ratio,
// emulator included on both sides), and µs per invocation of each. A third
// contender, Client.Invoke from the same 64 goroutines without the runner,
// splits the overhead: client/bare is the client's share (response JSON
// decoded, error body parsed), runner/bare over client/bare the runner's.
//
// N is SPECRUN_BENCH_N, else 10,000 (1,000 with -short or in CI).
func BenchmarkOverhead(b *testing.B) {
	def := 10000
	if small() {
		def = 1000
	}
	n := envInt(b, "SPECRUN_BENCH_N", def)
	srv := startEmulator(b, Manifest(0), 1000)
	endpoint := srv.URL + "/api/v2"
	_, p := writeAndLoad(b, SpecOptions{Tests: n})
	cl := newClient(b, endpoint, overheadParallel)

	// The bare loop: the same signer, the same transport settings, no
	// runner; and the client loop: Client.Invoke (JSON decoded, error body
	// parsed) from the same 64 goroutines, no runner.
	hc := &http.Client{Transport: client.NewSigner(benchCreds, client.NewTransport(overheadParallel), time.Now)}
	b.Cleanup(hc.CloseIdleConnections)
	url := endpoint + "/packages/" + Package + "/actions/" + FixedAction + "?timeout=30000"
	bareOne := barePost(hc, url)
	ccl := newClient(b, endpoint, overheadParallel)
	clientOne := func(i int64) error {
		body := []byte(`{"name":"bench","i":` + strconv.FormatInt(i, 10) + `}`)
		r, err := ccl.Invoke(context.Background(), client.Invocation{Package: Package, Action: FixedAction, Timeout: 30 * time.Second, Body: body})
		if err != nil {
			return err
		}
		if r.StatusCode != http.StatusOK || r.JSON == nil {
			return fmt.Errorf("HTTP %d, JSON error %v", r.StatusCode, r.JSONErr)
		}
		return nil
	}
	bare, viaClient := loop(b, n, overheadParallel, bareOne), loop(b, n, overheadParallel, clientOne)
	run := func() { runAll(b, p, cl, overheadParallel) }

	// Warm the pools up, outside the timing.
	run()
	bare()
	viaClient()

	var runWall, bareWall, runCPU, bareCPU, cliWall, cliCPU time.Duration
	measure := func(f func(), wall, cpu *time.Duration) {
		settle()
		c0, t0 := cpuTime(b), time.Now()
		f()
		*wall += time.Since(t0)
		*cpu += cpuTime(b) - c0
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			measure(run, &runWall, &runCPU)
			measure(viaClient, &cliWall, &cliCPU)
			measure(bare, &bareWall, &bareCPU)
		} else {
			measure(bare, &bareWall, &bareCPU)
			measure(viaClient, &cliWall, &cliCPU)
			measure(run, &runWall, &runCPU)
		}
		i++
	}
	b.ReportMetric(float64(runWall)/float64(bareWall), "runner/bare")
	b.ReportMetric(float64(runCPU)/float64(bareCPU), "cpu-runner/bare")
	b.ReportMetric(float64(cliWall)/float64(bareWall), "client/bare")
	b.ReportMetric(float64(cliCPU)/float64(bareCPU), "cpu-client/bare")
	b.ReportMetric(float64(runWall.Microseconds())/float64(i*n), "µs/inv-runner")
	b.ReportMetric(float64(bareWall.Microseconds())/float64(i*n), "µs/inv-bare")
}

// BenchmarkLatencyBound runs 1,000 tests whose action answers after 100 ms,
// at --parallel 100 (ideal: ten waves, 1 s) and 1000 (ideal: one wave,
// 0.1 s). Metrics: wall-s, the run's wall time, wall/ideal, and cpu-s, the
// process CPU time of the run (emulator included): when wall-s exceeds the
// ideal by about cpu-s divided by the cores available, the machine's CPU,
// not the scheduling, is what is missing. runner/bare compares the run with
// the same requests from a bare net/http loop at the same concurrency, also
// starting cold, measured in the same iteration. With -short or in CI, 200 tests
// (ideal 0.2 s and 0.1 s).
func BenchmarkLatencyBound(b *testing.B) {
	tests, delay := 1000, 100*time.Millisecond
	if small() {
		tests = 200
	}
	srv := startEmulator(b, Manifest(delay), 2*tests)
	_, p := writeAndLoad(b, SpecOptions{Tests: tests, Action: SlowAction})
	for _, par := range []int{100, 1000} {
		b.Run("parallel="+strconv.Itoa(par), func(b *testing.B) {
			cl := newClient(b, srv.URL+"/api/v2", par)
			hc := &http.Client{Transport: client.NewSigner(benchCreds, client.NewTransport(par), time.Now)}
			bare := loop(b, tests, par, barePost(hc, srv.URL+"/api/v2/packages/"+Package+"/actions/"+SlowAction+"?timeout=30000"))
			ideal := time.Duration((tests+par-1)/par) * delay
			var wall, cpu, bareWall time.Duration
			runs := 0
			for b.Loop() {
				c0, t0 := cpuTime(b), time.Now()
				runAll(b, p, cl, par)
				wall += time.Since(t0)
				cpu += cpuTime(b) - c0
				runs++
				// Each run starts cold, as a process does.
				cl.CloseIdleConnections()
				t0 = time.Now()
				bare()
				bareWall += time.Since(t0)
				hc.CloseIdleConnections()
			}
			b.ReportMetric(float64(wall)/float64(bareWall), "runner/bare")
			mean := wall / time.Duration(runs)
			b.ReportMetric(mean.Seconds(), "wall-s")
			b.ReportMetric(float64(mean)/float64(ideal), "wall/ideal")
			b.ReportMetric((cpu / time.Duration(runs)).Seconds(), "cpu-s")
		})
	}
}

// BenchmarkScale loads, runs (--parallel 64) and reports (JUnit, TAP,
// JSON, to io.Discard) 1k and 10k tests, and 100k with SPECRUN_BENCH_BIG=1
// (10k is left out with -short or in CI). Metrics per test: ns/test (all
// phases), load-, run- and report-ns/test, B/test allocated, and the peak
// live heap in MB (the in-process emulator's included).
func BenchmarkScale(b *testing.B) {
	sizes := []int{1000, 10000}
	if small() {
		sizes = sizes[:1]
	}
	if envInt(b, "SPECRUN_BENCH_BIG", 0) > 0 {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("tests=%d", n), func(b *testing.B) {
			srv := startEmulator(b, Manifest(0), 1000)
			dir, _ := writeAndLoad(b, SpecOptions{Tests: n})
			cl := newClient(b, srv.URL+"/api/v2", overheadParallel)
			var load, run, report time.Duration
			var alloc, peak uint64
			runs := 0
			for b.Loop() {
				settle()
				a0 := totalAlloc()
				hp := startHeapPeak()
				t0 := time.Now()
				p := mustLoad(b, dir)
				t1 := time.Now()
				res := runAll(b, p, cl, overheadParallel)
				t2 := time.Now()
				writeReports(b, res)
				t3 := time.Now()
				peak = max(peak, hp.stop())
				alloc += totalAlloc() - a0
				load += t1.Sub(t0)
				run += t2.Sub(t1)
				report += t3.Sub(t2)
				runs++
			}
			per := float64(runs * n)
			b.ReportMetric(float64(load+run+report)/per, "ns/test")
			b.ReportMetric(float64(load)/per, "load-ns/test")
			b.ReportMetric(float64(run)/per, "run-ns/test")
			b.ReportMetric(float64(report)/per, "report-ns/test")
			b.ReportMetric(float64(alloc)/per, "B/test")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

func writeReports(tb testing.TB, res *runner.Result) {
	tb.Helper()
	if err := junit.Write(io.Discard, res); err != nil {
		tb.Fatal(err)
	}
	if err := tap.Write(io.Discard, res, tap.Options{}); err != nil {
		tb.Fatal(err)
	}
	if err := jsonreport.Write(io.Discard, res); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkRunnerOnly is the runner's own work per test, with no HTTP: an
// in-memory Invoker answers every invocation with the same decoded
// response. Variables, scheduling, assertions and results are all in it;
// 10,000 tests (1,000 with -short or in CI). Its allocs/test (the
// runner's own: each TestResult, StepResult, Attempt and their slices, the
// test's context, a share of the run's fixed costs) is information, not a
// budget; -race changes it.
func BenchmarkRunnerOnly(b *testing.B) {
	n := 10000
	if small() {
		n = 1000
	}
	_, p := writeAndLoad(b, SpecOptions{Tests: n})
	inv := newCannedInvoker(b)
	b.ReportAllocs()
	runs := 0
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	for b.Loop() {
		runAll(b, p, inv, overheadParallel)
		runs++
	}
	elapsed := time.Since(t0)
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(elapsed)/float64(runs*n), "ns/test")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(runs*n), "allocs/test")
}

// BenchmarkSign is one request signature (HMAC-SHA256 and Base64); see also
// BenchmarkResolveDynamic (spec) and BenchmarkCheck100KB (assert).
func BenchmarkSign(b *testing.B) {
	b.ReportAllocs()
	const uri = "/api/v2/packages/bench/actions/fixed?platform=classic&timeout=30000"
	for b.Loop() {
		if client.Sign(http.MethodPost, uri, "1764249600000", benchCreds.AccessKey, benchCreds.SecretKey) == "" {
			b.Fatal("empty signature")
		}
	}
}

// BenchmarkInvoke is one Client.Invoke against the emulator over loopback,
// sequentially: signing, the round trip, the body read and its one JSON
// decode.
func BenchmarkInvoke(b *testing.B) {
	srv := startEmulator(b, Manifest(0), 1000)
	cl := newClient(b, srv.URL+"/api/v2", 1)
	inv := client.Invocation{Package: Package, Action: FixedAction, Timeout: 30 * time.Second, Body: []byte(`{"name":"bench"}`)}
	b.ReportAllocs()
	for b.Loop() {
		r, err := cl.Invoke(context.Background(), inv)
		if err != nil || r.StatusCode != http.StatusOK {
			b.Fatalf("invoke: %v %v", r, err)
		}
	}
}

// barePost returns a function that sends one signed POST with hc to url
// and reads the body away: the least an invocation can cost.
func barePost(hc *http.Client, url string) func(int64) error {
	return func(i int64) error {
		body := []byte(`{"name":"bench","i":` + strconv.FormatInt(i, 10) + `}`)
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
		return nil
	}
}

// loop returns a function that calls one n times from par goroutines, each
// taking the next index, and fails tb on the first error.
func loop(tb testing.TB, n, par int, one func(int64) error) func() {
	return func() {
		var next atomic.Int64
		var wg sync.WaitGroup
		var failed atomic.Value
		for range par {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1)
					if i > int64(n) {
						return
					}
					if err := one(i); err != nil {
						failed.Store(err.Error())
						return
					}
				}
			}()
		}
		wg.Wait()
		if f := failed.Load(); f != nil {
			tb.Fatalf("loop: %v", f)
		}
	}
}
