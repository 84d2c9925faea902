package spec

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"
)

// The first pass of a file: YAML nodes to raw structs. A raw struct holds
// each key of one mapping as written (a pair: the key node and the value
// node, so every field keeps its file, line and column), the raw structs
// of the mappings nested in it, and whether any key was unknown. The pass
// checks the shape of the document: mappings and lists where the format
// has them, no unknown or duplicate key, a `tests` list. What the values
// mean (defaults, variables and captures, names, durations, assertions) is
// the resolve pass's (resolve.go), which reads raw structs, never the
// mappings above them.
//
// The suite's own keys, vars, defaults, setup and teardown go through the
// first pass before anything is resolved; each item of `tests` goes
// through both passes before the next one (see fileDec.tests), and its raw
// struct is dropped once it is resolved.

// rawDecoder is the first pass over one file: all it knows is the file's
// name and where its problems go. The resolve pass (fileDec) has it too,
// for positions and messages.
type rawDecoder struct {
	file  string
	probs *problems
}

// pos is the position of n in the file; 1:1 for no node.
func (d *rawDecoder) pos(n *yaml.Node) Pos {
	if n == nil || n.Line == 0 {
		return Pos{File: d.file, Line: 1, Col: 1}
	}
	return Pos{File: d.file, Line: n.Line, Col: n.Column}
}

// errAt reports a problem at n.
func (d *rawDecoder) errAt(n *yaml.Node, msg string) { d.probs.add(d.pos(n), msg) }

// isSpecRoot reports whether root is a mapping that may be a spec, saying
// what it is instead when it is not.
func (d *rawDecoder) isSpecRoot(root *yaml.Node) bool {
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

// child returns the value of key in a mapping node, or nil.
func (d *rawDecoder) child(n *yaml.Node, key string) *yaml.Node {
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

// fieldTable is what one kind of mapping allows: its keys (from keys.go,
// the order messages list them in) and where each goes in its raw struct
// T, a slot of its own or, for a key without one, the rest list in
// document order (the operators of an assert item).
type fieldTable[T any] struct {
	where string // the place in messages: "in a test"
	keys  []string
	slots []func(*T) *pair // parallel to keys; nil: the key goes to rest
	rest  func(*T) *[]pair
}

// newTable builds the table of a mapping whose keys are keys. A key
// without a slot needs rest, and a slot a key: a table that disagrees with
// keys.go fails when the package starts.
func newTable[T any](where string, keys []string, slots map[string]func(*T) *pair, rest func(*T) *[]pair) *fieldTable[T] {
	t := &fieldTable[T]{where: where, keys: keys, slots: make([]func(*T) *pair, len(keys)), rest: rest}
	for i, k := range keys {
		t.slots[i] = slots[k]
		if t.slots[i] == nil && rest == nil {
			panic("spec: no slot for key " + k + " " + where)
		}
	}
	for k := range slots {
		if !slices.Contains(keys, k) {
			panic("spec: slot for a key keys.go does not list: " + k)
		}
	}
	return t
}

// decodeFields is the one field checker: it puts every entry of the
// mapping n into its slot of dst, and reports each key that t does not
// allow, with the nearest allowed key ("did you mean") or the list of
// them. ctx names n in the message when n is not a mapping; ok is false
// then. unknown is true when some key was unknown: a "missing key" error
// there would only repeat it (a misspelt key).
func decodeFields[T any](d *rawDecoder, n *yaml.Node, ctx string, t *fieldTable[T], dst *T) (unknown, ok bool) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		d.errAt(n, fmt.Sprintf("%s: expected a mapping, got %s", ctx, kindOf(n)))
		return false, false
	}
	if !plainKeys(n) {
		for _, p := range d.pairs(n) {
			unknown = t.put(d, p, dst) || unknown
		}
		return unknown, true
	}
	// The keys are plain scalars: read in place, without making the list
	// of pairs (every mapping of every test comes here).
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		key := deref(k).Value
		if prev := earlierKey(n, i, key); prev != nil {
			d.dupKey(k, key, prev)
			continue
		}
		unknown = t.put(d, pair{k: k, v: deref(n.Content[i+1])}, dst) || unknown
	}
	return unknown, true
}

// put puts p into its slot of dst; it returns true, after reporting it,
// when t does not allow its key.
func (t *fieldTable[T]) put(d *rawDecoder, p pair, dst *T) bool {
	i := slices.Index(t.keys, p.key())
	switch {
	case i < 0:
		d.errAt(p.k, unknownKey(p.key(), t.where, t.keys))
		return true
	case t.slots[i] != nil:
		*t.slots[i](dst) = p
	default:
		l := t.rest(dst)
		*l = append(*l, p)
	}
	return false
}

