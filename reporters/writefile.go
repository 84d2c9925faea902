package reporters

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// FileMode is the permission WriteFile gives a report it writes (before the
// process umask, which os.Chmod does not apply): readable by everyone,
// writable by the owner.
const FileMode fs.FileMode = 0o644

// WriteFile replaces the file at path with what write produces, atomically:
// write is given a buffered writer on a new temporary file in the same
// directory as path; the file is then flushed, synced to disk, given mode
// FileMode and renamed over path. Readers see either the old file or the
// complete new one, never a part.
//
// When write or any step fails, the temporary file is removed, an existing
// file at path is left untouched, and the error names path, as in
// "writing out/report.xml: ...". Callers add what the file is:
// fmt.Errorf("JUnit report: %w", err). A missing directory of path is
// created (mode 0755, parents included).
//
// WriteFile is safe for concurrent use on different paths. write must not
// keep the writer after it returns.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	st, statErr := os.Stat(dir)
	if errors.Is(statErr, fs.ErrNotExist) {
		// As test tools do (--report-junit reports/junit.xml in a fresh
		// CI checkout), the report's directory is made when missing.
		if mkErr := os.MkdirAll(dir, 0o755); mkErr != nil {
			return fmt.Errorf("writing %s: creating its directory: %w", path, mkErr)
		}
		st, statErr = os.Stat(dir)
	}
	if statErr != nil {
		return fmt.Errorf("writing %s: %w", path, statErr)
	} else if !st.IsDir() {
		return fmt.Errorf("writing %s: %s is not a directory", path, dir)
	}
	if st, statErr := os.Stat(path); statErr == nil && st.IsDir() {
		return fmt.Errorf("writing %s: it is a directory; give a file name", path)
	}

	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close() // may already be closed; the first error is the one to report
			_ = os.Remove(tmp)
		}
	}()

	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Chmod(FileMode); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: syncing: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable where the platform allows it; failures
// are ignored because the file itself is already complete and in place.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
