package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/specrun/specrun/internal/suggest"
)

const (
	defaultDeadline = 2 * time.Minute
	maxTimeout      = 60 * time.Second
)

// fileDec decodes one spec file. It is used by one goroutine.
type fileDec struct {
	file      string
	dir       string
	probs     *problems
	globals   *globalVars
	lookupEnv func(string) (string, bool)
	sh        *shared

	vars     map[string]*suiteVar
	captures map[string]bool // every name captured anywhere in the file
	defaults defaults
	// unknownIn marks mappings with unknown keys: a "missing key" error
	// there would only repeat the unknown-key error (a misspelt key).
	unknownIn map[*yaml.Node]bool
	// work counts the values compiled, and the values substituted
	// variables bring, bounded by maxWork; overWork is set once that was
	// reported.
	work     int
	overWork bool
	// varSizes caches the values each load-time variable brings to a use.
	varSizes map[string]int
	// names holds the file's static names (package, action, platform) and
	// step names, so that the tests naming the same ones share them.
	names     map[string]*Template
	nameTexts map[string]string
	// checks caches the Load's shared checks this file used, by key;
	// keyBuf is the buffer keys are made in.
	checks map[string]assertEntry
	keyBuf []byte
}

// emptyName is the static empty name every step without a package or a
// platform shares. Templates are read-only.
var emptyName = &Template{static: ""}

// staticName returns the file's one static template of the name s.
func (d *fileDec) staticName(s string) *Template {
	if t, ok := d.names[s]; ok {
		return t
	}
	if d.names == nil {
		d.names = map[string]*Template{}
	}
	t := &Template{static: s}
	d.names[s] = t
	return t
}

// intern returns the file's one copy of the text s.
func (d *fileDec) intern(s string) string {
	if c, ok := d.nameTexts[s]; ok {
		return c
	}
	if d.nameTexts == nil {
		d.nameTexts = map[string]string{}
	}
	d.nameTexts[s] = s
	return s
}

// defaults is a suite's `defaults` block. The value nodes are compiled for
// each step, in the step's scope.
type defaults struct {
	// action is the `action` pair, used by a test or step without its own.
	action                *pair
	pkg, platform, params *yaml.Node
	paramRefs             map[string]bool        // names referenced in params
	compiled              map[string][]keyedNode // params compiled, by captured names
	timeout               time.Duration
	timeoutSet            bool
	deadline              time.Duration
	retry                 *Retry
}

func (d *fileDec) pos(n *yaml.Node) Pos {
	if n == nil || n.Line == 0 {
		return Pos{File: d.file, Line: 1, Col: 1}
	}
	return Pos{File: d.file, Line: n.Line, Col: n.Column}
}

func (d *fileDec) errAt(n *yaml.Node, msg string) { d.probs.add(d.pos(n), msg) }

// suite decodes the root of a spec file.
func (d *fileDec) suite(root *yaml.Node, name string) *Suite {
	root = deref(root)
	if !d.isSpecRoot(root) {
		return nil
	}
	f, _, _ := d.fields(root, "suite", "at the top level of a spec", suiteKeys)
	s := &Suite{Name: name, File: d.file, Pos: d.pos(root)}
	if p, ok := f.get("suite"); ok {
		if v, ok := d.plainString(p, "suite"); ok {
			s.Name = v
		}
	}
	varOrder := d.suiteVars(f)
	d.scanCaptures(f)
	// Resolve every suite variable, so that a broken one is reported even
	// when nothing uses it (and --var overrides are not evaluated).
	for _, name := range varOrder {
		if _, over := d.globals.vals[name]; !over {
			d.loadVar(name, nil)
		}
	}
	if p, ok := f.get("tags"); ok {
		s.Tags = d.tags(p, nil)
	}
	d.defaults = defaults{deadline: defaultDeadline}
	if p, ok := f.get("defaults"); ok {
		d.decodeDefaults(p)
	}
	setupCaps := map[string]bool{}
	if p, ok := f.get("setup"); ok {
		s.Setup, setupCaps = d.stepList(p, "setup", setupCaps)
	}
	if p, ok := f.get("teardown"); ok {
		s.Teardown, _ = d.stepList(p, "teardown", setupCaps)
	}
	p, ok := f.get("tests")
	if !ok {
		d.errAt(root, "missing `tests`: a spec needs a `tests` list")
		return s
	}
	if p.v.Kind != yaml.SequenceNode {
		d.errAt(p.v, fmt.Sprintf("tests: expected a list, got %s", kindOf(p.v)))
		return s
	}
	if len(p.v.Content) == 0 {
		d.errAt(p.v, "tests: the list is empty; add at least one test")
	}
	d.tests(p.v, s, setupCaps)
	return s
}

