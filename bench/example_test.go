package bench_test

import (
	"fmt"
	"os"

	"github.com/specrun/specrun/bench"
)

// Write a spec tree of 250 tests, 100 to a file, for a benchmark.
func ExampleWriteSpecs() {
	dir, err := os.MkdirTemp("", "specs")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	files, err := bench.WriteSpecs(dir, bench.SpecOptions{Tests: 250})
	if err != nil {
		panic(err)
	}
	fmt.Println(files, "files")
	// Output: 3 files
}
