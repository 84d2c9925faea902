// Package inputfile reads the files a user names (spec files, var files,
// JSON Schema files, emulator manifests) safely: a path that is not a
// regular file (a named pipe, a device, a socket, a directory) is refused
// before it is opened for reading, so that nothing specrun reads can block
// it, and a file larger than a cap is refused without being read whole.
package inputfile

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxSize is the cap on spec, var, schema and manifest files: 10 MB.
const MaxSize = 10 << 20

// NotRegularError is the error for a path that names something other than a
// regular file.
type NotRegularError struct {
	Path string
	// Kind says what the path is: "a named pipe (FIFO)", "a directory", ...
	Kind string
}

// Error reads "PATH is not a regular file: it is KIND".
func (e *NotRegularError) Error() string { return e.Path + " " + e.Reason() }

// Reason is Error without the path: "is not a regular file: it is KIND".
func (e *NotRegularError) Reason() string { return "is not a regular file: it is " + e.Kind }

// TooLargeError is the error for a file larger than the cap it was read
// with.
type TooLargeError struct {
	Path  string
	Limit int64
}

// Error reads "PATH is larger than N MB".
func (e *TooLargeError) Error() string { return e.Path + " " + e.Reason() }

// Reason is Error without the path, with what to do: "is larger than 10
// MB: a file this large is not supported; split it".
func (e *TooLargeError) Reason() string {
	return "is larger than " + Size(e.Limit) + ": a file this large is not supported; split it"
}

// Size writes a byte count for messages: "10 MB" for whole megabytes, "512
// bytes" otherwise.
func Size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Read returns the contents of the regular file at path (symbolic links
// followed), at most limit bytes. It checks what path is before opening it,
// opens it without waiting for a writer (so that a named pipe swapped in
// between cannot block), and checks the opened file again. Errors are a
// *NotRegularError, a *TooLargeError, or the *fs.PathError of the failed
// call.
func Read(path string, limit int64) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := Check(path, info); err != nil {
		return nil, err
	}
	f, err := openNoWait(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := Check(path, info); err != nil {
		return nil, err
	}
	if info.Size() > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	var buf bytes.Buffer
	buf.Grow(int(info.Size()) + 1)
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	if int64(buf.Len()) > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	return buf.Bytes(), nil
}

// Check returns a *NotRegularError unless info describes a regular file.
func Check(path string, info fs.FileInfo) error {
	if info.Mode().IsRegular() {
		return nil
	}
	return &NotRegularError{Path: path, Kind: Kind(info.Mode())}
}

// Kind names the type of a file mode for messages: "a regular file", "a
// directory", "a named pipe (FIFO)", ...
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "an irregular file"
}