// has reports whether the key of p was written.
func (p pair) has() bool { return p.k != nil }

// rawSuite is the root of a spec file.
type rawSuite struct {
	node                                                *yaml.Node
	suite, vars, defaults, tags, setup, teardown, tests pair
	// varList holds the entries of vars whose names are valid.
	varList                   []pair
	defs                      rawDefaults
	setupSteps, teardownSteps rawStepList
	// captures holds every name captured anywhere in the file.
	captures map[string]bool
}

var suiteTable = newTable("at the top level of a spec", suiteKeys, map[string]func(*rawSuite) *pair{
	"suite": func(s *rawSuite) *pair { return &s.suite }, "vars": func(s *rawSuite) *pair { return &s.vars },
	"defaults": func(s *rawSuite) *pair { return &s.defaults }, "tags": func(s *rawSuite) *pair { return &s.tags },
	"setup": func(s *rawSuite) *pair { return &s.setup }, "teardown": func(s *rawSuite) *pair { return &s.teardown },
	"tests": func(s *rawSuite) *pair { return &s.tests },
}, nil)

// rawDefaults is a suite's `defaults`.
type rawDefaults struct {
	ok                                                      bool
	pkg, action, platform, timeout, deadline, params, retry pair
	retryRaw                                                *rawRetry
}

var defaultsTable = newTable("in defaults", defaultsKeys, map[string]func(*rawDefaults) *pair{
	"package": func(r *rawDefaults) *pair { return &r.pkg }, "action": func(r *rawDefaults) *pair { return &r.action },
	"platform": func(r *rawDefaults) *pair { return &r.platform }, "timeout": func(r *rawDefaults) *pair { return &r.timeout },
	"deadline": func(r *rawDefaults) *pair { return &r.deadline }, "params": func(r *rawDefaults) *pair { return &r.params },
	"retry": func(r *rawDefaults) *pair { return &r.retry },
}, nil)

// rawStep is an item of `steps`, `setup` or `teardown`, or (inside
// rawTest) the single step of a test written with invocation keys.
type rawStep struct {
	node                                                                 *yaml.Node
	ok                                                                   bool // node is a mapping
	unknown                                                              bool
	name, pkg, action, platform, timeout, params, expect, capture, retry pair
	exp                                                                  rawExpect
	retryRaw                                                             *rawRetry
	// captures holds the entries of capture (NAME: PATH), as written.
	captures []pair
}

// stepSlots are the slots of the keys a step shares with a test.
var stepSlots = map[string]func(*rawStep) *pair{
	"name": func(s *rawStep) *pair { return &s.name }, "package": func(s *rawStep) *pair { return &s.pkg },
	"action": func(s *rawStep) *pair { return &s.action }, "platform": func(s *rawStep) *pair { return &s.platform },
	"timeout": func(s *rawStep) *pair { return &s.timeout }, "params": func(s *rawStep) *pair { return &s.params },
	"expect": func(s *rawStep) *pair { return &s.expect }, "capture": func(s *rawStep) *pair { return &s.capture },
	"retry": func(s *rawStep) *pair { return &s.retry },
}

var stepTable = newTable("in a step", stepKeys, stepSlots, nil)

// rawStepList is `setup`, `teardown` or a test's `steps`.
type rawStepList struct {
	ok    bool // the key was given, with a list
	steps []rawStep
}

// rawTest is an item of `tests`.
type rawTest struct {
	rawStep                     // its name, invocation keys, expect, capture and retry
	tags, skip, deadline, steps pair
	stepList                    rawStepList
}

var testTable = newTable("in a test", testKeys, testSlots(), nil)

// testSlots are a test's own slots and those it shares with a step.
func testSlots() map[string]func(*rawTest) *pair {
	m := map[string]func(*rawTest) *pair{
		"tags": func(t *rawTest) *pair { return &t.tags }, "skip": func(t *rawTest) *pair { return &t.skip },
		"deadline": func(t *rawTest) *pair { return &t.deadline }, "steps": func(t *rawTest) *pair { return &t.steps },
	}
	for k, slot := range stepSlots {
		m[k] = func(t *rawTest) *pair { return slot(&t.rawStep) }
	}
	return m
}

// rawExpect is a step's `expect`.
type rawExpect struct {
	ok                                                                bool // expect was a mapping
	key, httpStatus, success, status, result, error, duration, assert pair
	// durationOps are the operators of duration; durationOK is false when
	// duration was not a mapping.
	durationOps rawOps
	durationOK  bool
	asserts     []rawAssert
}

