package main

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// scaffold is what init writes: a spec, a manifest with a local action, and
// a GitHub Actions workflow; TestInitScaffoldPasses runs them.
//
//go:embed all:scaffold
var scaffold embed.FS

// initCommand scaffolds a project that passes at once.
func (sys *system) initCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "scaffold specs, a manifest and a CI workflow that pass at once",
		Long: `Writes a working start into DIR (default the current directory):
specs/hello.yaml, manifest.yaml with local actions for the built-in emulator,
actions/greet.sh, and .github/workflows/specrun.yml, which runs the specs on
every pull request. 'specrun --local DIR/manifest.yaml DIR/specs' passes
right away. init never overwrites a file: when any of them exists, it writes
nothing.`,
		Example: "  specrun init myproject\n  specrun --local myproject/manifest.yaml myproject/specs",
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("init", "init takes at most one DIR, got %d arguments", len(args))
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
		RunE: func(_ *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return sys.initCmd(dir)
		},
	}
}

// scaffoldFile is one file init writes.
type scaffoldFile struct {
	name   string // slash-separated, under the scaffold
	target string // where it goes
	data   []byte
}

func (sys *system) initCmd(dir string) error {
	files, err := scaffoldFiles(dir)
	if err != nil {
		return err
	}
	var exist []string
	for _, f := range files {
		if _, err := os.Lstat(f.target); err == nil {
			exist = append(exist, f.target)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return &exitError{code: exitUsage, err: fmt.Errorf("init: %w: nothing was written", err)}
		}
	}
	if len(exist) > 0 {
		verb := "exists"
		if len(exist) > 1 {
			verb = "exist"
		}
		return &exitError{code: exitUsage, err: fmt.Errorf("init never overwrites a file, and %s already %s: nothing was written; choose another DIR or move them away", wordList(quoteAll(exist), "and"), verb)}
	}
	if err := writeScaffold(files); err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(sys.stdout, "created %s\n", f.target)
	}
	fmt.Fprintf(sys.stdout, "\nRun the specs against the built-in emulator:\n  specrun --local %s %s\n",
		filepath.Join(dir, "manifest.yaml"), filepath.Join(dir, "specs"))
	fmt.Fprintf(sys.stdout, "The workflow %s expects %s to be the repository's root.\n",
		filepath.Join(dir, ".github", "workflows", "specrun.yml"), dir)
	return nil
}

// scaffoldFiles lists the scaffold with each file's place under dir.
func scaffoldFiles(dir string) ([]scaffoldFile, error) {
	var files []scaffoldFile
	err := fs.WalkDir(scaffold, "scaffold", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := scaffold.ReadFile(name)
		rel := strings.TrimPrefix(name, "scaffold/")
		files = append(files, scaffoldFile{name: rel, target: filepath.Join(dir, filepath.FromSlash(rel)), data: data})
		return err
	})
	return files, err
}

// writeScaffold creates every file, never replacing one (O_EXCL, should one
// appear after the check); on failure it removes what it wrote.
func writeScaffold(files []scaffoldFile) error {
	var written []string
	for _, f := range files {
		perm := os.FileMode(0o644)
		if path.Ext(f.name) == ".sh" {
			perm = 0o755
		}
		err := os.MkdirAll(filepath.Dir(f.target), 0o755)
		if err == nil {
			err = writeNew(f.target, f.data, perm)
		}
		if err != nil {
			for _, w := range written {
				_ = os.Remove(w)
			}
			return fmt.Errorf("init: %w (removed the files it had written)", err)
		}
		written = append(written, f.target)
	}
	return nil
}

// writeNew writes a file that must not exist yet.
func writeNew(name string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}

// quoteAll quotes each string.
func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
