package main

import (
	"strings"
	"testing"
)

func TestStats(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want string
	}{
		{"one value is min, median and max", []float64{2}, "     2.0      2.0      2.0"},
		{"unsorted input is sorted", []float64{3, 1, 2}, "     1.0      2.0      3.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stats(tt.in); got != tt.want {
				t.Errorf("stats(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRunMeasuresACommand(t *testing.T) {
	var out strings.Builder
	if err := run([]string{"-n", "2", "-label", "true", "--", "/bin/true"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "true ") || !strings.Contains(out.String(), "rss_mb") {
		t.Errorf("output %q lacks the label or the columns", out.String())
	}
}

func TestRunFailsOnAFailingCommand(t *testing.T) {
	var out strings.Builder
	err := run([]string{"-n", "1", "--", "/bin/false"}, &out)
	if err == nil || !strings.Contains(err.Error(), "/bin/false: exit status 1") {
		t.Errorf("error %v, want one naming /bin/false and its exit status", err)
	}
}
