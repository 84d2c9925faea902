package monitor

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"time"
)

// fingerprint is what the monitor knows of its files: the size and the
// modification time of every regular file under its paths. A file edited,
// added, removed or renamed changes it.
type fingerprint map[string]fileStamp

type fileStamp struct {
	size    int64
	modTime time.Time
}

// fingerprintOf walks paths; an unreadable path or entry counts as absent.
func fingerprintOf(paths []string) fingerprint {
	fp := fingerprint{}
	for _, root := range paths {
		// A path that is a link to a directory is walked through.
		if resolved, err := filepath.EvalSymlinks(root); err == nil {
			root = resolved
		}
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			// Stat, not d.Info: a symbolic link (a Kubernetes ConfigMap's
			// files are links to its current version) counts by its target.
			info, err := os.Stat(path)
			if err == nil && info.Mode().IsRegular() {
				fp[path] = fileStamp{size: info.Size(), modTime: info.ModTime()}
			}
			return nil
		})
	}
	return fp
}

func (fp fingerprint) equal(o fingerprint) bool {
	return maps.Equal(fp, o)
}
