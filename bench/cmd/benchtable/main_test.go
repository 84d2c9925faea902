package main

import (
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			name: "min median max over counts, per benchmark and metric, in first-seen order",
			in: `goos: linux
BenchmarkOverhead-2   	1	300 ns/op	1.10 runner/bare
BenchmarkOverhead-2   	1	100 ns/op	1.30 runner/bare
BenchmarkOverhead-2   	1	200 ns/op	1.20 runner/bare
BenchmarkScale/tests=1000-2 	1	5000 ns/test
PASS
`,
			want: `benchmark                                metric            runs          min       median          max
Overhead                                 ns/op                3          100          200          300
Overhead                                 runner/bare          3        1.100        1.200        1.300
Scale/tests=1000                         ns/test              1         5000         5000         5000
`,
		},
		{
			name: "lines that are not results are ignored",
			in:   "BenchmarkX-2 --- FAIL\nok  \tpkg\t1.0s\n",
			want: "benchmark                                metric            runs          min       median          max\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			if err := run(strings.NewReader(tt.in), &out); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out.String(), tt.want)
			}
		})
	}
}
