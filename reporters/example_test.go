package reporters_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/specrun/specrun/reporters"
)

func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "specrun-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "report.txt")

	err = reporters.WriteFile(path, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, "1 passed")
		return err
	})
	if err != nil {
		fmt.Println(fmt.Errorf("text report: %w", err))
		return
	}
	b, _ := os.ReadFile(path)
	fmt.Print(string(b))
	// Output: 1 passed
}
