//go:build unix

package inputfile

import (
	"os"
	"syscall"
)

// openNoWait opens path for reading with O_NONBLOCK: opening a named pipe
// then returns at once instead of waiting for a writer. On a regular file
// the flag changes nothing.
func openNoWait(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
