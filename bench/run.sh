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
go build -o "$work/ncpsign" ./bench/cmd/ncpsign
go build -o "$work/yamlparse" ./bench/cmd/yamlparse
# hey, the raw load generator the whole process is held against (a Go module,
# built from the module proxy like the project's own dependencies).
GOBIN="$work" go install github.com/rakyll/hey@v0.1.5
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

step "6. whole process against hey: the same signed POSTs of the fixed action to one specrun serve, parallel 64, $RUNS pairs each"
# hey cannot sign, but signature v2 covers the method, the URI, the timestamp
# and the access key, not the body: ncpsign signs the one URI specgen's tests
# call, and hey sends those headers with every request (the emulator accepts
# a timestamp for 5 minutes). Each pair runs both, in alternating order,
# against the same server; the ratios are specrun / hey within a pair.
export NCLOUD_ACCESS_KEY=bench-access NCLOUD_SECRET_KEY=bench-secret
"$work/specgen" -tests 1 -out "$work/serve"
"$bin" serve --addr 127.0.0.1:0 "$work/serve/manifest.yaml" >"$work/serve.out" 2>&1 &
serve_pid=$!
# "|| true": under set -e a failing kill (the server already stopped) would
# end the trap there, leave $work behind and make the script exit 1.
trap 'kill "$serve_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/serve.out" ] && break; sleep 0.1; done
base=$(head -1 "$work/serve.out")
uri="/api/v2/packages/bench/actions/fixed?timeout=30000"
# The server's CPU time so far, in ms (utime + stime of /proc/PID/stat, in
# clock ticks): what it spends answering each side is measured, not assumed.
tick=$(getconf CLK_TCK)
srvcpu() { awk -v t="$tick" '{ printf "%d", ($14 + $15) * 1000 / t }' "/proc/$serve_pid/stat"; }
# cpumed LINE: the median CPU ms of one pmeasure line; wallmed: its wall ms.
cpumed() { awk '{ print $(NF - 5) }' <<<"$1"; }
wallmed() { awk '{ print $(NF - 9) }' <<<"$1"; }
: >"$work/hey.txt"
for n in 4000 20000; do
  "$work/specgen" -tests "$n" -out "$work/h$n"
  for i in $(seq "$RUNS"); do
    mapfile -t hdr < <("$work/ncpsign" POST "$uri")
    hey=("$work/hey" -n "$n" -c 64 -m POST -T application/json -d '{"name":"bench","i":1}' -H "${hdr[0]}" -H "${hdr[1]}" -H "${hdr[2]}" "${base%/api/v2}$uri")
    sr=("$bin" --endpoint "$base" "$work/h$n/specs" --parallel 64 --format tap)
    heyside() { local c0; c0=$(srvcpu); h=$(measure -n 1 -warmup 0 -label hey -- "${hey[@]}"); sh=$(($(srvcpu) - c0)); }
    srside() { local c0; c0=$(srvcpu); s=$(measure -n 1 -warmup 0 -label specrun -- "${sr[@]}"); ss=$(($(srvcpu) - c0)); }
    if [ $((i % 2)) -eq 1 ]; then heyside; srside; else srside; heyside; fi
    # Loading alone (specrun validate of the same specs), and yaml.v3 alone
    # parsing the same files on as many goroutines, for scale.
    v=$(measure -n 1 -warmup 0 -label validate -- "$bin" validate "$work/h$n/specs")
    y=$(measure -n 1 -warmup 0 -label yamlparse -- "$work/yamlparse" "$work/h$n/specs")
    # Fields: n, wall ratio, CPU ratio, then the medians in ms: hey wall and
    # CPU, specrun wall and CPU, validate wall and CPU, yaml.v3 alone CPU,
    # the server's CPU during hey and during specrun, specrun's peak RSS MB.
    awk -v n="$n" -v hw="$(wallmed "$h")" -v hc="$(cpumed "$h")" -v sw="$(wallmed "$s")" -v sc="$(cpumed "$s")" \
      -v vw="$(wallmed "$v")" -v vc="$(cpumed "$v")" -v yc="$(cpumed "$y")" -v sh="$sh" -v ss="$ss" -v rss="$(awk '{ print $NF }' <<<"$s")" \
      'BEGIN { printf "%s wall %.3f cpu %.3f hey %s %s specrun %s %s validate %s %s yaml %s server %s %s rss %s\n", n, sw / hw, sc / hc, hw, hc, sw, sc, vw, vc, yc, sh, ss, rss }' \
      | tee -a "$work/hey.txt"
  done
done
kill "$serve_pid" 2>/dev/null || true

step "1-4. Go benchmarks, -count=$RUNS (min median max over the runs)"
benv=()
[ -n "$BIG" ] && benv+=(SPECRUN_BENCH_BIG=1)
# The whole-run benchmarks once per count (each iteration is thousands of
# tests); the per-invocation ones with the default -benchtime.
env "${benv[@]}" go test -run='^$' -bench='^Benchmark(Overhead|LatencyBound|Scale)$' -benchtime=1x -count="$RUNS" -timeout=30m ./bench/ \
  | tee "$work/gobench.txt" | grep -E '^(Benchmark|ok|FAIL)' || true
