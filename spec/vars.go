package spec

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/specrun/specrun/internal/suggest"
)

// globalVars are the variables given on the command line: --var (which win)
// and --var-file (later files win over earlier ones).
type globalVars struct {
	vals map[string]any
}

// loadGlobals reads --var and --var-file values.
func loadGlobals(opts Options, probs *problems) *globalVars {
	g := &globalVars{vals: map[string]any{}}
	for _, file := range opts.VarFiles {
		data, err := readLimited(file)
		if err != nil {
			probs.add(Pos{File: file}, "--var-file: "+err.Error())
			continue
		}
		d := &rawDecoder{file: file, probs: probs}
		root := parseDocument(file, data, probs, "empty file: a var file is a mapping of NAME: VALUE")
		if root == nil {
			continue
		}
		if root = deref(root); root.Kind != yaml.MappingNode {
			d.errAt(root, fmt.Sprintf("a var file must be a mapping of NAME: VALUE, got %s", kindOf(root)))
			continue
		}
		for _, p := range d.pairs(root) {
			if !validName(p.key()) || p.key() == "env" {
				d.errAt(p.k, badVarName(p.key()))
				continue
			}
			v, ok := d.literal(p.v)
			if ok {
				g.vals[p.key()] = v
			}
		}
	}
	for _, kv := range opts.Vars {
		if msg := VarProblem(kv); msg != "" {
			probs.add(Pos{File: "--var"}, msg)
			continue
		}
		name, val, _ := strings.Cut(kv, "=")
		g.vals[name] = parseVarValue(val)
	}
	return g
}

// VarProblem says what is wrong with a --var argument kv, or "" when it is
// NAME=VALUE with a valid NAME. It quotes the name at most, never the
// value: an argument without "=" may be a value whose name was forgotten,
// and a value may be a secret.
func VarProblem(kv string) string {
	name, _, ok := strings.Cut(kv, "=")
	switch {
	case !ok:
		return "an argument has no \"=\": write --var NAME=VALUE (the argument is not shown: it may be a secret)"
	case name == "":
		return "an argument has no name before \"=\": write --var NAME=VALUE (the value is not shown: it may be a secret)"
	case !validName(name) || name == "env":
		return badVarName(name)
	}
	return ""
}

// parseVarValue reads a --var value as a YAML scalar: 3 is a number, true a
// boolean; anything that is not a plain scalar (or is empty) stays a string.
func parseVarValue(s string) any {
	if s == "" {
		return ""
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(s), &n); err != nil || len(n.Content) != 1 {
		return s
	}
	sc := n.Content[0]
	if sc.Kind != yaml.ScalarNode || sc.Style != 0 {
		return s
	}
	switch sc.ShortTag() {
	case "!!null", "!!bool":
		v, _ := scalarValue(sc)
		return v
	case "!!int", "!!float":
		// Only what JSON writes as a number: 007, 0x10 or 1_000 stay text.
		if jsonNumberRE().MatchString(s) {
			return json.Number(s)
		}
	}
	return s
}

func badVarName(name string) string {
	if name == "env" {
		return "the variable name env is reserved for ${env.NAME}; choose another name"
	}
	return fmt.Sprintf("invalid variable name %q: use a letter or _ followed by letters, digits or _", clip(name))
}

// suiteVar is one entry of a suite's `vars`, resolved on first use.
type suiteVar struct {
	k, v  *yaml.Node
	state int // 0 unresolved, 1 resolving, 2 resolved, 3 failed
	value any
}

// scope is what a value may reference at one place of a file: load-time
// variables, and the names captured before this place (run-time references).
type scope struct {
	captured map[string]bool
	// later lists the captures of this step and the later steps of the
	// same list, for a precise message.
	later [][]pair
	// loadOnly is set while resolving suite variables: captures do not
	// exist yet.
	loadOnly string
}

