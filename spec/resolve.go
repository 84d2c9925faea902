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

// fileDec is the resolve pass over one spec file (this file, vars.go,
// expect.go): defaults, variables and captures, names and checks. The
// first pass (raw.go) is its rawDecoder, which knows none of that. It is
// used by one goroutine.
type fileDec struct {
	rawDecoder
	dir       string
	globals   *globalVars
	lookupEnv func(string) (string, bool)
	sh        *shared

	vars map[string]*suiteVar
	// captures holds the names the file captures: all of them once the
	// file is decoded (messages that need them wait: see undefRef).
	captures map[string]bool
	defaults defaults
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
	// undefs are the references to unknown names found so far, whose
	// messages wait for captures; undefSeen has each once.
	undefs    []undefRef
	undefSeen map[undefRef]bool
	// rawTest holds the test being decoded and resolved.
	rawTest rawTest
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

// suite decodes the root of a spec file: the first pass to raw structs
// (raw.go), then the resolve pass.
func (d *fileDec) suite(root *yaml.Node, name string) *Suite {
	root = deref(root)
	if !d.isSpecRoot(root) {
		return nil
	}
	s := d.resolveSuite(d.decodeSuite(root), name)
	d.reportUndefined()
	return s
}

// resolveSuite is the resolve pass over a decoded file.
func (d *fileDec) resolveSuite(raw *rawSuite, name string) *Suite {
	s := &Suite{Name: name, File: d.file, Pos: d.pos(raw.node)}
	if raw.suite.has() {
		if v, ok := d.plainString(raw.suite, "suite"); ok {
			s.Name = v
		}
	}
	d.captures = raw.captures
	d.vars = make(map[string]*suiteVar, len(raw.varList))
	for _, vp := range raw.varList {
		d.vars[vp.key()] = &suiteVar{k: vp.k, v: vp.v}
	}
	// Resolve every suite variable, so that a broken one is reported even
	// when nothing uses it (and --var overrides are not evaluated).
	for _, vp := range raw.varList {
		if _, over := d.globals.vals[vp.key()]; !over {
			d.loadVar(vp.key(), nil)
		}
	}
	if raw.tags.has() {
		s.Tags = d.tags(raw.tags, nil)
	}
	d.defaults = defaults{deadline: defaultDeadline}
	if raw.defs.ok {
		d.resolveDefaults(&raw.defs)
	}
	setupCaps := map[string]bool{}
	if raw.setupSteps.ok {
		s.Setup, setupCaps = d.stepList(raw.setupSteps, setupCaps)
	}
	if raw.teardownSteps.ok {
		s.Teardown, _ = d.stepList(raw.teardownSteps, setupCaps)
	}
	if raw.tests.has() && raw.tests.v.Kind == yaml.SequenceNode {
		d.tests(raw.tests.v, s, setupCaps)
	}
	return s
}

// tests decodes and resolves the items of the `tests` list into s.Tests,
// reporting duplicate names. Each item goes through both passes before the
// next one: the file's tree is walked once, in order, while it is in the
// processor's caches, and a test's raw struct is dropped as soon as it is
// resolved. (Walking a large file twice, first pass then resolve pass,
// cost 5 % of the load time.)
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
		raw := &d.rawTest // reused: a test's raw struct is not kept
		d.decodeTest(raw, deref(item), d.captures, d.defaults.action != nil)
		if release {
			list.Content[i] = nil
		}
		t := d.test(raw, s, setupCaps)
		*raw = rawTest{}
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

// resolveDefaults resolves a suite's `defaults` into d.defaults.
func (d *fileDec) resolveDefaults(r *rawDefaults) {
	sc := &scope{}
	d.defaults.pkg, d.defaults.platform = r.pkg.v, r.platform.v
	if r.action.has() {
		d.defaults.action = &r.action
		if r.action.v.Kind != yaml.ScalarNode || isNull(r.action.v) {
			// The message each use would give, once even if none uses it.
			d.errAt(r.action.v, fmt.Sprintf("defaults.action: expected a name, got %s", kindOf(r.action.v)))
		}
	}
	if q := r.params; q.has() {
		if q.v.Kind != yaml.MappingNode {
			d.errAt(q.v, fmt.Sprintf("defaults.params: expected a mapping, got %s", kindOf(q.v)))
		} else {
			d.defaults.params = q.v
		}
	}
	if r.timeout.has() {
		d.defaults.timeout = d.timeout(r.timeout.v, sc, "defaults.timeout")
		d.defaults.timeoutSet = true
	}
	if q := r.deadline; q.has() {
		if v, ok := d.duration(q.v, sc, "defaults.deadline"); ok {
			if v <= 0 {
				d.errAt(q.v, "defaults.deadline: must be more than zero")
			} else {
				d.defaults.deadline = v
			}
		}
	}
	if r.retry.has() {
		d.defaults.retry = d.retry(r.retryRaw, sc, "defaults.retry")
	}
}

// stepList resolves `setup`, `teardown` or a test's `steps`. base holds
// the names captured before the list; the result adds the list's
// captures.
func (d *fileDec) stepList(l rawStepList, base map[string]bool) ([]*Step, map[string]bool) {
	captured := maps.Clone(base)
	later := make([][]pair, len(l.steps))
	for i := range l.steps {
		later[i] = l.steps[i].captures
	}
	steps := make([]*Step, 0, len(l.steps))
	for i := range l.steps {
		if !l.steps[i].ok {
			continue
		}
		sc := &scope{captured: captured, later: later[i:]}
		st := d.invocation(&l.steps[i], sc, true)
		st.Index = len(steps)
		steps = append(steps, st)
		for _, c := range st.Captures {
			captured[c.Name] = true
		}
	}
	return steps, captured
}

// test resolves one item of `tests`; nil when it was not a mapping.
func (d *fileDec) test(r *rawTest, s *Suite, setupCaps map[string]bool) *Test {
	if !r.ok {
		return nil
	}
	t := &Test{Suite: s, Pos: d.pos(r.node), Deadline: d.defaults.deadline, Tags: slices.Clone(s.Tags)}
	if r.name.has() {
		t.Name, _ = d.plainString(r.name, "name")
	} else {
		d.errAt(r.node, "a test needs a `name`, unique within the suite")
	}
	if r.tags.has() {
		t.Tags = d.tags(r.tags, s.Tags)
	}
	if r.skip.has() {
		t.Skip = d.skip(r.skip)
	}
	if r.deadline.has() {
		d.testDeadline(r.deadline, t)
	}
	d.testRun(r, t, setupCaps)
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

// testRun resolves what a test runs: its `steps`, or the invocation keys
// of its single step.
func (d *fileDec) testRun(r *rawTest, t *Test, setupCaps map[string]bool) {
	invKeys := r.invocationKeys()
	switch {
	case r.steps.has() && len(invKeys) > 0:
		names := make([]string, len(invKeys))
		for i, p := range invKeys {
			names[i] = p.key()
		}
		d.errAt(invKeys[0].k, fmt.Sprintf("a test has either invocation keys (%s) or `steps`, not both: move %s into a step", strings.Join(invocationKeys, ", "), strings.Join(names, ", ")))
	case r.steps.has():
		for _, p := range []pair{r.expect, r.capture, r.retry} {
			if p.has() {
				d.errAt(p.k, fmt.Sprintf("%s: a test with `steps` has no %s of its own: move it into the step it belongs to", p.key(), p.key()))
			}
		}
		t.MultiStep = true
		if r.stepList.ok {
			t.Steps, _ = d.stepList(r.stepList, setupCaps)
		}
	case len(invKeys) == 0 && d.defaults.action == nil:
		d.errAt(r.node, "a test needs something to run: add `action` (or action: PACKAGE/NAME), or a `steps` list, or set defaults.action")
	default:
		sc := &scope{captured: setupCaps, later: [][]pair{r.captures}}
		t.Steps = []*Step{d.invocation(&r.rawStep, sc, false)}
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

// invocation resolves the keys shared by a single-invocation test and a
// step.
func (d *fileDec) invocation(r *rawStep, sc *scope, isStep bool) *Step {
	st := &Step{Pos: d.pos(r.node)}
	if r.name.has() && isStep {
		st.Name, _ = d.plainString(r.name, "name")
	}
	an := d.action(r, sc, st)
	pkgRaw := an.pkg
	if st.Package == nil {
		pkgRaw = d.stepPackage(r, sc, st, an)
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
	if r.platform.has() {
		st.Platform = d.platform(r.platform.v, sc, "platform")
	} else if d.defaults.platform != nil {
		st.Platform = d.platform(d.defaults.platform, sc, "defaults.platform")
	}
	st.Timeout, st.TimeoutSet = d.defaults.timeout, d.defaults.timeoutSet
	if r.timeout.has() {
		st.Timeout, st.TimeoutSet = d.timeout(r.timeout.v, sc, "timeout"), true
	}
	d.stepParams(r.params.v, sc, st)
	st.Expect = d.expect(&r.exp, st.Pos, sc)
	if r.capture.has() {
		st.Captures = d.captureList(r.capture, r.captures)
	}
	st.Retry = d.defaults.retry
	if r.retry.has() {
		st.Retry = d.retry(r.retryRaw, sc, "retry")
	}
	return st
}

// stepPackage sets st.Package, for an action that does not name its
// package, from `package` or defaults.package; it returns the package as
// written ("" when none).
func (d *fileDec) stepPackage(r *rawStep, sc *scope, st *Step, an actionName) string {
	pkgRaw := an.pkg
	switch p := r.pkg; {
	case p.has():
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
		d.errAt(r.node, fmt.Sprintf("no package for action %q: set `package` (- for an action outside any package), write action: PACKAGE/NAME, or set defaults.package", clip(an.name)))
	}
	if st.Package == nil {
		st.Package = emptyName
	}
	return pkgRaw
}

// stepParams decodes the step's params (over defaults.params) into
// st.Params and the body it sends: encoded now when static, else
// precompiled into segments.
func (d *fileDec) stepParams(own *yaml.Node, sc *scope, st *Step) {
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
func (d *fileDec) action(r *rawStep, sc *scope, st *Step) actionName {
	var an actionName
	act, hasAct := r.action, r.action.has()
	what := "action" // the key the action comes from, for messages
	if !hasAct && d.defaults.action != nil {
		act, hasAct, what = *d.defaults.action, true, "defaults.action"
	}
	switch {
	case !hasAct && r.unknown:
		st.Action = emptyName
	case !hasAct:
		d.errAt(r.node, "missing `action`: say what to invoke (action: NAME, or action: PACKAGE/NAME), or set defaults.action")
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
			if p := r.pkg; p.has() {
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
// step's own params, keys in the order they come (the defaults' first).
func (d *fileDec) params(own *yaml.Node, sc *scope) *Template {
	var mn mapNode
	var fromDefaults map[string]int // a default's index in mn, by key
	if d.defaults.params != nil {
		defs := d.defaultParams(sc)
		fromDefaults = make(map[string]int, len(defs))
		for _, kv := range defs {
			fromDefaults[kv.key] = len(mn.keys)
			mn.keys, mn.vals = append(mn.keys, kv.key), append(mn.vals, kv.t)
		}
	}
	if own != nil && own.Kind != yaml.MappingNode {
		d.errAt(own, fmt.Sprintf("params: expected a mapping (the JSON object sent as the body), got %s", kindOf(own)))
	} else if own != nil {
		for _, p := range d.pairs(own) { // keys without duplicates
			t, _ := d.value(p.v, sc, "params."+p.key())
			if i, ok := fromDefaults[p.key()]; ok {
				mn.vals[i] = t
				continue
			}
			mn.keys, mn.vals = append(mn.keys, p.key()), append(mn.vals, t)
		}
	}
	for _, v := range mn.vals {
		if _, ok := v.(litNode); !ok {
			return &Template{dyn: mn}
		}
	}
	m := make(map[string]any, len(mn.keys))
	for i, k := range mn.keys {
		m[k] = mn.vals[i].(litNode).v
	}
	return &Template{static: m}
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
func (d *fileDec) captureList(p pair, entries []pair) []*Capture {
	if p.v.Kind != yaml.MappingNode {
		d.errAt(p.v, fmt.Sprintf("capture: expected a mapping of NAME: PATH, got %s", kindOf(p.v)))
		return nil
	}
	var out []*Capture
	for _, c := range entries {
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
