package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/specrun/specrun/internal/jsontext"
	"github.com/specrun/specrun/internal/suggest"
	"github.com/specrun/specrun/internal/yamlnode"
)

// Pos is a position in a manifest file, for messages. Line and Col are 1-based.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as FILE:LINE:COL, or FILE for a problem of
// the whole file (Line 0).
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// ManifestError is one problem found in a manifest, at a position. LoadManifest and
// ParseManifest return all of them joined with errors.Join, in line order; use errors.As on
// the parts (or the Unwrap() []error of the joined error) to reach each one.
type ManifestError struct {
	Pos Pos
	Msg string
}

// Error formats the problem as FILE:LINE:COL: message.
func (e *ManifestError) Error() string { return e.Pos.String() + ": " + e.Msg }

// Kind says how an action produces its result.
type Kind string

// The action kinds of a manifest; exactly one is set on every action.
const (
	KindBuiltin Kind = "builtin" // Action.Builtin names it: "echo" or "counter"
	KindResult  Kind = "result"  // Action.Result is returned as is
	KindExec    Kind = "exec"    // Action.Exec is run as a native (blackbox) action
	KindNode    Kind = "node"    // Action.File is loaded by Node.js, main(params) called
	KindPython  Kind = "python"  // Action.File is loaded by Python 3, main(args) called
)

// The builtin actions.
const (
	BuiltinEcho    = "echo"    // result = the merged parameters
	BuiltinCounter = "counter" // result = {"count": n}, n = invocations of this action so far, from 1
)

// The platforms an action may serve.
const (
	PlatformClassic = "classic"
	PlatformVPC     = "vpc"
)

// DefaultActionTimeout is an action's own time limit when the manifest sets none.
const DefaultActionTimeout = 60 * time.Second

// MinActionTimeout and MaxActionTimeout bound the action time limit a manifest may set: NCP
// accepts 500 to 300000 milliseconds (NCP-API.md §2).
const (
	MinActionTimeout = 500 * time.Millisecond
	MaxActionTimeout = 300 * time.Second
)

// Manifest is a parsed, validated emulator manifest: read-only after loading, safe to share
// between goroutines and servers.
type Manifest struct {
	// File is the manifest's file name as given to ParseManifest or LoadManifest.
	File string
	// Dir is the absolute directory relative paths were resolved against, and the working
	// directory of process actions.
	Dir string
	// Namespace is served as content.namespace and content.subject; "local" when the
	// manifest sets none.
	Namespace string
	// Packages in file order. The package named "-" holds package-less actions.
	Packages []*Package
	// Concurrency is the namespace's limit on activations in flight (NCP documents 100); an
	// invocation over it answers 429 as OpenWhisk does. 0 when the manifest sets none: no limit.
	Concurrency int
}

// Package is one package of a manifest.
type Package struct {
	Name string
	Pos  Pos
	// Params are the parameters bound to the package: a JSON object, nil when none.
	Params json.RawMessage
	// Actions in file order.
	Actions []*Action
}

// Action is one action of a manifest.
type Action struct {
	Name    string
	Package string
	Pos     Pos
	Kind    Kind
	// Builtin is the builtin's name for KindBuiltin.
	Builtin string
	// Result is the fixed result (a JSON object) for KindResult.
	Result json.RawMessage
	// Exec is the argv for KindExec, as written in the manifest; Program is argv[0]
	// resolved (absolute path, or found on PATH at load time).
	Exec    []string
	Program string
	// File is the absolute path of the script for KindNode and KindPython, and Interpreter
	// the absolute path of node or python3 found on PATH at load time.
	File        string
	Interpreter string
	// Timeout is the action's own time limit (DefaultActionTimeout when not set).
	Timeout time.Duration
	// Delay is waited before the action runs, within its time limit; 0 = none.
	Delay time.Duration
	// Platforms the action serves, sorted: both by default.
	Platforms []string
	// Params are the parameters bound to the action merged over its package's (the action's
	// win): a JSON object, nil when none.
	Params json.RawMessage
	// Main is the entry point of a Node.js or Python action (OpenWhisk's exec.main): "main"
	// when the manifest sets none.
	Main string
	// ProvideAPIKey sets __OW_API_KEY in the action's environment, as OpenWhisk does for an
	// action annotated provide-api-key: true.
	ProvideAPIKey bool
}

