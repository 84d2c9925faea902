// Command yamlparse reads the spec files that specrun would load for its
// arguments and parses each into a yaml.Node with go.yaml.in/yaml/v3, on as
// many goroutines as specrun loads with, and does nothing else:
//
//	yamlparse PATH...
//
// It is the floor of loading as a whole process, for bench/run.sh: specrun
// must at least parse its files, and its loading target is stated against
// yaml.v3 alone. It prints the number of files parsed; a file that cannot
// be read or parsed fails it with exit status 1.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/specrun/specrun/bench"
	"github.com/specrun/specrun/spec"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "yamlparse:", err)
		os.Exit(1)
	}
}

func run(paths []string, out io.Writer) error {
	if len(paths) == 0 {
		return errors.New("usage: yamlparse PATH...")
	}
	files := spec.Files(paths)
	if len(files) == 0 {
		return fmt.Errorf("no spec files under %v", paths)
	}
	if err := bench.ParseYAML(files); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "%d files\n", len(files))
	return err
}
