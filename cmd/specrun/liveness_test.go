package main

import (
	"testing"

	"github.com/specrun/specrun/internal/fakeenv"
)

// TestProgressPlan: a run is never silent. On a terminal the console keeps
// a live progress line whatever the colour settings (NO_COLOR included);
// TERM=dumb and every non-terminal get status lines, on stdout beside the
// console's lines, on stderr when stdout carries a machine format.
func TestProgressPlan(t *testing.T) {
	env := fakeenv.Lookup
	tests := []struct {
		name     string
		format   string
		terminal bool
		env      func(string) (string, bool)
		want     liveness
	}{
		{"console on a terminal", "console", true, env("TERM", "xterm"), liveness{live: true}},
		{"console on a terminal with NO_COLOR", "console", true, env("NO_COLOR", "1", "TERM", "xterm"), liveness{live: true}},
		{"console on a dumb terminal", "console", true, env("TERM", "dumb"), liveness{statusTo: "stdout"}},
		{"console into a pipe", "console", false, env(), liveness{statusTo: "stdout"}},
		{"tap into a pipe", "tap", false, env(), liveness{statusTo: "stderr"}},
		{"jsonl on a terminal", "jsonl", true, env(), liveness{statusTo: "stderr"}},
		{"json", "json", false, env(), liveness{statusTo: "stderr"}},
	}
	for _, tt := range tests {
		if got := progressPlan(tt.format, tt.terminal, tt.env); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