// loadVar returns the load-time value of a variable: --var, then
// --var-file, then the suite's vars. defined is false when no such
// variable exists; clean is false when resolving it now (its first use)
// reported a problem.
func (d *fileDec) loadVar(name string, at *yaml.Node) (v any, defined, clean bool) {
	if v, ok := d.globals.vals[name]; ok {
		return v, true, true
	}
	sv, ok := d.vars[name]
	if !ok {
		return nil, false, true
	}
	switch sv.state {
	case 2:
		return sv.value, true, true
	case 3:
		return nil, true, true
	case 1:
		d.errAt(sv.k, fmt.Sprintf("variable %s refers to itself (through ${...} references): break the cycle", name))
		sv.state = 3
		return nil, true, false
	}
	sv.state = 1
	n, clean := d.value(sv.v, &scope{loadOnly: name}, "vars."+name)
	if sv.state == 3 {
		return nil, true, clean
	}
	if l, ok := n.(litNode); ok {
		sv.state, sv.value = 2, l.v
		return l.v, true, clean
	}
	sv.state = 3
	return nil, true, clean
}

// env reads the environment.
func (d *fileDec) env(name string) (string, bool) {
	if d.lookupEnv != nil {
		return d.lookupEnv(name)
	}
	return os.LookupEnv(name)
}