// Action returns the action named name in package pkg ("-" for package-less actions), or nil.
func (m *Manifest) Action(pkg, name string) *Action {
	for _, p := range m.Packages {
		if p.Name != pkg {
			continue
		}
		for _, a := range p.Actions {
			if a.Name == name {
				return a
			}
		}
	}
	return nil
}

// Loader loads manifests. The zero value is ready to use and looks programs up on PATH.
type Loader struct {
	// LookPath finds a program named in the manifest (exec's argv[0] without a slash,
	// node, python3). nil means exec.LookPath.
	LookPath func(file string) (string, error)
}

// LoadManifest reads and parses the manifest at path with a zero Loader.
func LoadManifest(path string) (*Manifest, error) { return Loader{}.Load(path) }

// ParseManifest parses a manifest with a zero Loader. name is the file name used in messages;
// relative paths in the manifest resolve against filepath.Dir(name). All problems are
// returned, joined with errors.Join, each as a *ManifestError "FILE:LINE:COL: message", in
// line order.
func ParseManifest(name string, data []byte) (*Manifest, error) {
	return Loader{}.Parse(name, data)
}

// Load reads and parses the manifest at path; see ParseManifest.
func (l Loader) Load(path string) (*Manifest, error) {
	data, err := readManifest(path)
	if err != nil {
		return nil, err
	}
	return l.Parse(path, data)
}

// maxJSONNodes bounds the YAML nodes expanded into JSON values (aliases can multiply them).
const maxJSONNodes = 100000

