// Command benchtable reads `go test -bench` output (several -count runs)
// on stdin and prints, for every benchmark and metric, the min, median and
// max over the runs:
//
//	go test -run='^$' -bench=. -count=5 ./bench/ | benchtable
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

type key struct{ bench, unit string }

func run(in io.Reader, out io.Writer) error {
	values := map[key][]float64{}
	var order []key
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		// BenchmarkName-P  ITERATIONS  VALUE UNIT  VALUE UNIT ...
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i]
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			k := key{strings.TrimPrefix(name, "Benchmark"), f[i+1]}
			if _, seen := values[k]; !seen {
				order = append(order, k)
			}
			values[k] = append(values[k], v)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	fmt.Fprintf(out, "%-40s %-16s %5s %12s %12s %12s\n", "benchmark", "metric", "runs", "min", "median", "max")
	for _, k := range order {
		v := slices.Clone(values[k])
		slices.Sort(v)
		fmt.Fprintf(out, "%-40s %-16s %5d %12s %12s %12s\n", k.bench, k.unit, len(v), num(v[0]), num(v[len(v)/2]), num(v[len(v)-1]))
	}
	return nil
}

func num(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
