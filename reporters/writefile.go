package reporters

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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
// A path that is a symbolic link is followed: its target is replaced, the
// link stays. A link to a file that does not exist yet (a dangling link)
// writes that file, creating its directory; a relative link is read from
// the link's directory, a chain of links is followed to its end, and a loop
// is an error naming path. A path that names something other than a regular file or a
// directory (a named pipe, a device such as what /dev/stdout leads to) is
// written into in place, not replaced; so is a descriptor of the process
// (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N) whatever it leads
// to, appending to it: `--report-json /dev/stdout > out` adds the report to
// out after the console's output instead of renaming a file over it.
//
// WriteFile is safe for concurrent use on different paths. write must not
// keep the writer after it returns.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	target, inPlace, err := resolve(path)
	if err != nil {
		return err
	}
	if inPlace {
		return writeInPlace(path, target, write)
	}
	return replaceFile(path, target, write)
}

// InPlace reports whether WriteFile writes into path in place (a named
// pipe, a device, a descriptor of the process) rather than replacing it: a
// reader there sees every write, so such a path should be written once.
func InPlace(path string) bool {
	_, inPlace, _ := resolve(path)
	return inPlace
}

// Target returns the file WriteFile writes for path: path with its
// symbolic links followed, also a dangling one (a relative link is read
// from its own directory). A loop of links is an error naming path.
func Target(path string) (string, error) {
	target, _, err := resolve(path)
	return target, err
}

// maxLinks is how many symbolic links resolve follows from one path before
// it calls them a loop (Linux's limit for a path's lookup).
const maxLinks = 40

// resolve returns the file WriteFile writes for path (symbolic links
// followed, also to a file that does not exist yet) and whether it writes
// into it in place. A loop of links is an error naming path.
func resolve(path string) (target string, inPlace bool, err error) {
	target, err = filepath.EvalSymlinks(path)
	if err != nil {
		// A dangling link (to a missing file, or into a missing
		// directory) still names where the report goes.
		if target, err = followLinks(path); err != nil {
			return "", false, err
		}
	}
	st, err := os.Stat(target)
	return target, err == nil && !st.IsDir() && (!st.Mode().IsRegular() || isDescriptor(path)), nil
}

// followLinks follows path while it is a symbolic link that leads nowhere
// and returns the first name that is not one: a file that does not exist,
// or one the system opens (such as /dev/fd/1 when it is a pipe, a link
// whose text, "pipe:[N]", names no file). A relative link is read from the
// link's directory.
func followLinks(path string) (string, error) {
	p := path
	for range maxLinks {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		st, err := os.Lstat(p)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", fmt.Errorf("writing %s: %w", path, err)
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = dest
	}
	return "", fmt.Errorf("writing %s: more than %d symbolic links from it, a loop: point the link at a file", path, maxLinks)
}

// isDescriptor reports whether path names one of the process's open files.
func isDescriptor(path string) bool {
	p := filepath.ToSlash(filepath.Clean(path))
	return p == "/dev/stdout" || p == "/dev/stderr" || strings.HasPrefix(p, "/dev/fd/") || strings.HasPrefix(p, "/proc/self/fd/")
}

// writeInPlace writes into target, which is not a regular file; errors name
// path, the name the user gave.
func writeInPlace(path, target string, write func(io.Writer) error) error {
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// replaceFile replaces the regular file target (or creates it) atomically;
// errors name path, the name the user gave.
func replaceFile(path, target string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(target)
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
	if st, statErr := os.Stat(target); statErr == nil && st.IsDir() {
		return fmt.Errorf("writing %s: it is a directory; give a file name", path)
	}

	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp-*")
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
	if err := os.Rename(tmp, target); err != nil {
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