// knownNames lists the names a reference could have meant, for hints.
func (d *fileDec) knownNames(sc *scope) []string {
	var names []string
	for n := range d.globals.vals {
		names = append(names, n)
	}
	for n := range d.vars {
		names = append(names, n)
	}
	if sc != nil {
		for n := range sc.captured {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// compileString substitutes the load-time references of a string scalar
// and precompiles the rest. ok is false when it reported a problem.
func (d *fileDec) compileString(n *yaml.Node, sc *scope, ctx string) (t tnode, ok bool) {
	if !strings.Contains(n.Value, "${") {
		return litNode{v: n.Value}, true
	}
	parts, err := parseTemplate(n.Value)
	if err != nil {
		d.errAt(n, ctx+": "+err.Error())
		return litNode{v: n.Value}, false
	}
	if len(parts) == 0 {
		return litNode{v: ""}, true
	}
	if len(parts) == 1 && parts[0].name == "" {
		return litNode{v: parts[0].lit}, true
	}
	// Resolve each reference: a value known now, or a run-time name.
	res := make([]resolved, len(parts))
	ok = true
	for i, p := range parts {
		r, more, clean := d.resolve(n, p, sc, ctx)
		ok = ok && clean
		if !more {
			return litNode{}, ok
		}
		res[i] = r
	}
	if len(parts) == 1 {
		if res[0].runtime != "" {
			return refNode{name: res[0].runtime}, ok
		}
		return litNode{v: res[0].val}, ok
	}
	return concat(res), ok
}

// concat joins the resolved parts of a template string: the load-time
// values as text, adjacent ones merged.
func concat(res []resolved) tnode {
	var out []strPart
	for _, r := range res {
		if r.runtime != "" {
			out = append(out, strPart{ref: r.runtime})
			continue
		}
		s := formatText(r.val)
		if k := len(out); k > 0 && out[k-1].ref == "" {
			out[k-1].lit += s
		} else {
			out = append(out, strPart{lit: s})
		}
	}
	if len(out) == 1 && out[0].ref == "" {
		return litNode{v: out[0].lit}
	}
	return concatNode{parts: out}
}

// resolved is one part of a template string: a value known at load time,
// or the name of a capture known at run time.
type resolved struct {
	val     any
	runtime string
}

// resolve resolves one part of the template string n. more is false
// when the file's budget of values is spent; clean is false when it
// reported a problem.
func (d *fileDec) resolve(n *yaml.Node, p tpart, sc *scope, ctx string) (r resolved, more, clean bool) {
	switch {
	case p.name == "":
		return resolved{val: p.lit}, true, true
	case p.env:
		v, ok := d.env(p.name)
		if !ok {
			if !p.hasDef {
				d.errAt(n, fmt.Sprintf("%s: environment variable %s is not set: set it, or write ${env.%s:-DEFAULT}", ctx, p.name, p.name))
			}
			v = p.def
		}
		return resolved{val: v}, true, ok || p.hasDef
	case sc != nil && sc.captured[p.name]:
		return resolved{runtime: p.name}, true, true
	}
	v, defined, clean := d.loadVar(p.name, n)
	if !defined {
		d.undefinedRef(n, p.name, sc, ctx)
		if sv := d.vars[sc.resolving()]; sv != nil {
			sv.state = 3
		}
		return resolved{val: v}, true, false
	}
	more, charged := d.chargeVar(n, p.name, v, ctx)
	return resolved{val: v}, more, clean && charged
}

// chargeVar counts the values that substituting variable name (value v)
// brings against the file's budget, so that a variable holding an alias
// tree cannot multiply it by its uses. within is false when the budget is
// spent; clean is false when that was reported now (it is, once a file).
func (d *fileDec) chargeVar(n *yaml.Node, name string, v any, ctx string) (within, clean bool) {
	size, ok := d.varSizes[name]
	if !ok {
		size = valueSize(v, maxWork+1)
		if d.varSizes == nil {
			d.varSizes = map[string]int{}
		}
		d.varSizes[name] = size
	}
	if d.work += size; d.work <= maxWork {
		return true, true
	}
	return false, !d.reportWork(n, fmt.Sprintf("%s: ${%s} brings %d values to each use: ", ctx, name, size))
}

// reportWork reports, once per file, that the file expands to more values
// than maxWork; prefix says which use tipped it over. It returns whether
// it reported now.
func (d *fileDec) reportWork(n *yaml.Node, prefix string) bool {
	if d.overWork {
		return false
	}
	d.overWork = true
	d.errAt(n, fmt.Sprintf("%sthe spec expands to more than %d values once defaults, aliases and variables are applied to every test; use smaller variables, smaller defaults.params or fewer aliases", prefix, maxWork))
	return true
}

// valueSize counts the values of v (1 for a scalar, plus 1 for every
// textUnit bytes of a string; 1 plus its items' for a list or mapping),
// stopping once past limit.
func valueSize(v any, limit int) int {
	n := 1
	switch v := v.(type) {
	case string:
		n += len(v) / textUnit
	case []any:
		for _, item := range v {
			if n += valueSize(item, limit-n); n > limit {
				return n
			}
		}
	case map[string]any:
		for _, item := range v {
			if n += valueSize(item, limit-n); n > limit {
				return n
			}
		}
	}
	return n
}

// laterLine finds the first later capture of name.
func laterLine(later [][]pair, name string) (int, bool) {
	for _, ps := range later {
		for _, p := range ps {
			if p.key() == name {
				return p.k.Line, true
			}
		}
	}
	return 0, false
}

func (sc *scope) resolving() string {
	if sc == nil {
		return ""
	}
	return sc.loadOnly
}

// undefRef is a reference to a name that is not defined where it is used.
// Its message says whether the file captures the name elsewhere, which is
// known once the whole file is decoded: the problem takes its place among
// the file's problems when it is found, and gets its message then
// (reportUndefined).
type undefRef struct {
	pos       Pos
	name, ctx string
	// inVar: the reference is in a suite variable; scoped: it is where a
	// capture could be visible (a step, a test, defaults).
	inVar, scoped bool
	// laterLine is the line of a capture of name later in the same list
	// (this step's included), or 0.
	laterLine int
	hint      string // the known name closest to name, or ""
	err       *Error // its place among the file's problems
}

// undefinedRef records a reference to an unknown name for reportUndefined.
func (d *fileDec) undefinedRef(n *yaml.Node, name string, sc *scope, ctx string) {
	u := undefRef{pos: d.pos(n), name: name, ctx: ctx}
	if sc != nil {
		u.scoped, u.inVar = true, sc.loadOnly != ""
		u.laterLine, _ = laterLine(sc.later, name)
	}
	if u.laterLine == 0 {
		u.hint = suggest.Closest(name, d.knownNames(sc))
	}
	if d.undefSeen[u] {
		return // the same reference in the same scope (defaults.params)
	}
	if d.undefSeen == nil {
		d.undefSeen = map[undefRef]bool{}
	}
	d.undefSeen[u] = true
	if u.err = d.probs.reserve(u.pos); u.err != nil {
		d.undefs = append(d.undefs, u)
	}
}

// reportUndefined words the problems of the references undefinedRef
// recorded, now that d.captures holds every name the file captures.
func (d *fileDec) reportUndefined() {
	for _, u := range d.undefs {
		d.probs.fill(u.err, u.message(d.captures[u.name]))
	}
	d.undefs, d.undefSeen = nil, nil
}

// message words the error; captured says whether the file captures the
// name somewhere.
func (u undefRef) message(captured bool) string {
	switch {
	case u.inVar && captured:
		return fmt.Sprintf("%s: ${%s} is a capture, known only at run time; suite variables are computed at load time, so use it directly where it is needed", u.ctx, u.name)
	case u.laterLine > 0:
		return fmt.Sprintf("%s: ${%s} is captured at line %d, after this use: a capture can be used only in the steps after the one that captures it", u.ctx, u.name, u.laterLine)
	case u.scoped && captured:
		return fmt.Sprintf("%s: ${%s} is captured elsewhere, but not before this use: setup captures are visible to every test and to teardown; a test's captures only to its later steps", u.ctx, u.name)
	}
	msg := fmt.Sprintf("%s: undefined variable ${%s}: define it under vars, pass --var %s=VALUE, or capture it in an earlier step", u.ctx, u.name, u.name)
	if u.hint != "" {
		msg += fmt.Sprintf("; did you mean ${%s}?", u.hint)
	}
	return msg
}

// value compiles any YAML value into a template node, substituting what is
// known at load time. Mapping keys are taken literally. ok is false when
// it reported a problem.
func (d *fileDec) value(n *yaml.Node, sc *scope, ctx string) (t tnode, ok bool) {
	n = deref(n)
	if n == nil {
		return litNode{}, true
	}
	if d.work++; d.work > maxWork {
		return litNode{}, !d.reportWork(n, "")
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if isString(n) && n.ShortTag() == "!!str" {
			return d.compileString(n, sc, ctx)
		}
		v, err := scalarValue(n)
		if err != nil {
			d.errAt(n, ctx+": "+err.Error())
		}
		return litNode{v: v}, err == nil
	case yaml.SequenceNode:
		return d.listValue(n, sc, ctx)
	case yaml.MappingNode:
		return d.mapValue(n, sc, ctx)
	}
	return litNode{}, true
}

// listValue compiles a sequence: a literal when every item is one.
func (d *fileDec) listValue(n *yaml.Node, sc *scope, ctx string) (tnode, bool) {
	items := make([]tnode, len(n.Content))
	static, ok := true, true
	for i, c := range n.Content {
		var itemOK bool
		items[i], itemOK = d.value(c, sc, ctx)
		ok = ok && itemOK
		if _, lit := items[i].(litNode); !lit {
			static = false
		}
	}
	if !static {
		return listNode{items: items}, ok
	}
	l := make([]any, len(items))
	for i, it := range items {
		l[i] = it.(litNode).v
	}
	return litNode{v: l}, ok
}

// mapValue compiles a mapping: a literal when every value is one.
func (d *fileDec) mapValue(n *yaml.Node, sc *scope, ctx string) (tnode, bool) {
	ps, ok := d.pairsOK(n)
	keys := make([]string, len(ps))
	vals := make([]tnode, len(ps))
	static := true
	for i, p := range ps {
		var valOK bool
		keys[i] = p.key()
		vals[i], valOK = d.value(p.v, sc, ctx)
		ok = ok && valOK
		if _, lit := vals[i].(litNode); !lit {
			static = false
		}
	}
	if !static {
		return mapNode{keys: keys, vals: vals}, ok
	}
	m := make(map[string]any, len(ps))
	for i, k := range keys {
		m[k] = vals[i].(litNode).v
	}
	return litNode{v: m}, ok
}

// literal converts a value without substituting anything (var files).
func (d *rawDecoder) literal(n *yaml.Node) (any, bool) {
	n = deref(n)
	switch n.Kind {
	case yaml.ScalarNode:
		v, err := scalarValue(n)
		if err != nil {
			msg := err.Error()
			if tag := n.ShortTag(); tag == "!!int" || tag == "!!float" {
				// A var file holds values that may be secrets: say
				// where, not what.
				msg = "this number cannot be written in JSON (it is infinite or not a number): write a finite decimal number (the value is not shown: it may be a secret)"
			}
			d.errAt(n, msg)
			return nil, false
		}
		return v, true
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, ok := d.literal(c)
			if !ok {
				return nil, false
			}
			l = append(l, v)
		}
		return l, true
	case yaml.MappingNode:
		m := map[string]any{}
		for _, p := range d.pairs(n) {
			v, ok := d.literal(p.v)
			if !ok {
				return nil, false
			}
			m[p.key()] = v
		}
		return m, true
	}
	return nil, true
}