go test -run='^$' -bench='^Benchmark(RunnerOnly|Sign|Invoke)$' -count="$RUNS" ./bench/ | tee -a "$work/gobench.txt" | grep -E '^(Benchmark|ok|FAIL)' || true
go test -run='^$' -bench='^(BenchmarkResolveDynamic|BenchmarkCheck100KB)$' -count="$RUNS" ./spec/ ./assert/ | tee -a "$work/gobench.txt" | grep -E '^(Benchmark|ok|FAIL)' || true
# 7. loading against yaml.v3 alone, side by side in each iteration.
go test -run='^$' -bench='^BenchmarkLoadVsYAML$' -benchtime=3x -count="$RUNS" ./spec/ | tee -a "$work/gobench.txt" | grep -E '^(Benchmark|ok|FAIL)' || true
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
  printf '%-52s %s\n' "3. tests=$n: wall ms / test, CPU ms / test, peak RSS MB [100k < 150]" \
    "$(awk -v w="$w" -v c="$c" -v n="$n" -v r="$r" 'BEGIN { printf "%.4f  %.4f  %s", w / n, c / n, r }')"
done
printf '%-52s %s\n' "3. Go: ns/test 10k / 1k [~1]" "$(awk -v a="$(tbl Scale/tests=10000 ns/test)" -v b="$(tbl Scale/tests=1000 ns/test)" 'BEGIN { if (a && b) printf "%.2f", a / b; else print "n/a" }')"
printf '%-52s %s\n' "4. runner's own work per test (no HTTP), ns" "$(tbl RunnerOnly ns/test)"
printf '%-52s %s\n' "4. sign, ns/op" "$(tbl Sign ns/op)"
printf '%-52s %s\n' "5. specrun --version, ms (process floor $floor) [< 20]" "$ver"
printf '%-52s %s\n' "5. specrun validate (1 file), ms [< 20]" "$val"
minmedmax() { sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.3f %.3f %.3f", v[1], v[int((NR + 1) / 2)], v[NR]; else print "n/a" }'; }
for n in 4000 20000; do
  target=1.2; [ "$n" = 4000 ] && target=1.3
  printf '%-52s %s\n' "6. specrun / hey, $n, wall min med max [<= $target]" "$(awk -v n="$n" '$1 == n { print $3 }' "$work/hey.txt" | minmedmax)"
  printf '%-52s %s\n' "6. specrun / hey, $n, CPU min med max" "$(awk -v n="$n" '$1 == n { print $5 }' "$work/hey.txt" | minmedmax)"
  printf '%-52s %s\n' "6. validate (load alone) / hey, $n, CPU min med max" "$(awk -v n="$n" '$1 == n { print $14 / $8 }' "$work/hey.txt" | minmedmax)"
  printf '%-52s %s\n' "6. server CPU during hey, $n, ms min med max" "$(awk -v n="$n" '$1 == n { print $18 }' "$work/hey.txt" | minmedmax)"
  printf '%-52s %s\n' "6. server CPU during specrun, $n, ms min med max" "$(awk -v n="$n" '$1 == n { print $19 }' "$work/hey.txt" | minmedmax)"
  # The floor: specrun's CPU-bound ratio if loading cost no more than
  # yaml.v3's parse and each request no more than hey's, with the server's
  # CPU on the same cores: (yaml + hey + server) / (hey + server).
  printf '%-52s %s\n' "6. floor (yaml.v3 + hey + server) / (hey + server), $n" "$(awk -v n="$n" '$1 == n { print ($16 + $8 + $18) / ($8 + $18) }' "$work/hey.txt" | minmedmax)"
  # What the target leaves a request when loading costs 1.5x yaml.v3 (the
  # loading target): (target x (hey + server) - server - 1.5 x yaml) / n.
  printf '%-52s %s\n' "6. CPU µs a request may cost for $target, load at 1.5x yaml" "$(awk -v n="$n" -v t="$target" '$1 == n { print (t * ($8 + $18) - $18 - 1.5 * $16) * 1000 / n }' "$work/hey.txt" | minmedmax)"
  printf '%-52s %s\n' "6. hey's own CPU µs a request, $n" "$(awk -v n="$n" '$1 == n { print $8 * 1000 / n }' "$work/hey.txt" | minmedmax)"
done
for c in one-file files-of-100; do
  printf '%-52s %s\n' "7. load / yaml.v3 alone, $c, CPU min med max [<= 1.5]" \
    "$(awk -v b="LoadVsYAML/$c" '$1 == b && $2 == "cpu-load/yaml" { print $4, $5, $6 }' "$work/table.txt")"
  printf '%-52s %s\n' "7. load / yaml.v3 alone, $c, wall min med max" \
    "$(awk -v b="LoadVsYAML/$c" '$1 == b && $2 == "load/yaml" { print $4, $5, $6 }' "$work/table.txt")"
done
printf '%-52s %s\n' "5. specrun --version, default (cgo) build, ms" "$(fromend "default build: specrun --version" 9 "$work/startup.txt")"
