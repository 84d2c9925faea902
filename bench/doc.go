// Package bench holds specrun's performance benchmarks and the helpers that
// build their inputs: spec trees of any size and the emulator manifest they
// run against.
//
// The benchmarks (bench_test.go) measure ratios rather than absolute times,
// because the machines they run on are shared and noisy:
//
//   - BenchmarkOverhead: N invocations through runner.Run against the same N
//     signed POSTs sent by a bare net/http loop at the same concurrency, to
//     the same in-process emulator; the metric runner/bare is the overhead.
//   - BenchmarkLatencyBound: 1,000 tests whose action sleeps 100 ms at
//     --parallel 100 and 1000; the metric is wall time against the ideal.
//   - BenchmarkScale: load, run and all three reports for 1k, 10k (and,
//     with SPECRUN_BENCH_BIG=1, 100k) tests; time and bytes per test, peak
//     heap.
//   - BenchmarkRunnerOnly: the runner's own cost per test, with an
//     in-memory Invoker instead of HTTP.
//
// Environment variables (all optional):
//
//	SPECRUN_BENCH_N=10000   invocations of BenchmarkOverhead (default 10000)
//	SPECRUN_BENCH_BIG=1     add the 100k-test case to BenchmarkScale
//
// With -short, or when CI is set (as .ci/run does), the sizes shrink so that
// `go test -run='^$' -bench=. -benchtime=1x ./bench/` takes well under a
// minute: N=1,000, 200 latency-bound tests, only the 1k scale case, 1,000
// tests for BenchmarkRunnerOnly. The figures are then a smoke test, not a
// measurement.
//
// run.sh adds the whole-process measurements (start-up, size scaling with
// peak RSS) and prints a table; see README.md.
package bench
