#!/usr/bin/env bash
# bench/run.sh: specrun's performance measurements in one run, as ratios.
#
#   bench/run.sh                 # the standard set (a few minutes)
#   BIG=1 bench/run.sh           # also 100,000 tests, whole process and Go benchmark
#   RUNS=3 REPS=10 bench/run.sh  # fewer repetitions
#
# Needs only Go. Everything runs on loopback against the built-in emulator,
# every loop is bounded, and every run stops by itself. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"      # whole-process size runs and Go benchmark -count
REPS="${REPS:-30}"     # start-up repetitions
BIG="${BIG:-}"         # non-empty: add 100k tests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s\n' "$*"; }

step "machine"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo "go: $(go version)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
echo "GOMAXPROCS: ${GOMAXPROCS:-default (all cpus)}"

step "build"
# The static build the README recommends (CGO_ENABLED=0), and for start-up
# the default build too, which links the C library when cgo is available.
CGO_ENABLED=0 go build -o "$work/specrun" ./cmd/specrun
go build -o "$work/specrun-default" ./cmd/specrun
go build -o "$work/specgen" ./bench/cmd/specgen
go build -o "$work/pmeasure" ./bench/cmd/pmeasure
go build -o "$work/benchtable" ./bench/cmd/benchtable
bin="$work/specrun"
measure() { "$work/pmeasure" "$@"; }

step "5. start-up: whole process, $REPS runs each (min median max)"
"$work/specgen" -tests 1 -out "$work/one"
measure -n "$REPS" -label "true (process floor)" -- /bin/true | tee "$work/startup.txt"
measure -n "$REPS" -label "specrun --version" -- "$bin" --version | tee -a "$work/startup.txt"
measure -n "$REPS" -label "specrun validate (1 file)" -- "$bin" validate "$work/one/specs" | tee -a "$work/startup.txt"
measure -n "$REPS" -label "default build: specrun --version" -- "$work/specrun-default" --version | tee -a "$work/startup.txt"

step "3. size scaling: whole process, load + run (--parallel 64) + three reports, $RUNS runs each"
sizes="1000 10000"
[ -n "$BIG" ] && sizes="$sizes 100000"
: >"$work/size.txt"
for n in $sizes; do
  "$work/specgen" -tests "$n" -out "$work/s$n"
  out="$work/s$n"
  measure -n "$RUNS" -label "tests=$n" -- "$bin" --local "$out/manifest.yaml" "$out/specs" \
    --parallel 64 --format tap --report-junit "$out/j.xml" --report-tap "$out/t.tap" --report-json "$out/r.json" \
    | tee -a "$work/size.txt"
done

step "2. latency-bound: whole process, 1,000 tests of a 100 ms action, $RUNS runs each"
"$work/specgen" -tests 1000 -action slow -delay 100ms -out "$work/slow"
: >"$work/latency.txt"
for p in 100 1000; do
  measure -n "$RUNS" -label "parallel=$p" -- "$bin" --local "$work/slow/manifest.yaml" "$work/slow/specs" \
    --parallel "$p" --format tap | tee -a "$work/latency.txt"
done

step "1-4. Go benchmarks, -count=$RUNS (min median max over the runs)"
benv=()
[ -n "$BIG" ] && benv+=(SPECRUN_BENCH_BIG=1)
# The whole-run benchmarks once per count (each iteration is thousands of
# tests); the per-invocation ones with the default -benchtime.
env "${benv[@]}" go test -run='^$' -bench='^Benchmark(Overhead|LatencyBound|Scale)$' -benchtime=1x -count="$RUNS" -timeout=30m ./bench/ \
  | tee "$work/gobench.txt" | grep -E '^(Benchmark|ok|FAIL)' || true
go test -run='^$' -bench='^Benchmark(RunnerOnly|Sign|Invoke)$' -count="$RUNS" ./bench/ | tee -a "$work/gobench.txt" | grep -E '^(Benchmark|ok|FAIL)' || true
go test -run='^$' -bench='^(BenchmarkResolveDynamic|BenchmarkCheck100KB)$' -count="$RUNS" ./spec/ ./assert/ | tee -a "$work/gobench.txt" | grep -E '^(Benchmark|ok|FAIL)' || true
"$work/benchtable" <"$work/gobench.txt" | tee "$work/table.txt"

step "ratios (median of each side; targets in brackets)"
# pmeasure columns: label(1..k) wall_ms min med max cpu_ms min med max rss_mb min med max,
# read from the end so that labels may hold spaces.
fromend() { awk -v l="$1 " -v back="$2" 'index($0, l) == 1 { print $(NF - back) }' "$3"; }
tbl() { awk -v b="$1" -v m="$2" '$1 == b && $2 == m { print $5 }' "$work/table.txt"; }
ver=$(fromend "specrun --version" 9 "$work/startup.txt")
val=$(fromend "specrun validate" 9 "$work/startup.txt")
floor=$(fromend "true" 9 "$work/startup.txt")
printf '%-52s %s\n' "1. runner / bare net/http, wall [<= 1.2]" "$(tbl Overhead runner/bare)"
printf '%-52s %s\n' "1. runner / bare net/http, CPU" "$(tbl Overhead cpu-runner/bare)"
printf '%-52s %s\n' "1. Client.Invoke alone / bare, wall" "$(tbl Overhead client/bare)"
printf '%-52s %s\n' "2. latency p=100 wall / 1 s ideal [<= 1.15]" "$(tbl LatencyBound/parallel=100 wall/ideal)"
printf '%-52s %s\n' "2. latency p=100 runner / bare loop, wall" "$(tbl LatencyBound/parallel=100 runner/bare)"
printf '%-52s %s\n' "2. latency p=1000 wall / 0.1 s ideal" "$(tbl LatencyBound/parallel=1000 wall/ideal)"
printf '%-52s %s\n' "2. latency p=1000 runner / bare loop, wall" "$(tbl LatencyBound/parallel=1000 runner/bare)"
for n in $sizes; do
  w=$(fromend "tests=$n" 9 "$work/size.txt"); c=$(fromend "tests=$n" 5 "$work/size.txt"); r=$(fromend "tests=$n" 1 "$work/size.txt")
  printf '%-52s %s\n' "3. tests=$n: wall ms / test, CPU ms / test, peak RSS MB [100k < 512]" \
    "$(awk -v w="$w" -v c="$c" -v n="$n" -v r="$r" 'BEGIN { printf "%.4f  %.4f  %s", w / n, c / n, r }')"
done
printf '%-52s %s\n' "3. Go: ns/test 10k / 1k [~1]" "$(awk -v a="$(tbl Scale/tests=10000 ns/test)" -v b="$(tbl Scale/tests=1000 ns/test)" 'BEGIN { if (a && b) printf "%.2f", a / b; else print "n/a" }')"
printf '%-52s %s\n' "4. runner's own work per test (no HTTP), ns" "$(tbl RunnerOnly ns/test)"
printf '%-52s %s\n' "4. sign, ns/op" "$(tbl Sign ns/op)"
printf '%-52s %s\n' "5. specrun --version, ms (process floor $floor) [< 20]" "$ver"
printf '%-52s %s\n' "5. specrun validate (1 file), ms [< 20]" "$val"
printf '%-52s %s\n' "5. specrun --version, default (cgo) build, ms" "$(fromend "default build: specrun --version" 9 "$work/startup.txt")"
