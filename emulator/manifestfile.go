package emulator

import (
	"errors"
	"io/fs"

	"github.com/specrun/specrun/internal/inputfile"
)

// readManifest reads the manifest file at path: a regular file (a named
// pipe or a device is refused before it is opened, so nothing can block or
// exhaust the load) of at most inputfile.MaxSize bytes, the cap of spec
// files. Its errors are a *ManifestError at the file, saying what to do.
func readManifest(path string) ([]byte, error) {
	data, err := inputfile.Read(path, inputfile.MaxSize)
	if err == nil {
		return data, nil
	}
	var nr *inputfile.NotRegularError
	var tl *inputfile.TooLargeError
	msg := "cannot read the manifest: " + err.Error()
	switch {
	case errors.As(err, &nr):
		msg = nr.Reason() + "; give the path of a YAML manifest"
	case errors.As(err, &tl):
		msg = "file " + tl.Reason()
	case errors.Is(err, fs.ErrNotExist):
		msg = "no such file: check the manifest's path"
	case errors.Is(err, fs.ErrPermission):
		msg = "permission denied: make the manifest readable"
	}
	return nil, &ManifestError{Pos: Pos{File: path}, Msg: msg}
}