var expectTable = newTable("in expect", expectKeys, map[string]func(*rawExpect) *pair{
	"http_status": func(e *rawExpect) *pair { return &e.httpStatus }, "success": func(e *rawExpect) *pair { return &e.success },
	"status": func(e *rawExpect) *pair { return &e.status }, "result": func(e *rawExpect) *pair { return &e.result },
	"error": func(e *rawExpect) *pair { return &e.error }, "duration": func(e *rawExpect) *pair { return &e.duration },
	"assert": func(e *rawExpect) *pair { return &e.assert },
}, nil)

// rawOps is a mapping of operators (expect.duration), in document order.
type rawOps struct{ ops []pair }

var durationTable = newTable("in duration", operatorKeys, nil, func(o *rawOps) *[]pair { return &o.ops })

// rawAssert is an item of expect.assert.
type rawAssert struct {
	node          *yaml.Node
	ok, unknown   bool
	path, message pair
	ops           []pair // its operators, in document order
}

var assertTable = newTable("in an assert item", assertItemKeys, map[string]func(*rawAssert) *pair{
	"path": func(a *rawAssert) *pair { return &a.path }, "message": func(a *rawAssert) *pair { return &a.message },
}, func(a *rawAssert) *[]pair { return &a.ops })

// rawRetry is a `retry` block; ok is false when it was not a mapping.
type rawRetry struct {
	ok                                             bool
	attempts, delay, backoff, maxDelay, idempotent pair
}

var retryTable = newTable("in retry", retryKeys, map[string]func(*rawRetry) *pair{
	"attempts": func(r *rawRetry) *pair { return &r.attempts }, "delay": func(r *rawRetry) *pair { return &r.delay },
	"backoff": func(r *rawRetry) *pair { return &r.backoff }, "max_delay": func(r *rawRetry) *pair { return &r.maxDelay },
	"idempotent": func(r *rawRetry) *pair { return &r.idempotent },
}, nil)

// decodeSuite is the first pass over the root mapping of a spec file.
func (d *rawDecoder) decodeSuite(root *yaml.Node) *rawSuite {
	s := &rawSuite{node: root, captures: map[string]bool{}}
	decodeFields(d, root, "suite", suiteTable, s)
	s.varList = d.decodeVars(s.vars)
	if s.defaults.has() {
		s.defs = d.decodeDefaults(s.defaults)
	}
	s.setupSteps = d.decodeStepList(s.setup, "setup", s.captures)
	s.teardownSteps = d.decodeStepList(s.teardown, "teardown", s.captures)
	d.checkTests(s)
	return s
}

// decodeVars returns the entries of `vars` whose names are valid.
func (d *rawDecoder) decodeVars(p pair) []pair {
	if !p.has() {
		return nil
	}
	if p.v.Kind != yaml.MappingNode {
		d.errAt(p.v, fmt.Sprintf("vars: expected a mapping of NAME: VALUE, got %s", kindOf(p.v)))
		return nil
	}
	var out []pair
	for _, vp := range d.pairs(p.v) {
		if !validName(vp.key()) || vp.key() == "env" {
			d.errAt(vp.k, "vars: "+badVarName(vp.key()))
			continue
		}
		out = append(out, vp)
	}
	return out
}

// decodeDefaults is the first pass over `defaults`.
func (d *rawDecoder) decodeDefaults(p pair) rawDefaults {
	var r rawDefaults
	if _, r.ok = decodeFields(d, p.v, "defaults", defaultsTable, &r); r.ok && r.retry.has() {
		r.retryRaw = d.decodeRetry(r.retry.v, "defaults.retry")
	}
	return r
}

// checkTests checks that `tests` is a non-empty list. Its items are
// decoded one at a time, each just before it is resolved (see
// fileDec.tests).
func (d *rawDecoder) checkTests(s *rawSuite) {
	p := s.tests
	switch {
	case !p.has():
		d.errAt(s.node, "missing `tests`: a spec needs a `tests` list")
	case p.v.Kind != yaml.SequenceNode:
		d.errAt(p.v, fmt.Sprintf("tests: expected a list, got %s", kindOf(p.v)))
	case len(p.v.Content) == 0:
		d.errAt(p.v, "tests: the list is empty; add at least one test")
	}
}

