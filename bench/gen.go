package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Package and action names of the manifest that Manifest writes.
const (
	Package     = "bench"
	FixedAction = "fixed"
	SlowAction  = "slow"
)

// Manifest returns an emulator manifest with two actions in package
// "bench": "fixed", which answers a small fixed result at once, and "slow",
// which answers the same result after delay (no "slow" action when delay is
// zero or less).
func Manifest(delay time.Duration) []byte {
	var b strings.Builder
	b.WriteString("namespace: bench\npackages:\n  " + Package + ":\n    actions:\n")
	b.WriteString("      " + FixedAction + ": {result: {ok: true, payload: abc, n: 3, items: [{id: 1}, {id: 2}]}}\n")
	if delay > 0 {
		fmt.Fprintf(&b, "      %s: {result: {ok: true, payload: abc, n: 3, items: [{id: 1}, {id: 2}]}, delay: %s}\n", SlowAction, delay)
	}
	return []byte(b.String())
}

// SpecOptions shapes the spec tree that WriteSpecs writes.
type SpecOptions struct {
	// Tests is the number of tests in all.
	Tests int
	// PerFile is the number of tests in each file; zero means 100.
	PerFile int
	// Action is the action every test invokes; empty means FixedAction.
	Action string
}

// WriteSpecs writes opts.Tests tests into dir, opts.PerFile to a file
// (suite-00000.yaml, ...), each test with a variable in its parameters and
// the expectations a typical spec has: a subset match on the result and two
// path assertions. It returns the number of files written.
func WriteSpecs(dir string, opts SpecOptions) (int, error) {
	per := opts.PerFile
	if per <= 0 {
		per = 100
	}
	action := opts.Action
	if action == "" {
		action = FixedAction
	}
	files := 0
	for first := 0; first < opts.Tests; first += per {
		n := min(per, opts.Tests-first)
		var b strings.Builder
		b.Grow(n * 260)
		fmt.Fprintf(&b, "suite: suite %05d\nvars:\n  who: bench\ndefaults:\n  package: %s\n  timeout: 30s\ntests:\n", files, Package)
		for i := first; i < first+n; i++ {
			b.WriteString("  - name: test " + strconv.Itoa(i) + "\n")
			b.WriteString("    action: " + action + "\n")
			b.WriteString("    params: {name: \"${who}\", i: " + strconv.Itoa(i) + "}\n")
			b.WriteString("    expect:\n      result: {ok: true}\n      assert:\n")
			b.WriteString("        - path: content.response.result.payload\n          equals: abc\n")
			b.WriteString("        - path: content.response.result.items[*].id\n          count: 2\n")
		}
		name := filepath.Join(dir, fmt.Sprintf("suite-%05d.yaml", files))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			return files, fmt.Errorf("writing the bench specs: %w", err)
		}
		files++
	}
	return files, nil
}
