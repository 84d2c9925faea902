package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/specrun/specrun/internal/inputfile"
	"github.com/specrun/specrun/internal/redact"
)

// Options configures Load. The zero value loads with no extra variables and
// reads the process environment.
type Options struct {
	// Vars are --var NAME=VALUE pairs, VALUE as written on the command line.
	// A value is read as a YAML scalar, so --var n=3 is the number 3 and
	// --var ok=true the boolean true; an empty value is the empty string.
	// Vars win over VarFiles, which win over a suite's vars.
	Vars []string
	// VarFiles are --var-file paths: YAML mappings of variables, taken
	// literally (no ${...} substitution). Later files win over earlier ones.
	VarFiles []string
	// Secrets are --secret names: their values are listed in
	// Project.Secrets. Naming a variable that no suite, --var, --var-file
	// or capture defines is an error.
	Secrets []string
	// LookupEnv reads the environment for ${env.NAME}; nil means
	// os.LookupEnv. Load calls it from several goroutines at once.
	LookupEnv func(string) (string, bool)
	// Credentials are values that are secrets whatever Secrets names: the
	// API keys (client.CredentialValues). They are replaced as the values
	// of Secrets are where Load replaces those (problems), but are not
	// listed in Project.Secrets: the run redacts the keys it signs with.
	Credentials []string
}

// specFile is one file to load and the suite name it gets by default.
type specFile struct {
	path string
	name string
}

// Load reads every file and directory in paths (directories walked
// recursively for *.yaml and *.yml, skipping directories whose name starts
// with "."), decodes and validates them strictly, substitutes every variable
// known at load time, compiles every assertion, and returns the project with
// its suites in lexical path order. When anything is wrong it returns a nil
// project and all problems of all files, each a *Error, joined with
// errors.Join in file, line and column order. Files are decoded
// concurrently; the result does not depend on scheduling.
func Load(paths []string, opts Options) (*Project, error) {
	var probs problems
	if len(paths) == 0 {
		probs.add(Pos{File: "specrun"}, "no spec files given: name files or directories")
	}
	globals := loadGlobals(opts, &probs)
	files := collect(paths, &probs)
	sh, err := newShared()
	if err != nil {
		return nil, err
	}
	suites, decs, fileProbs := decodeFiles(files, globals, opts, sh)

	all := probs.list
	for i := range fileProbs {
		all = append(all, fileProbs[i].list...)
	}
	p := &Project{}
	var secretProbs problems
	p.Secrets = secrets(opts.Secrets, globals, decs, &secretProbs)
	p.SecretNames = append([]string(nil), opts.Secrets...)
	p.SecretValues = make(map[string][]string, len(opts.Secrets))
	for _, name := range opts.Secrets {
		p.SecretValues[name] = secrets([]string{name}, globals, decs, &problems{})
	}
	p.SchemaFiles = sh.schemas.Files()
	var renamed map[*Suite]bool
	if static := slices.Concat(p.Secrets, opts.Credentials); len(static) > 0 {
		p.static = redact.New(static)
		var nameProbs []*Error
		renamed, nameProbs = hideSecretsInNames(suites, p.static)
		all = append(all, nameProbs...)
	}
	all = append(all, p.addSuites(suites, renamed)...)
	all = append(all, secretProbs.list...)
	if len(all) > 0 && p.static != nil {
		// A message may quote a value made of a secret (a field that
		// fails to load): redact them all, in every form, and also what
		// is left of a secret in a value cut short before the secrets
		// were known (see clip).
		for _, e := range all {
			e.Msg = p.static.Cut(e.Msg, clipMark)
		}
	}
	if err := joinErrors(all); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeFiles decodes files in parallel, GOMAXPROCS at a time. It returns,
// in the order of files, each file's suite (nil when it did not load), its
// decoder and its problems.
func decodeFiles(files []specFile, globals *globalVars, opts Options, sh *shared) ([]*Suite, []*fileDec, []problems) {
	suites := make([]*Suite, len(files))
	fileProbs := make([]problems, len(files))
	decs := make([]*fileDec, len(files))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		g.Go(func() error {
			d := &fileDec{rawDecoder: rawDecoder{file: f.path, probs: &fileProbs[i]}, dir: filepath.Dir(f.path), globals: globals, lookupEnv: opts.LookupEnv, sh: sh}
			decs[i] = d
			suites[i] = d.load(f)
			return nil
		})
	}
	_ = g.Wait()
	return suites, decs, fileProbs
}