// decodeTest is the first pass over an item of `tests`. What the test
// runs is decoded as the resolve pass will use it: its steps, or its own
// expect and retry when it invokes something itself. The names it
// captures go to caps in every case.
func (d *rawDecoder) decodeTest(t *rawTest, n *yaml.Node, caps map[string]bool, defaultAction bool) {
	t.node = n
	if t.unknown, t.ok = decodeFields(d, n, "tests item", testTable, t); !t.ok {
		return
	}
	d.decodeCaptures(&t.rawStep, caps)
	switch {
	case t.steps.has() && len(t.invocationKeys()) > 0:
		d.scanStepCaptures(t.steps.v, caps) // the test is an error as a whole
	case t.steps.has():
		t.stepList = d.decodeStepList(t.steps, "steps", caps)
	case len(t.invocationKeys()) > 0 || defaultAction:
		d.decodeStepParts(&t.rawStep)
	}
}

// invocationKeys lists the invocation keys a test was written with, in the
// order of invocationKeys.
func (t *rawTest) invocationKeys() []pair {
	var out []pair
	for _, p := range []pair{t.pkg, t.action, t.platform, t.timeout, t.params} {
		if p.has() {
			out = append(out, p)
		}
	}
	return out
}

// decodeStepList is the first pass over `setup`, `teardown` or a test's
// `steps`; the names its steps capture go to caps.
func (d *rawDecoder) decodeStepList(p pair, ctx string, caps map[string]bool) rawStepList {
	if !p.has() {
		return rawStepList{}
	}
	if p.v.Kind != yaml.SequenceNode {
		d.errAt(p.v, fmt.Sprintf("%s: expected a list of steps, got %s", ctx, kindOf(p.v)))
		return rawStepList{}
	}
	if len(p.v.Content) == 0 && ctx == "steps" {
		d.errAt(p.v, "steps: the list is empty; add at least one step")
	}
	l := rawStepList{ok: true, steps: make([]rawStep, len(p.v.Content))}
	for i, item := range p.v.Content {
		s := &l.steps[i]
		s.node = deref(item)
		if s.unknown, s.ok = decodeFields(d, s.node, ctx+" item", stepTable, s); s.ok {
			d.decodeCaptures(s, caps)
			d.decodeStepParts(s)
		}
	}
	return l
}

// decodeCaptures records the entries of a step's capture mapping, and
// their names in caps (the resolve pass reports a capture that is not a
// mapping).
func (d *rawDecoder) decodeCaptures(s *rawStep, caps map[string]bool) {
	if !s.capture.has() || s.capture.v.Kind != yaml.MappingNode {
		return
	}
	s.captures = d.pairs(s.capture.v)
	for _, c := range s.captures {
		caps[c.key()] = true
	}
}

// scanStepCaptures adds to caps the names the items of a steps list
// capture, without decoding the steps.
func (d *rawDecoder) scanStepCaptures(steps *yaml.Node, caps map[string]bool) {
	if steps.Kind != yaml.SequenceNode {
		return
	}
	for _, item := range steps.Content {
		if c := d.child(item, "capture"); c != nil && c.Kind == yaml.MappingNode {
			for _, p := range d.pairs(c) {
				caps[p.key()] = true
			}
		}
	}
}

// decodeStepParts is the first pass over the mappings in a step: expect
// and retry.
func (d *rawDecoder) decodeStepParts(s *rawStep) {
	if s.expect.has() {
		d.decodeExpect(s.expect, &s.exp)
	}
	if s.retry.has() {
		s.retryRaw = d.decodeRetry(s.retry.v, "retry")
	}
}

// decodeExpect is the first pass over `expect`, its duration operators and
// its assert items.
func (d *rawDecoder) decodeExpect(p pair, e *rawExpect) {
	e.key = p
	if _, e.ok = decodeFields(d, p.v, "expect", expectTable, e); !e.ok {
		return
	}
	if e.duration.has() {
		_, e.durationOK = decodeFields(d, e.duration.v, "duration", durationTable, &e.durationOps)
	}
	if !e.assert.has() {
		return
	}
	if e.assert.v.Kind != yaml.SequenceNode {
		d.errAt(e.assert.v, fmt.Sprintf("assert: expected a list of path assertions, got %s", kindOf(e.assert.v)))
		return
	}
	e.asserts = make([]rawAssert, len(e.assert.v.Content))
	for i, item := range e.assert.v.Content {
		a := &e.asserts[i]
		a.node = deref(item)
		if a.node.Kind == yaml.MappingNode {
			a.ops = make([]pair, 0, len(a.node.Content)/2)
		}
		a.unknown, a.ok = decodeFields(d, a.node, "assert item", assertTable, a)
	}
}

// decodeRetry is the first pass over a `retry` block; ctx names it in
// messages.
func (d *rawDecoder) decodeRetry(n *yaml.Node, ctx string) *rawRetry {
	r := &rawRetry{}
	_, r.ok = decodeFields(d, n, ctx, retryTable, r)
	return r
}
