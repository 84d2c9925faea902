package bench

import (
	"fmt"
	"os"
	"runtime"

	yaml "go.yaml.in/yaml/v3"
	"golang.org/x/sync/errgroup"
)

// ParseYAML reads each file and parses it into a yaml.Node with yaml.v3, on
// as many goroutines as spec.Load decodes files with, and keeps nothing: the
// least that loading the same files can cost, which the loading figures are
// held against. The first file that cannot be read or parsed is returned as
// an error naming it.
func ParseYAML(files []string) error {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, f := range files {
		g.Go(func() error {
			data, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			var n yaml.Node
			if err := yaml.Unmarshal(data, &n); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			return nil
		})
	}
	return g.Wait()
}
