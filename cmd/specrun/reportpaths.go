package main

import (
	"os"
	"path/filepath"
	"slices"

	"github.com/specrun/specrun/emulator"
	"github.com/specrun/specrun/reporters"

	"github.com/specrun/specrun/spec"
)

// stdoutPath is the report path that means standard output.
const stdoutPath = "-"

// reportFile is one --report-* flag that was given.
type reportFile struct {
	flag, path string
}

// reportFiles lists the report flags given, in flag order.
func (o *runOptions) reportFiles() []reportFile {
	var out []reportFile
	for _, r := range []reportFile{{"--report-junit", o.reportJUnit}, {"--report-tap", o.reportTAP}, {"--report-json", o.reportJSON}, {"--report-html", o.reportHTML}} {
		if r.path != "" {
			out = append(out, r)
		}
	}
	return out
}

// checkReportPaths refuses, before anything is read or run, report paths
// that would overwrite one of the run's inputs (a spec file, also one found
// in a directory, a --var-file, the --local manifest) or another report,
// whatever the spelling (symbolic links, hard links, ./ and ../ included),
// and a report to standard output (-) when --format already writes there.
func checkReportPaths(o *runOptions, paths []string) error {
	reports := o.reportFiles()
	for i, r := range reports {
		if r.path == stdoutPath {
			if o.format != "console" {
				return usagef("run", "%s -: standard output already carries --format %s; give the report a file", r.flag, o.format)
			}
			for _, prev := range reports[:i] {
				if prev.path == stdoutPath {
					return usagef("run", "%s and %s both write to standard output (-): give one of them a file", prev.flag, r.flag)
				}
			}
			continue
		}
		for _, prev := range reports[:i] {
			if prev.path != stdoutPath && sameFile(prev.path, r.path) {
				return usagef("run", "%s %s and %s %s are the same file: give each report a file of its own", prev.flag, prev.path, r.flag, r.path)
			}
		}
	}
	inputs := append(spec.Files(paths), o.varFiles...)
	if o.local != "" {
		inputs = append(inputs, o.local)
	}
	return checkReportInputs(o, inputs)
}

// checkReportInputs refuses a report path that is one of inputs.
func checkReportInputs(o *runOptions, inputs []string) error {
	for _, r := range o.reportFiles() {
		if r.path == stdoutPath {
			continue
		}
		for _, in := range inputs {
			if sameFile(r.path, in) {
				return usagef("run", "%s %s would overwrite %s, an input of this run: give the report another path", r.flag, r.path, in)
			}
		}
	}
	return nil
}

// manifestFiles lists the files a manifest's actions run: node and python
// scripts, programs, and the arguments of exec that name files.
func manifestFiles(m *emulator.Manifest) []string {
	var files []string
	for _, p := range m.Packages {
		for _, a := range p.Actions {
			files = append(files, a.File, a.Program)
			for _, arg := range a.Exec {
				if !filepath.IsAbs(arg) {
					arg = filepath.Join(m.Dir, arg)
				}
				if info, err := os.Stat(arg); err == nil && info.Mode().IsRegular() {
					files = append(files, arg)
				}
			}
		}
	}
	return slices.DeleteFunc(files, func(f string) bool { return f == "" })
}

// sameFile reports whether a and b name the same file: the same existing
// file (os.SameFile), or the same place once made absolute with the
// symbolic links of their directories resolved.
func sameFile(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	return place(a) == place(b)
}

// place is path made absolute, with the symbolic links of its directory
// resolved as far as they exist; a dangling link is replaced by the file it
// names, where a report through it is written (reporters.WriteFile).
func place(path string) string {
	if t, err := reporters.Target(path); err == nil {
		path = t
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	dir, base := filepath.Split(abs)
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(d, base)
	}
	return abs
}