// addSuites appends the loaded suites (skipping nil ones) to p.Suites in
// order, setting each one's Index. A suite whose name an earlier suite
// already uses is left out and returned as a problem; renamed are the
// suites whose names had secrets hidden (hideSecretsInNames).
func (p *Project) addSuites(suites []*Suite, renamed map[*Suite]bool) []*Error {
	var dups []*Error
	byName := map[string]*Suite{}
	for _, s := range suites {
		if s == nil {
			continue
		}
		if prev, dup := byName[s.Name]; dup {
			how := ""
			if renamed[s] || renamed[prev] {
				how = " once secrets are replaced by ***"
			}
			dups = append(dups, &Error{Pos: s.Pos, Msg: fmt.Sprintf("duplicate suite name %q%s: %s already uses it; set a different `suite`", s.Name, how, prev.Pos.FileLine())})
			continue
		}
		byName[s.Name] = s
		s.Index = len(p.Suites)
		p.Suites = append(p.Suites, s)
	}
	return dups
}

// load reads and decodes one file.
func (d *fileDec) load(f specFile) *Suite {
	data, err := readLimited(f.path)
	if err != nil {
		d.probs.add(Pos{File: f.path}, err.Error())
		return nil
	}
	root := parseDocument(f.path, data, d.probs, "empty file: a spec needs a `tests` list")
	if root == nil {
		return nil
	}
	return d.suite(root, f.name)
}

// readLimited reads a regular file of at most maxFileSize bytes.
func readLimited(path string) ([]byte, error) {
	data, err := inputfile.Read(path, maxFileSize)
	if err != nil {
		return nil, errors.New(describeFSError(err))
	}
	return data, nil
}

func describeFSError(err error) string {
	var nr *inputfile.NotRegularError
	if errors.As(err, &nr) {
		return nr.Reason() + "; give the path of a YAML file"
	}
	var tl *inputfile.TooLargeError
	if errors.As(err, &tl) {
		return "file " + tl.Reason()
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory: check the path"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied: make the file readable"
	}
	return "cannot read: " + err.Error()
}

// Files lists the spec files that Load would read for paths: files as
// given, directories walked as Load walks them. Paths that cannot be read
// are left out (Load reports them).
func Files(paths []string) []string {
	var probs problems
	files := collect(paths, &probs)
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.path
	}
	return out
}

// collect expands paths into spec files, sorted by path, without
// duplicates.
func collect(paths []string, probs *problems) []specFile {
	var files []specFile
	seen := map[string]bool{}
	addFile := func(path, name string) {
		key := filepath.Clean(path)
		if seen[key] {
			return
		}
		seen[key] = true
		files = append(files, specFile{path: path, name: name})
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			probs.add(Pos{File: root}, describeFSError(err))
			continue
		}
		if !info.IsDir() {
			addFile(root, filepath.Base(root))
			continue
		}
		found := 0
		err = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				probs.add(Pos{File: path}, describeFSError(err))
				return nil
			}
			if e.IsDir() {
				if path != root && strings.HasPrefix(e.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
				return nil
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				rel = path
			}
			found++
			addFile(path, filepath.ToSlash(rel))
			return nil
		})
		if err != nil {
			probs.add(Pos{File: root}, describeFSError(err))
		}
		if found == 0 {
			probs.add(Pos{File: root}, "no spec files (*.yaml, *.yml) in this directory")
		}
	}
	slices.SortStableFunc(files, func(a, b specFile) int { return strings.Compare(a.path, b.path) })
	return files
}

// secrets collects the values of the variables named by --secret: a
// mapping or a list as its JSON text and leaf by leaf, as a captured one
// is, since each leaf may be sent and shown on its own.
func secrets(names []string, g *globalVars, decs []*fileDec, probs *problems) []string {
	var out []string
	addText := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	add := func(v any) {
		if v == nil {
			return
		}
		addText(formatText(v))
		walkLeaves(v, addText)
	}
	for _, name := range names {
		defined := false
		if v, ok := g.vals[name]; ok {
			defined = true
			add(v)
		}
		for _, d := range decs {
			if d == nil || d.vars == nil {
				continue
			}
			if _, ok := d.vars[name]; ok {
				defined = true
				if _, over := g.vals[name]; !over {
					v, _, _ := d.loadVar(name, nil)
					add(v)
				}
			}
			if d.captures[name] {
				defined = true
			}
		}
		if !defined {
			probs.add(Pos{File: "--secret"}, fmt.Sprintf("%q is not a variable: no suite, --var or --var-file defines it and no step captures it", clip(name)))
		}
	}
	return out
}

// walkLeaves calls f with the text of each scalar inside a list or
// mapping v, at any depth, in a fixed order (mapping keys sorted); not
// with booleans and nulls, words of JSON rather than secrets.
func walkLeaves(v any, f func(string)) {
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			leafText(x, f)
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			leafText(v[k], f)
		}
	}
}

// leafText is walkLeaves for one item.
func leafText(v any, f func(string)) {
	switch v.(type) {
	case []any, map[string]any:
		walkLeaves(v, f)
	case bool, nil:
	default:
		f(formatText(v))
	}
}