// isSpecRoot reports whether root is a mapping that may be a spec, saying
// what it is instead when it is not.
func (d *fileDec) isSpecRoot(root *yaml.Node) bool {
	if root.Kind != yaml.MappingNode {
		if isNull(root) {
			d.errAt(root, "empty file: a spec needs a `tests` list")
		} else {
			d.errAt(root, fmt.Sprintf("a spec file is a mapping with a `tests` list, got %s", kindOf(root)))
		}
		return false
	}
	if d.child(root, "packages") != nil && d.child(root, "tests") == nil {
		d.errAt(root, "this is an emulator manifest (it has `packages`), not a spec: give it to --local or specrun serve, and keep it out of the spec paths")
		return false
	}
	return true
}

// suiteVars records the suite's `vars` in d.vars, unresolved, and returns
// their names in document order.
func (d *fileDec) suiteVars(f fieldSet) []string {
	d.vars = map[string]*suiteVar{}
	p, ok := f.get("vars")
	if !ok {
		return nil
	}
	if p.v.Kind != yaml.MappingNode {
		d.errAt(p.v, fmt.Sprintf("vars: expected a mapping of NAME: VALUE, got %s", kindOf(p.v)))
		return nil
	}
	var varOrder []string
	for _, vp := range d.pairs(p.v) {
		if !validName(vp.key()) || vp.key() == "env" {
			d.errAt(vp.k, "vars: "+badVarName(vp.key()))
			continue
		}
		d.vars[vp.key()] = &suiteVar{k: vp.k, v: vp.v}
		varOrder = append(varOrder, vp.key())
	}
	return varOrder
}

// scanCaptures records in d.captures every name the file captures
// anywhere (setup, teardown, tests and their steps), so that a reference
// to one used where it is not visible gets a precise message.
func (d *fileDec) scanCaptures(f fieldSet) {
	d.captures = map[string]bool{}
	add := func(item *yaml.Node) {
		for _, c := range d.captureNames(item) {
			d.captures[c.key()] = true
		}
	}
	for _, key := range []string{"setup", "teardown"} {
		if p, ok := f.get(key); ok && p.v.Kind == yaml.SequenceNode {
			for _, item := range p.v.Content {
				add(item)
			}
		}
	}
	p, ok := f.get("tests")
	if !ok || p.v.Kind != yaml.SequenceNode {
		return
	}
	for _, item := range p.v.Content {
		add(item)
		if st := d.child(item, "steps"); st != nil && st.Kind == yaml.SequenceNode {
			for _, si := range st.Content {
				add(si)
			}
		}
	}
}

// tests decodes the `tests` list into s.Tests, reporting duplicate names.
func (d *fileDec) tests(list *yaml.Node, s *Suite, setupCaps map[string]bool) {
	names := map[string]int{}
	// Nothing reads a test's nodes once it is decoded, and a large file's
	// tree is most of the heap while its tests are decoded: each test's
	// slot is cleared after it, so that the collector neither marks nor
	// keeps what is done. Not when the list has an anchor: an alias of it
	// (a var, say) would read the list later. Aliases of a test's own
	// nodes point at them, not through the list.
	release := list.Anchor == ""
	for i, item := range list.Content {
		t := d.test(deref(item), s, setupCaps)
		if release {
			list.Content[i] = nil
		}
		if t == nil {
			continue
		}
		if line, dup := names[t.Name]; dup {
			d.probs.add(t.Pos, fmt.Sprintf("duplicate test name %q: already used by the test at line %d; test names must be unique within a suite", t.Name, line))
		} else if t.Name != "" {
			names[t.Name] = t.Pos.Line
		}
		t.Index = len(s.Tests)
		s.Tests = append(s.Tests, t)
	}
}

// child returns the value of key in a mapping node, or nil.
func (d *fileDec) child(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	merges := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := deref(n.Content[i])
		if isMergeKey(k) {
			merges = true
			break
		}
		if k.Kind == yaml.ScalarNode && k.Value == key {
			return deref(n.Content[i+1])
		}
	}
	if !merges {
		return nil
	}
	for _, p := range d.pairs(n) {
		if p.key() == key {
			return p.v
		}
	}
	return nil
}

