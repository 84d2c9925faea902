//go:build !unix

package inputfile

import "os"

// openNoWait opens path for reading; where there are no named pipes to
// wait on, a plain open.
func openNoWait(path string) (*os.File, error) { return os.Open(path) }