type parser struct {
	l     Loader
	file  string
	dir   string
	errs  []*ManifestError
	nodes int
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	pos := Pos{File: p.file, Line: 1, Col: 1}
	if n != nil && n.Line > 0 {
		pos.Line, pos.Col = n.Line, n.Column
	}
	p.errs = append(p.errs, &ManifestError{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// Parse parses a manifest; see ParseManifest.
func (l Loader) Parse(name string, data []byte) (*Manifest, error) {
	dir, err := filepath.Abs(filepath.Dir(name))
	if err != nil {
		dir = filepath.Dir(name)
	}
	p := &parser{l: l, file: name, dir: dir}
	m := &Manifest{File: name, Dir: dir, Namespace: "local"}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := yamlnode.Decode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.errorf(nil, "the manifest is empty: it needs a packages mapping with at least one action")
			return nil, p.join()
		}
		p.yamlError(err)
		return nil, p.join()
	}
	var extra yaml.Node
	if err := yamlnode.Decode(dec, &extra); err == nil {
		p.errorf(&extra, "a second YAML document: a manifest is one document; remove the extra ---")
	} else if !errors.Is(err, io.EOF) {
		p.yamlError(err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	p.manifest(root, m)
	if len(p.errs) > 0 {
		return nil, p.join()
	}
	return m, nil
}

func (p *parser) yamlError(err error) {
	line, msg := yamlnode.ErrorLine(err)
	p.errs = append(p.errs, &ManifestError{Pos: Pos{File: p.file, Line: max(line, 1), Col: 1}, Msg: "invalid YAML: " + msg})
}

func (p *parser) join() error {
	sort.SliceStable(p.errs, func(i, j int) bool {
		a, b := p.errs[i].Pos, p.errs[j].Pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// entries checks that n is a mapping of string keys without duplicates, reports unknown keys
// (known nil = any key), and returns key/value pairs in order.
func (p *parser) entries(n *yaml.Node, what string, known []string) [][2]*yaml.Node {
	n = yamlnode.Deref(n)
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: want a mapping, got %s", what, yamlnode.Describe(n))
		return nil
	}
	var out [][2]*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || (k.ShortTag() != "!!str" && k.ShortTag() != "!!int") {
			p.errorf(k, "%s: keys must be strings, got %s", what, yamlnode.Describe(k))
			continue
		}
		if seen[k.Value] {
			p.errorf(k, "%s: duplicate key %q", what, k.Value)
			continue
		}
		seen[k.Value] = true
		if known != nil && !slices.Contains(known, k.Value) {
			msg := fmt.Sprintf("%s: unknown key %q", what, k.Value)
			if s := suggest.Closest(k.Value, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			msg += "; known keys: " + strings.Join(known, ", ")
			p.errorf(k, "%s", msg)
			continue
		}
		out = append(out, [2]*yaml.Node{k, v})
	}
	return out
}

func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	n = yamlnode.Deref(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		p.errorf(n, "%s: want a string, got %s", what, yamlnode.Describe(n))
		return "", false
	}
	return n.Value, true
}

func (p *parser) duration(n *yaml.Node, what string) (time.Duration, bool) {
	n = yamlnode.Deref(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		p.errorf(n, "%s: want a duration such as \"5s\" or \"500ms\", got %s", what, yamlnode.Describe(n))
		return 0, false
	}
	d, err := time.ParseDuration(n.Value)
	if err != nil {
		p.errorf(n, "%s: %q is not a duration; write one such as \"5s\" or \"500ms\"", what, n.Value)
		return 0, false
	}
	return d, true
}

var topKeys = []string{"concurrency", "namespace", "packages"}
var packageKeys = []string{"actions", "params"}
var actionKeys = []string{"builtin", "delay", "exec", "main", "node", "params", "platforms", "provide-api-key", "python", "result", "timeout"}
var kindKeys = []string{"builtin", "result", "exec", "node", "python"}
var builtins = []string{BuiltinCounter, BuiltinEcho}

func (p *parser) manifest(root *yaml.Node, m *Manifest) {
	var packages *yaml.Node
	for _, kv := range p.entries(root, "manifest", topKeys) {
		switch kv[0].Value {
		case "namespace":
			if s, ok := p.str(kv[1], "namespace"); ok {
				if s == "" || strings.Contains(s, "/") {
					p.errorf(kv[1], "namespace: %q is not a valid name: it must be non-empty and contain no \"/\"", s)
				} else {
					m.Namespace = s
				}
			}
		case "packages":
			packages = kv[1]
		case "concurrency":
			m.Concurrency = p.concurrency(kv[1])
		}
	}
	if yamlnode.Deref(root).Kind != yaml.MappingNode {
		return
	}
	if packages == nil {
		p.errorf(root, "manifest: packages is missing: add a packages mapping with at least one action")
		return
	}
	if n := yamlnode.Deref(packages); n.Kind == yaml.MappingNode && len(n.Content) == 0 {
		p.errorf(n, "packages is empty: add at least one package with actions")
	}
	for _, kv := range p.entries(packages, "packages", nil) {
		if pkg := p.pkg(kv[0], kv[1]); pkg != nil {
			m.Packages = append(m.Packages, pkg)
		}
	}
}

func (p *parser) validName(k *yaml.Node, what string) bool {
	if k.Value == "" || strings.Contains(k.Value, "/") {
		p.errorf(k, "%s %q is not a valid name: it must be non-empty and contain no \"/\"", what, k.Value)
		return false
	}
	return true
}

func (p *parser) pkg(k, v *yaml.Node) *Package {
	ok := p.validName(k, "package")
	pkg := &Package{Name: k.Value, Pos: Pos{File: p.file, Line: k.Line, Col: k.Column}}
	what := fmt.Sprintf("package %q", k.Value)
	var actions *yaml.Node
	for _, kv := range p.entries(v, what, packageKeys) {
		switch kv[0].Value {
		case "params":
			pkg.Params = p.object(kv[1], what+": params")
		case "actions":
			actions = kv[1]
		}
	}
	if yamlnode.Deref(v).Kind != yaml.MappingNode {
		return nil
	}
	if actions == nil {
		p.errorf(k, "%s: actions is missing: add an actions mapping", what)
		return nil
	}
	for _, kv := range p.entries(actions, what+": actions", nil) {
		if a := p.action(pkg, kv[0], kv[1]); a != nil {
			pkg.Actions = append(pkg.Actions, a)
		}
	}
	if !ok {
		return nil
	}
	return pkg
}

// actionDraft is what an action's keys set beyond its Action fields.
type actionDraft struct {
	kinds     []*yaml.Node
	ownParams json.RawMessage
	main      *yaml.Node
	ok        bool
}

func (p *parser) action(pkg *Package, k, v *yaml.Node) *Action {
	d := &actionDraft{ok: p.validName(k, "action")}
	a := &Action{
		Name: k.Value, Package: pkg.Name, Pos: Pos{File: p.file, Line: k.Line, Col: k.Column},
		Timeout: DefaultActionTimeout, Platforms: []string{PlatformClassic, PlatformVPC}, Main: "main",
	}
	what := fmt.Sprintf("action %q", pkg.Name+"/"+k.Value)
	for _, kv := range p.entries(v, what, actionKeys) {
		p.actionKey(a, d, kv[0], kv[1], what)
	}
	if yamlnode.Deref(v).Kind != yaml.MappingNode || !p.oneKind(k, d.kinds, what) {
		return nil
	}
	a.Params = mergeObjects(pkg.Params, d.ownParams)
	if d.main != nil && !p.entryPoint(a, d.main, what) {
		d.ok = false
	}
	if !d.ok {
		return nil
	}
	return a
}

// actionKey applies one key of an action.
func (p *parser) actionKey(a *Action, d *actionDraft, key, val *yaml.Node, what string) {
	if slices.Contains(kindKeys, key.Value) {
		d.kinds = append(d.kinds, key)
	}
	switch key.Value {
	case "builtin":
		d.ok = p.builtin(a, val, what) && d.ok
	case "result":
		a.Kind, a.Result = KindResult, p.object(val, what+": result")
	case "exec":
		a.Kind = KindExec
		p.exec(a, val, what)
	case "node", "python":
		a.Kind = Kind(key.Value)
		p.script(a, val, what)
	case "timeout", "delay":
		p.timing(a, key.Value, val, what)
	case "platforms":
		a.Platforms = p.platforms(val, what)
	case "params":
		d.ownParams = p.object(val, what+": params")
	case "main":
		d.main = val
	case "provide-api-key":
		a.ProvideAPIKey = p.boolean(val, what+": provide-api-key")
	}
}

// oneKind checks that an action sets exactly one kind key.
func (p *parser) oneKind(k *yaml.Node, kinds []*yaml.Node, what string) bool {
	switch len(kinds) {
	case 0:
		p.errorf(k, "%s has no kind: set exactly one of %s", what, strings.Join(kindKeys, ", "))
		return false
	case 1:
		return true
	}
	names := make([]string, len(kinds))
	for i, kn := range kinds {
		names[i] = kn.Value
	}
	p.errorf(kinds[1], "%s sets %s: set exactly one of %s", what, strings.Join(names, " and "), strings.Join(kindKeys, ", "))
	return false
}

// builtin sets a builtin action's kind and name; false when the name is unknown.
func (p *parser) builtin(a *Action, val *yaml.Node, what string) bool {
	s, good := p.str(val, what+": builtin")
	if !good {
		return true // reported; the action is still checked for its other keys
	}
	a.Kind, a.Builtin = KindBuiltin, s
	if slices.Contains(builtins, s) {
		return true
	}
	msg := fmt.Sprintf("%s: unknown builtin %q", what, s)
	if sg := suggest.Closest(s, builtins); sg != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", sg)
	}
	p.errorf(val, "%s; known builtins: %s", msg, strings.Join(builtins, ", "))
	return false
}

// timing sets an action's timeout or delay.
func (p *parser) timing(a *Action, key string, val *yaml.Node, what string) {
	d, good := p.duration(val, what+": "+key)
	switch {
	case !good:
	case key == "timeout" && (d < MinActionTimeout || d > MaxActionTimeout):
		p.errorf(val, "%s: timeout %s is out of range: NCP accepts an action time limit from %d to %d milliseconds (500ms to 300s); set one in that range",
			what, val.Value, MinActionTimeout.Milliseconds(), MaxActionTimeout.Milliseconds())
	case key == "timeout":
		a.Timeout = d
	case d < 0:
		p.errorf(val, "%s: delay %s is negative", what, val.Value)
	default:
		a.Delay = d
	}
}

// JavaScript names an entry point may use (a property path, as OpenWhisk's Node.js runtime
// evaluates it) and Python names (an identifier, as its launcher imports it).
var (
	jsMainRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$`)
	})
	pyMainRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })
)

// entryPoint sets a.Main from a main: entry; it is for node and python actions only.
func (p *parser) entryPoint(a *Action, n *yaml.Node, what string) bool {
	s, ok := p.str(n, what+": main")
	if !ok {
		return false
	}
	switch a.Kind {
	case KindNode:
		ok = jsMainRE().MatchString(s)
	case KindPython:
		ok = pyMainRE().MatchString(s)
	default:
		p.errorf(n, "%s: main sets the entry point of node and python actions only, not of %s: remove it", what, a.Kind)
		return false
	}
	if !ok {
		p.errorf(n, "%s: main %q is not a function name: write the name of the function to call, such as handler", what, s)
		return false
	}
	a.Main = s
	return true
}

func (p *parser) boolean(n *yaml.Node, what string) bool {
	n = yamlnode.Deref(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		p.errorf(n, "%s: want true or false, got %s", what, yamlnode.Describe(n))
		return false
	}
	var b bool
	_ = n.Decode(&b)
	return b
}

func (p *parser) concurrency(n *yaml.Node) int {
	n = yamlnode.Deref(n)
	v, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || err != nil || v < 1 {
		p.errorf(n, "concurrency: want the number of activations allowed in flight at once, a whole number of at least 1 (NCP allows 100), got %s", yamlnode.Describe(n))
		return 0
	}
	return v
}

func (p *parser) platforms(n *yaml.Node, what string) []string {
	n = yamlnode.Deref(n)
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s: platforms: want a list such as [vpc], got %s", what, yamlnode.Describe(n))
		return nil
	}
	if len(n.Content) == 0 {
		p.errorf(n, "%s: platforms is empty: list classic, vpc or both (or remove it to serve both)", what)
		return nil
	}
	var out []string
	for _, e := range n.Content {
		s, ok := p.str(e, what+": platforms")
		if !ok {
			continue
		}
		if s != PlatformClassic && s != PlatformVPC {
			p.errorf(e, "%s: unknown platform %q: use classic or vpc", what, s)
			continue
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func (p *parser) lookPath(file string) (string, error) {
	if p.l.LookPath != nil {
		return p.l.LookPath(file)
	}
	return exec.LookPath(file)
}

func (p *parser) abs(path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(p.dir, path)
}

// display is path as messages show it: relative paths joined to the manifest's directory
// as the manifest was named.
func (p *parser) display(path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(filepath.Dir(p.file), path)
}

func (p *parser) exec(a *Action, n *yaml.Node, what string) {
	n = yamlnode.Deref(n)
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s: exec: want a list of strings such as [./action.sh], got %s", what, yamlnode.Describe(n))
		return
	}
	if len(n.Content) == 0 {
		p.errorf(n, "%s: exec is empty: give the program and its arguments, such as [./action.sh]", what)
		return
	}
	for _, e := range n.Content {
		e = yamlnode.Deref(e)
		if e.Kind != yaml.ScalarNode || e.ShortTag() == "!!null" {
			p.errorf(e, "%s: exec: want a string, got %s", what, yamlnode.Describe(e))
			return
		}
		a.Exec = append(a.Exec, e.Value)
	}
	prog := a.Exec[0]
	if strings.ContainsRune(prog, '/') || strings.ContainsRune(prog, filepath.Separator) {
		path := p.abs(prog)
		st, err := os.Stat(path)
		switch {
		case err != nil:
			p.errorf(n.Content[0], "%s: exec: program %q not found (looked at %s)", what, prog, p.display(prog))
		case st.IsDir():
			p.errorf(n.Content[0], "%s: exec: program %q is a directory", what, prog)
		case st.Mode()&0o111 == 0:
			p.errorf(n.Content[0], "%s: exec: program %q is not executable: chmod +x it or run it through its interpreter", what, prog)
		default:
			a.Program = path
		}
		return
	}
	path, err := p.lookPath(prog)
	if err != nil {
		p.errorf(n.Content[0], "%s: exec: program %q is not on PATH: install it or give its path", what, prog)
		return
	}
	a.Program = path
}

func (p *parser) script(a *Action, n *yaml.Node, what string) {
	interp, lang := "node", "Node.js"
	if a.Kind == KindPython {
		interp, lang = "python3", "Python 3"
	}
	s, ok := p.str(n, what+": "+string(a.Kind))
	if !ok {
		return
	}
	if s == "" {
		p.errorf(n, "%s: %s: the file name is empty", what, a.Kind)
		return
	}
	path := p.abs(s)
	if st, err := os.Stat(path); err != nil {
		p.errorf(n, "%s: %s file %q not found (looked at %s)", what, a.Kind, s, p.display(s))
	} else if st.IsDir() {
		p.errorf(n, "%s: %s file %q is a directory", what, a.Kind, s)
	} else {
		a.File = path
	}
	ip, err := p.lookPath(interp)
	if err != nil {
		p.errorf(n, "%s needs %s, which is not on PATH: install %s or remove the action", what, interp, lang)
		return
	}
	a.Interpreter = ip
}

// object converts a YAML mapping to a JSON object, keys in YAML order.
func (p *parser) object(n *yaml.Node, what string) json.RawMessage {
	if yamlnode.Deref(n).Kind != yaml.MappingNode {
		p.errorf(yamlnode.Deref(n), "%s: want a mapping, got %s", what, yamlnode.Describe(yamlnode.Deref(n)))
		return nil
	}
	var buf []byte
	buf, ok := p.toJSON(buf, n, what, 0)
	if !ok {
		return nil
	}
	return buf
}

func (p *parser) toJSON(buf []byte, n *yaml.Node, what string, depth int) ([]byte, bool) {
	p.nodes++
	if p.nodes > maxJSONNodes || depth > 100 {
		if p.nodes == maxJSONNodes+1 || depth == 101 {
			p.errorf(n, "%s: the value is too large or too deeply nested (aliases expanded)", what)
		}
		return buf, false
	}
	n = yamlnode.Deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		return p.mappingJSON(buf, n, what, depth)
	case yaml.SequenceNode:
		buf = append(buf, '[')
		for i, e := range n.Content {
			if i > 0 {
				buf = append(buf, ',')
			}
			var ok bool
			if buf, ok = p.toJSON(buf, e, what, depth+1); !ok {
				return buf, false
			}
		}
		return append(buf, ']'), true
	case yaml.ScalarNode:
		return p.scalarJSON(buf, n, what)
	}
	p.errorf(n, "%s: unsupported YAML value %s", what, yamlnode.Describe(n))
	return buf, false
}

// mappingJSON appends the JSON object of a mapping node.
func (p *parser) mappingJSON(buf []byte, n *yaml.Node, what string, depth int) ([]byte, bool) {
	buf = append(buf, '{')
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := yamlnode.Deref(n.Content[i])
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" || k.ShortTag() == "!!null" {
			p.errorf(k, "%s: keys must be strings, got %s", what, yamlnode.Describe(k))
			return buf, false
		}
		if seen[k.Value] {
			p.errorf(k, "%s: duplicate key %q", what, k.Value)
			return buf, false
		}
		seen[k.Value] = true
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = jsontext.AppendString(buf, k.Value)
		buf = append(buf, ':')
		var ok bool
		if buf, ok = p.toJSON(buf, n.Content[i+1], what, depth+1); !ok {
			return buf, false
		}
	}
	return append(buf, '}'), true
}

// scalarJSON appends the JSON value of a scalar node.
func (p *parser) scalarJSON(buf []byte, n *yaml.Node, what string) ([]byte, bool) {
	switch n.ShortTag() {
	case "!!null":
		return append(buf, "null"...), true
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			p.errorf(n, "%s: %v", what, err)
			return buf, false
		}
		return strconv.AppendBool(buf, b), true
	case "!!int", "!!float":
		return p.numberJSON(buf, n, what)
	}
	return jsontext.AppendString(buf, n.Value), true
}

// numberJSON appends the JSON number of an !!int or !!float node.
func (p *parser) numberJSON(buf []byte, n *yaml.Node, what string) ([]byte, bool) {
	var v any
	if err := n.Decode(&v); err != nil {
		p.errorf(n, "%s: %v", what, err)
		return buf, false
	}
	switch x := v.(type) {
	case int:
		return strconv.AppendInt(buf, int64(x), 10), true
	case int64:
		return strconv.AppendInt(buf, x, 10), true
	case uint64:
		return strconv.AppendUint(buf, x, 10), true
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			p.errorf(n, "%s: %s has no JSON equivalent", what, n.Value)
			return buf, false
		}
		b, _ := json.Marshal(x)
		return append(buf, b...), true
	}
	return jsontext.AppendString(buf, n.Value), true
}

// mergeObjects merges JSON objects: keys of later ones win. nil inputs are skipped; the
// result is nil when all are nil. Inputs must be valid JSON objects.
func mergeObjects(objs ...json.RawMessage) json.RawMessage {
	var keys []string
	vals := map[string]json.RawMessage{}
	n := 0
	for _, o := range objs {
		if o == nil {
			continue
		}
		n++
		var m map[string]json.RawMessage
		if err := json.Unmarshal(o, &m); err != nil {
			continue
		}
		for _, k := range objectKeys(o) {
			if _, ok := vals[k]; !ok {
				keys = append(keys, k)
			}
			vals[k] = m[k]
		}
	}
	if n == 0 {
		return nil
	}
	// Values are written compact, as the emulator writes every result,
	// whatever spacing the manifest or the request used.
	var out bytes.Buffer
	out.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			out.WriteByte(',')
		}
		out.Write(jsontext.AppendString(nil, k))
		out.WriteByte(':')
		_ = json.Compact(&out, vals[k]) // valid: json.Unmarshal accepted it
	}
	out.WriteByte('}')
	return out.Bytes()
}

// objectKeys returns the keys of a JSON object in document order, each once.
func objectKeys(o []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(o))
	var keys []string
	seen := map[string]bool{}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}