// captureNames lists the names a step (or test) node captures.
func (d *fileDec) captureNames(step *yaml.Node) []pair {
	c := d.child(step, "capture")
	if c == nil || c.Kind != yaml.MappingNode {
		return nil
	}
	return d.pairs(c)
}

// plainString reads a string written literally (no variables).
func (d *fileDec) plainString(p pair, ctx string) (string, bool) {
	if !isString(p.v) {
		d.errAt(p.v, fmt.Sprintf("%s: expected a string, got %s", ctx, kindOf(p.v)))
		return "", false
	}
	if strings.TrimSpace(p.v.Value) == "" {
		d.errAt(p.v, ctx+": must not be empty")
		return "", false
	}
	return p.v.Value, true
}

// tagRE is compiled on first use, not at start-up (see docs/performance.md).
var tagRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$`) })

// tags decodes a list of tags and appends them to base without duplicates.
func (d *fileDec) tags(p pair, base []string) []string {
	out := slices.Clone(base)
	if p.v.Kind != yaml.SequenceNode {
		d.errAt(p.v, fmt.Sprintf("tags: expected a list of names, got %s", kindOf(p.v)))
		return out
	}
	for _, item := range p.v.Content {
		item = deref(item)
		if item.Kind != yaml.ScalarNode || isNull(item) {
			d.errAt(item, fmt.Sprintf("tags: expected a name, got %s", kindOf(item)))
			continue
		}
		t := item.Value
		switch {
		case !tagRE().MatchString(t):
			d.errAt(item, fmt.Sprintf("tags: %q is not a tag name: use letters, digits and _ . : / - (it must be usable in --tags expressions)", clip(t)))
			continue
		case t == "and" || t == "or" || t == "not":
			d.errAt(item, fmt.Sprintf("tags: %q is a keyword of --tags expressions; choose another name", t))
			continue
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func (d *fileDec) decodeDefaults(p pair) {
	f, _, ok := d.fields(p.v, "defaults", "in defaults", defaultsKeys)
	if !ok {
		return
	}
	sc := &scope{}
	if q, ok := f.get("package"); ok {
		d.defaults.pkg = q.v
	}
	if q, ok := f.get("action"); ok {
		d.defaults.action = &q
		if q.v.Kind != yaml.ScalarNode || isNull(q.v) {
			// The message each use would give, once even if none uses it.
			d.errAt(q.v, fmt.Sprintf("defaults.action: expected a name, got %s", kindOf(q.v)))
		}
	}
	if q, ok := f.get("platform"); ok {
		d.defaults.platform = q.v
	}
	if q, ok := f.get("params"); ok {
		if q.v.Kind != yaml.MappingNode {
			d.errAt(q.v, fmt.Sprintf("defaults.params: expected a mapping, got %s", kindOf(q.v)))
		} else {
			d.defaults.params = q.v
		}
	}
	if q, ok := f.get("timeout"); ok {
		d.defaults.timeout = d.timeout(q.v, sc, "defaults.timeout")
		d.defaults.timeoutSet = true
	}
	if q, ok := f.get("deadline"); ok {
		if v, ok := d.duration(q.v, sc, "defaults.deadline"); ok {
			if v <= 0 {
				d.errAt(q.v, "defaults.deadline: must be more than zero")
			} else {
				d.defaults.deadline = v
			}
		}
	}
	if q, ok := f.get("retry"); ok {
		d.defaults.retry = d.retry(d.decodeRetry(q.v, "defaults.retry"), sc, "defaults.retry")
	}
}

// stepList decodes `setup`, `teardown` or a test's `steps`. base holds the
// names captured before the list; the result adds the list's captures.
func (d *fileDec) stepList(p pair, ctx string, base map[string]bool) ([]*Step, map[string]bool) {
	captured := maps.Clone(base)
	if p.v.Kind != yaml.SequenceNode {
		d.errAt(p.v, fmt.Sprintf("%s: expected a list of steps, got %s", ctx, kindOf(p.v)))
		return nil, captured
	}
	if len(p.v.Content) == 0 && ctx == "steps" {
		d.errAt(p.v, "steps: the list is empty; add at least one step")
	}
	later := make([][]pair, len(p.v.Content))
	for i, item := range p.v.Content {
		later[i] = d.captureNames(item)
	}
	steps := make([]*Step, 0, len(p.v.Content))
	for i, item := range p.v.Content {
		sc := &scope{captured: captured, later: later[i:]}
		item = deref(item)
		f, _, ok := d.fields(item, ctx+" item", "in a step", stepKeys)
		if !ok {
			continue
		}
		st := d.invocation(f, item, sc, true)
		st.Index = len(steps)
		steps = append(steps, st)
		for _, c := range st.Captures {
			captured[c.Name] = true
		}
	}
	return steps, captured
}

// test decodes one item of `tests`.
func (d *fileDec) test(n *yaml.Node, s *Suite, setupCaps map[string]bool) *Test {
	f, _, ok := d.fields(n, "tests item", "in a test", testKeys)
	if !ok {
		return nil
	}
	t := &Test{Suite: s, Pos: d.pos(n), Deadline: d.defaults.deadline, Tags: slices.Clone(s.Tags)}
	if p, ok := f.get("name"); ok {
		t.Name, _ = d.plainString(p, "name")
	} else {
		d.errAt(n, "a test needs a `name`, unique within the suite")
	}
	if p, ok := f.get("tags"); ok {
		t.Tags = d.tags(p, s.Tags)
	}
	if p, ok := f.get("skip"); ok {
		t.Skip = d.skip(p)
	}
	if p, ok := f.get("deadline"); ok {
		d.testDeadline(p, t)
	}
	d.testRun(f, n, t, setupCaps)
	return t
}

// testDeadline decodes a test's `deadline` into t.
func (d *fileDec) testDeadline(p pair, t *Test) {
	v, ok := d.duration(p.v, &scope{}, "deadline")
	if !ok {
		return
	}
	if v <= 0 {
		d.errAt(p.v, "deadline: must be more than zero")
		return
	}
	t.Deadline = v
}

// testRun decodes what a test runs: its `steps`, or the invocation keys
// of its single step.
func (d *fileDec) testRun(f fieldSet, n *yaml.Node, t *Test, setupCaps map[string]bool) {
	var invKeys []string
	for _, k := range invocationKeys {
		if _, ok := f.get(k); ok {
			invKeys = append(invKeys, k)
		}
	}
	steps, hasSteps := f.get("steps")
	switch {
	case hasSteps && len(invKeys) > 0:
		first, _ := f.get(invKeys[0])
		d.errAt(first.k, fmt.Sprintf("a test has either invocation keys (%s) or `steps`, not both: move %s into a step", strings.Join(invocationKeys, ", "), strings.Join(invKeys, ", ")))
	case hasSteps:
		for _, k := range []string{"expect", "capture", "retry"} {
			if p, ok := f.get(k); ok {
				d.errAt(p.k, fmt.Sprintf("%s: a test with `steps` has no %s of its own: move it into the step it belongs to", k, k))
			}
		}
		t.MultiStep = true
		t.Steps, _ = d.stepList(steps, "steps", setupCaps)
	case len(invKeys) == 0 && d.defaults.action == nil:
		d.errAt(n, "a test needs something to run: add `action` (or action: PACKAGE/NAME), or a `steps` list, or set defaults.action")
	default:
		sc := &scope{captured: setupCaps, later: [][]pair{d.captureNames(n)}}
		st := d.invocation(f, n, sc, false)
		t.Steps = []*Step{st}
	}
}

// skip decodes `skip`: a reason, or true.
func (d *fileDec) skip(p pair) string {
	n := p.v
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		if strings.EqualFold(n.Value, "true") {
			return "skipped"
		}
		return ""
	}
	if !isString(n) || strings.TrimSpace(n.Value) == "" {
		got := kindOf(n)
		if isString(n) {
			got = "an empty string"
		}
		d.errAt(n, fmt.Sprintf("skip: expected a reason (a non-empty string) or true, got %s", got))
		return ""
	}
	return n.Value
}

// invocation decodes the keys shared by a single-invocation test and a step.
func (d *fileDec) invocation(f fieldSet, n *yaml.Node, sc *scope, isStep bool) *Step {
	st := &Step{Pos: d.pos(n)}
	if p, ok := f.get("name"); ok && isStep {
		st.Name, _ = d.plainString(p, "name")
	}
	an := d.action(f, n, sc, st)
	pkgRaw := an.pkg
	if st.Package == nil {
		pkgRaw = d.stepPackage(f, n, sc, st, an)
	}
	if st.Name == "" {
		switch {
		case an.whole != "":
			st.Name = an.whole
		case pkgRaw == "":
			st.Name = an.name
		default:
			st.Name = d.intern(pkgRaw + "/" + an.name)
		}
	}
	st.Platform = emptyName
	if p, ok := f.get("platform"); ok {
		st.Platform = d.platform(p.v, sc, "platform")
	} else if d.defaults.platform != nil {
		st.Platform = d.platform(d.defaults.platform, sc, "defaults.platform")
	}
	st.Timeout, st.TimeoutSet = d.defaults.timeout, d.defaults.timeoutSet
	if p, ok := f.get("timeout"); ok {
		st.Timeout, st.TimeoutSet = d.timeout(p.v, sc, "timeout"), true
	}
	d.stepParams(f, sc, st)
	var exp rawExpect
	if p, ok := f.get("expect"); ok {
		d.decodeExpect(p, &exp)
	}
	st.Expect = d.expect(&exp, st.Pos, sc)
	if p, ok := f.get("capture"); ok {
		st.Captures = d.captureList(p)
	}
	st.Retry = d.defaults.retry
	if p, ok := f.get("retry"); ok {
		st.Retry = d.retry(d.decodeRetry(p.v, "retry"), sc, "retry")
	}
	return st
}

// stepPackage sets st.Package, for an action that does not name its
// package, from `package` or defaults.package; it returns the package as
// written ("" when none).
func (d *fileDec) stepPackage(f fieldSet, n *yaml.Node, sc *scope, st *Step, an actionName) string {
	pkgRaw := an.pkg
	switch p, ok := f.get("package"); {
	case ok:
		if p.v.Kind != yaml.ScalarNode || isNull(p.v) {
			d.errAt(p.v, fmt.Sprintf("package: expected a name (or - for an action outside any package), got %s", kindOf(p.v)))
		} else {
			pkgRaw = p.v.Value
			st.Package, _ = d.name(p.v, sc, "package")
		}
	case d.defaults.pkg != nil:
		if d.defaults.pkg.Kind != yaml.ScalarNode || isNull(d.defaults.pkg) {
			d.errAt(d.defaults.pkg, fmt.Sprintf("defaults.package: expected a name (or - for an action outside any package), got %s", kindOf(d.defaults.pkg)))
		} else {
			pkgRaw = d.defaults.pkg.Value
			st.Package, _ = d.name(d.defaults.pkg, sc, "defaults.package")
		}
	case an.ok:
		d.errAt(n, fmt.Sprintf("no package for action %q: set `package` (- for an action outside any package), write action: PACKAGE/NAME, or set defaults.package", clip(an.name)))
	}
	if st.Package == nil {
		st.Package = emptyName
	}
	return pkgRaw
}

// stepParams decodes the step's params (over defaults.params) into
// st.Params and the body it sends: encoded now when static, else
// precompiled into segments.
func (d *fileDec) stepParams(f fieldSet, sc *scope, st *Step) {
	var own *yaml.Node
	if p, ok := f.get("params"); ok {
		own = p.v
	}
	st.Params = d.params(own, sc)
	if st.Params.Static() {
		b, err := marshalJSON(st.Params.static)
		if err != nil {
			d.errAt(own, "params: cannot be encoded as JSON: "+err.Error())
		}
		// The body is what is sent: a static Params keeps only it, not
		// the decoded object too (a third of what a loaded test held).
		st.body = bytes.Clone(b) // b has the encoder's spare capacity
		st.Params = &Template{static: json.RawMessage(st.body)}
	} else if segs, err := compileBody(st.Params.dyn); err != nil {
		d.errAt(own, "params: cannot be encoded as JSON: "+err.Error())
	} else {
		st.bodySegs = segs
	}
}

// actionName is what a step's action key says, as written.
type actionName struct {
	// whole is the value when it names its package (PACKAGE/NAME).
	whole string
	// pkg and name are its package part (when it has one) and its name.
	pkg, name string
	// ok is true when the name compiled without a problem.
	ok bool
}

// action decodes the step's `action`, or defaults.action when it has none,
// into st.Action (and st.Package when the action names its package).
func (d *fileDec) action(f fieldSet, n *yaml.Node, sc *scope, st *Step) actionName {
	var an actionName
	act, hasAct := f.get("action")
	what := "action" // the key the action comes from, for messages
	if !hasAct && d.defaults.action != nil {
		act, hasAct, what = *d.defaults.action, true, "defaults.action"
	}
	switch {
	case !hasAct && d.unknownIn[n]:
		st.Action = emptyName
	case !hasAct:
		d.errAt(n, "missing `action`: say what to invoke (action: NAME, or action: PACKAGE/NAME), or set defaults.action")
		st.Action = emptyName
	case act.v.Kind != yaml.ScalarNode || isNull(act.v):
		d.errAt(act.v, fmt.Sprintf("%s: expected a name, got %s", what, kindOf(act.v)))
		st.Action = emptyName
	default:
		raw := act.v.Value
		if i := slashOutsideRefs(raw); i >= 0 {
			an.whole = raw
			an.pkg, an.name = raw[:i], raw[i+1:]
			if an.pkg == "" || an.name == "" || strings.Contains(an.name, "/") {
				d.errAt(act.v, fmt.Sprintf("%s: %q is not PACKAGE/NAME: write the package and the action name separated by one /", what, clip(raw)))
				st.Package, st.Action = emptyName, emptyName
				break
			}
			if p, ok := f.get("package"); ok {
				d.errAt(p.k, fmt.Sprintf("package: the %s %q already names its package: remove `package`, or write the action name alone", what, clip(raw)))
			}
			pn := *act.v
			pn.Value = an.pkg
			st.Package, _ = d.name(&pn, sc, what)
		} else {
			an.name = raw
		}
		nn := *act.v
		nn.Value = an.name
		st.Action, an.ok = d.name(&nn, sc, what)
	}
	return an
}

// slashOutsideRefs returns the index of the first "/" not inside "${...}",
// or -1.
func slashOutsideRefs(s string) int {
	in := false
	for i := 0; i < len(s); i++ {
		switch {
		case !in && strings.HasPrefix(s[i:], "${"):
			in = true
		case in && s[i] == '}':
			in = false
		case !in && s[i] == '/':
			return i
		}
	}
	return -1
}

// name compiles a scalar that resolves to a string (package, action,
// platform): a whole reference to a non-string value is formatted as text.
// ok is false when it reported a problem.
func (d *fileDec) name(n *yaml.Node, sc *scope, ctx string) (*Template, bool) {
	var t tnode
	ok := true
	if n.ShortTag() == "!!str" {
		t, ok = d.compileString(n, sc, ctx)
	} else {
		t = litNode{v: n.Value}
	}
	switch v := t.(type) {
	case litNode:
		s := formatText(v.v)
		if s == "" {
			d.errAt(n, ctx+": must not be empty")
			ok = false
		}
		return d.staticName(s), ok
	case refNode:
		return &Template{dyn: concatNode{parts: []strPart{{ref: v.name}}}}, ok
	}
	return newTemplate(t), ok
}

func (d *fileDec) platform(n *yaml.Node, sc *scope, ctx string) *Template {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		d.errAt(n, fmt.Sprintf("%s: expected classic or vpc, got %s", ctx, kindOf(n)))
		return emptyName
	}
	t, _ := d.name(n, sc, ctx)
	if t.Static() {
		if s := t.static.(string); s != "" && !slices.Contains(platforms, s) {
			msg := fmt.Sprintf("%s: %q is not a platform: use classic or vpc", ctx, clip(s))
			if c := suggest.Closest(s, platforms); c != "" {
				msg += fmt.Sprintf("; did you mean %q?", c)
			}
			d.errAt(n, msg)
		}
	}
	return t
}

// keyedNode is one compiled entry of defaults.params.
type keyedNode struct {
	key string
	t   tnode
}

// defaultParams compiles defaults.params for a step's scope. The result
// depends only on which of the names it references are captured before the
// step, so it is compiled once per such set, not once per step.
func (d *fileDec) defaultParams(sc *scope) []keyedNode {
	if d.defaults.paramRefs == nil {
		d.defaults.paramRefs = map[string]bool{}
		collectRefs(d.defaults.params, d.defaults.paramRefs, 0)
		d.defaults.compiled = map[string][]keyedNode{}
	}
	var key strings.Builder
	for name := range d.defaults.paramRefs {
		if sc != nil && sc.captured[name] {
			key.WriteString(name + ",")
		}
	}
	k := key.String()
	if len(d.defaults.paramRefs) > 1 && k != "" {
		names := strings.Split(strings.TrimSuffix(k, ","), ",")
		slices.Sort(names)
		k = strings.Join(names, ",")
	}
	if c, ok := d.defaults.compiled[k]; ok {
		return c
	}
	var out []keyedNode
	for _, p := range d.pairs(d.defaults.params) {
		t, _ := d.value(p.v, sc, "defaults.params."+p.key())
		out = append(out, keyedNode{p.key(), t})
	}
	d.defaults.compiled[k] = out
	return out
}

// collectRefs records the variable names referenced in the string values
// under n.
func collectRefs(n *yaml.Node, names map[string]bool, depth int) {
	n = deref(n)
	if n == nil || depth > 10000 {
		return
	}
	if n.Kind == yaml.ScalarNode {
		if parts, err := parseTemplate(n.Value); err == nil {
			for _, p := range parts {
				if p.name != "" && !p.env {
					names[p.name] = true
				}
			}
		}
		return
	}
	for _, c := range n.Content {
		collectRefs(c, names, depth+1)
	}
}

// params compiles the body: defaults.params shallow-merged under the
// step's own params.
func (d *fileDec) params(own *yaml.Node, sc *scope) *Template {
	var keys []string
	vals := map[string]tnode{}
	set := func(k string, t tnode) {
		if _, ok := vals[k]; !ok {
			keys = append(keys, k)
		}
		vals[k] = t
	}
	add := func(n *yaml.Node, ctx string) {
		for _, p := range d.pairs(n) {
			t, _ := d.value(p.v, sc, ctx+"."+p.key())
			set(p.key(), t)
		}
	}
	if d.defaults.params != nil {
		for _, kv := range d.defaultParams(sc) {
			set(kv.key, kv.t)
		}
	}
	if own != nil {
		if own.Kind != yaml.MappingNode {
			d.errAt(own, fmt.Sprintf("params: expected a mapping (the JSON object sent as the body), got %s", kindOf(own)))
		} else {
			add(own, "params")
		}
	}
	static := true
	for _, v := range vals {
		if _, ok := v.(litNode); !ok {
			static = false
		}
	}
	if static {
		m := make(map[string]any, len(vals))
		for k, v := range vals {
			m[k] = v.(litNode).v
		}
		return &Template{static: m}
	}
	mn := mapNode{keys: keys, vals: make([]tnode, len(keys))}
	for i, k := range keys {
		mn.vals[i] = vals[k]
	}
	return &Template{dyn: mn}
}

// loadTime compiles a value that must be known at load time.
func (d *fileDec) loadTime(n *yaml.Node, sc *scope, ctx string) (any, bool) {
	t, ok := d.value(n, sc, ctx)
	if l, lit := t.(litNode); lit {
		return l.v, ok
	}
	d.errAt(n, fmt.Sprintf("%s: must be known at load time, but ${%s} is a capture, known only at run time: use a variable from vars, --var or --var-file", ctx, firstRef(t)))
	return nil, false
}

// duration decodes a Go duration ("1m30s") or integer milliseconds.
func (d *fileDec) duration(n *yaml.Node, sc *scope, ctx string) (time.Duration, bool) {
	v, ok := d.loadTime(n, sc, ctx)
	if !ok {
		return 0, false
	}
	var dur time.Duration
	switch v := v.(type) {
	case json.Number:
		ms, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil || ms > int64(1<<62)/int64(time.Millisecond) {
			d.errAt(n, fmt.Sprintf("%s: %s is not a duration: write a Go duration such as 10s or 1m30s, or whole milliseconds", ctx, clip(string(v))))
			return 0, false
		}
		dur = time.Duration(ms) * time.Millisecond
	case string:
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms <= int64(1<<62)/int64(time.Millisecond) {
			dur = time.Duration(ms) * time.Millisecond
			break
		}
		x, err := time.ParseDuration(v)
		if err != nil {
			d.errAt(n, fmt.Sprintf("%s: %q is not a duration: write a Go duration such as 10s or 1m30s, or whole milliseconds", ctx, clip(v)))
			return 0, false
		}
		dur = x
	default:
		d.errAt(n, fmt.Sprintf("%s: expected a duration such as 10s or whole milliseconds, got %s", ctx, kindOfValue(v)))
		return 0, false
	}
	if dur < 0 {
		d.errAt(n, ctx+": must not be negative")
		return 0, false
	}
	return dur, true
}

// timeout decodes `timeout`: a duration of at most 60s.
func (d *fileDec) timeout(n *yaml.Node, sc *scope, ctx string) time.Duration {
	v, ok := d.duration(n, sc, ctx)
	if !ok {
		return 0
	}
	if v > maxTimeout {
		d.errAt(n, fmt.Sprintf("%s: %v is over the 60s the API allows: use at most 60s, and `deadline` to wait longer (the runner polls the activation)", ctx, v))
		return maxTimeout
	}
	return v
}

// kindOfValue names a decoded value's type for messages.
func kindOfValue(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%T", v)
}

// retry resolves a `retry` block, filling in the defaults.
func (d *fileDec) retry(raw *rawRetry, sc *scope, ctx string) *Retry {
	r := &Retry{Attempts: 3, Delay: time.Second, Backoff: 2, MaxDelay: 30 * time.Second}
	if !raw.ok {
		return r
	}
	if raw.attempts.has() {
		d.retryAttempts(raw.attempts, sc, ctx, r)
	}
	if p := raw.delay; p.has() {
		if v, ok := d.duration(p.v, sc, ctx+".delay"); ok {
			r.Delay = v
		}
	}
	if raw.backoff.has() {
		d.retryBackoff(raw.backoff, sc, ctx, r)
	}
	if p := raw.maxDelay; p.has() {
		if v, ok := d.duration(p.v, sc, ctx+".max_delay"); ok {
			r.MaxDelay = v
		}
	}
	if raw.idempotent.has() {
		d.retryIdempotent(raw.idempotent, sc, ctx, r)
	}
	return r
}

// retryAttempts decodes retry.attempts into r.
func (d *fileDec) retryAttempts(p pair, sc *scope, ctx string, r *Retry) {
	v, ok := d.loadTime(p.v, sc, ctx+".attempts")
	if !ok {
		return
	}
	num, isNum := v.(json.Number)
	i, err := strconv.ParseInt(string(num), 10, 32)
	if !isNum || err != nil || i < 1 {
		d.errAt(p.v, fmt.Sprintf("%s.attempts: expected a whole number of at least 1 (the total, the first attempt included), got %s", ctx, describe(v)))
		return
	}
	r.Attempts = int(i)
}

// retryBackoff decodes retry.backoff into r.
func (d *fileDec) retryBackoff(p pair, sc *scope, ctx string, r *Retry) {
	v, ok := d.loadTime(p.v, sc, ctx+".backoff")
	if !ok {
		return
	}
	num, isNum := v.(json.Number)
	x, err := strconv.ParseFloat(string(num), 64)
	if !isNum || err != nil || x < 1 {
		d.errAt(p.v, fmt.Sprintf("%s.backoff: expected a number of at least 1 (1 = a fixed delay), got %s", ctx, describe(v)))
		return
	}
	r.Backoff = x
}

// retryIdempotent decodes retry.idempotent into r.
func (d *fileDec) retryIdempotent(p pair, sc *scope, ctx string, r *Retry) {
	v, ok := d.loadTime(p.v, sc, ctx+".idempotent")
	if !ok {
		return
	}
	b, isBool := v.(bool)
	if !isBool {
		d.errAt(p.v, fmt.Sprintf("%s.idempotent: expected true or false (true: the action is safe to run twice), got %s", ctx, describe(v)))
		return
	}
	r.Idempotent = b
}

// describe shows a scalar value in a message, or its type for others.
func describe(v any) string {
	switch v := v.(type) {
	case json.Number:
		return string(v)
	case string:
		return strconv.Quote(clip(v))
	case bool:
		return strconv.FormatBool(v)
	}
	return kindOfValue(v)
}

// captureList decodes `capture`: NAME: PATH pairs.
func (d *fileDec) captureList(p pair) []*Capture {
	if p.v.Kind != yaml.MappingNode {
		d.errAt(p.v, fmt.Sprintf("capture: expected a mapping of NAME: PATH, got %s", kindOf(p.v)))
		return nil
	}
	var out []*Capture
	for _, c := range d.pairs(p.v) {
		if !validName(c.key()) || c.key() == "env" {
			d.errAt(c.k, "capture: "+badVarName(c.key()))
			continue
		}
		if !isString(c.v) {
			d.errAt(c.v, fmt.Sprintf("capture %s: expected a JSONPath such as content.response.result.id, got %s", c.key(), kindOf(c.v)))
			continue
		}
		path, err := d.sh.parsePath(c.v.Value)
		if err != nil {
			d.errAt(c.v, fmt.Sprintf("capture %s: %v", c.key(), err))
			continue
		}
		out = append(out, &Capture{Pos: d.pos(c.k), Name: c.key(), Path: path})
	}
	return out
}
