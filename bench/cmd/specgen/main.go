// Command specgen writes the spec trees and the manifest that bench/run.sh
// feeds to the specrun binary:
//
//	specgen -tests 10000 -out DIR [-action fixed|slow] [-delay 100ms]
//
// It writes DIR/manifest.yaml and DIR/specs/suite-NNNNN.yaml.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/specrun/specrun/bench"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "specgen:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("specgen", flag.ContinueOnError)
	tests := fs.Int("tests", 1000, "number of tests")
	perFile := fs.Int("per-file", 100, "tests per file")
	out := fs.String("out", "", "output directory (required)")
	action := fs.String("action", bench.FixedAction, "action every test invokes: fixed or slow")
	delay := fs.Duration("delay", 0, "delay of the slow action (0: no slow action)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *tests < 1 {
		return fmt.Errorf("give -out DIR and -tests N (N >= 1)")
	}
	specs := filepath.Join(*out, "specs")
	if err := os.MkdirAll(specs, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "manifest.yaml"), bench.Manifest(*delay), 0o644); err != nil {
		return err
	}
	_, err := bench.WriteSpecs(specs, bench.SpecOptions{Tests: *tests, PerFile: *perFile, Action: *action})
	return err
}
