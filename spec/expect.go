package spec

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/specrun/specrun/assert"
	"github.com/specrun/specrun/internal/errlist"
)

// Paths of the checks the loader derives from `expect` keys.
const (
	pathSuccess  = "$.content.response.success"
	pathStatus   = "$.content.response.status"
	pathResult   = "$.content.response.result"
	pathError    = "$.error"
	pathDuration = "$.content.duration"
)

// shared holds what every file of one Load uses: the compiled paths of the
// derived checks, the default `success: true` assertion and the schema
// cache. It is read-only once built and shared by the decoding goroutines.
type shared struct {
	success, status, result, errPath, duration *assert.Path
	successTrue                                *assert.Assertion
	successSrc                                 *dynamicCheck
	schemas                                    *assert.SchemaCache
	paths                                      sync.Map // path text → pathEntry
	assertions                                 sync.Map // appendAssertKey → assertEntry
}

// assertEntry is a static check compiled once per Load: specs repeat the
// same expectations in many tests (the default success check, `result:
// {ok: true}`, `count: 2`), and a compiled Assertion is read-only, so
// identical checks share it, and the operands as written with it.
type assertEntry struct {
	a   *assert.Assertion
	src *dynamicCheck
	err error
}

// appendAssertKey appends to b what identifies a static check: its path as
// written, the directory schema files are read from, and each operator with
// its operand (see appendOperand). ok is false when an operand cannot be
// encoded; the check is then compiled on its own.
func appendAssertKey(b []byte, path *assert.Path, base string, ops []assert.Op) (key []byte, ok bool) {
	b = append(b, path.String()...)
	b = append(b, 0)
	b = append(b, base...)
	for _, op := range ops {
		b = append(b, 0)
		b = append(b, op.Name...)
		b = append(b, 0)
		if b, ok = appendOperand(b, op.Expected); !ok {
			return b, false
		}
	}
	return b, true
}

// appendOperand appends an operand to a check's key: a string, a number, a
// boolean or null as a letter for its type and its text (the string
// quoted), an object or an array as JSON, which starts with { or [. Two
// operands get the same text only when they are equal. Scalars, the
// operands of nearly every check, are not run through encoding/json: this
// key is made for every check of every test.
func appendOperand(b []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case string:
		return strconv.AppendQuote(append(b, 's'), v), true
	case json.Number:
		return append(append(b, 'n'), v...), true
	case bool:
		return strconv.AppendBool(append(b, 'b'), v), true
	case nil:
		return append(b, 'z'), true
	}
	j, err := json.Marshal(v)
	if err != nil {
		return b, false
	}
	return append(b, j...), true
}

type pathEntry struct {
	p   *assert.Path
	err error
}

// parsePath compiles a JSONPath once per Load: specs repeat the same paths
// in many tests, and a compiled Path is read-only.
func (sh *shared) parsePath(s string) (*assert.Path, error) {
	if e, ok := sh.paths.Load(s); ok {
		return e.(pathEntry).p, e.(pathEntry).err
	}
	p, err := assert.ParsePath(s)
	sh.paths.Store(s, pathEntry{p, err})
	return p, err
}

func newShared() (*shared, error) {
	sh := &shared{schemas: &assert.SchemaCache{}}
	for _, x := range []struct {
		dst  **assert.Path
		path string
	}{{&sh.success, pathSuccess}, {&sh.status, pathStatus}, {&sh.result, pathResult}, {&sh.errPath, pathError}, {&sh.duration, pathDuration}} {
		p, err := assert.ParsePath(x.path)
		if err != nil {
			return nil, fmt.Errorf("spec: compiling %s: %w", x.path, err)
		}
		*x.dst = p
	}
	a, err := assert.New(sh.success, []assert.Op{{Name: "equals", Expected: true}}, assert.Options{})
	if err != nil {
		return nil, fmt.Errorf("spec: compiling the default success check: %w", err)
	}
	sh.successTrue = a
	sh.successSrc = &dynamicCheck{path: sh.success, ops: []dynOp{{name: "equals", t: &Template{static: true}}}}
	return sh, nil
}

// opSrc is one operator as written: its key node and compiled operand.
type opSrc struct {
	name string
	k    *yaml.Node
	t    tnode
	bad  bool // its value already had an error: do not compile it
	vars bool // its value, a string, was written with ${...}
}

// opValue compiles an operand, reporting whether that added no error.
func (d *fileDec) opValue(n *yaml.Node, sc *scope, ctx string) (tnode, bool) {
	return d.value(n, sc, ctx)
}

// dynamicCheck is a check's path and operands as written, for tests that
// print what was loaded.
type dynamicCheck struct {
	path *assert.Path
	ops  []dynOp
	opts assert.Options
}

type dynOp struct {
	name string
	t    *Template
}

// Assertion returns the compiled assertion of the check. When some of the
// check's expected values reference captures it resolves them from vars and
// compiles those operators now, the others having been compiled at load
// time (only then is anything compiled at run time); otherwise it returns
// the assertion compiled at load time, shared and read-only. Errors are
// *Error values at the check's position; a value one quotes is redacted
// with hide (nil: nothing is secret) before it is cut (assert's
// Partial.Complete).
func (c *Check) Assertion(vars map[string]any, hide func(string) string) (*assert.Assertion, error) {
	if c.dyn == nil {
		return c.compiled, nil
	}
	vals := make([]any, len(c.dyn.late))
	for i, t := range c.dyn.late {
		v, err := t.Resolve(vars)
		if err != nil {
			return nil, &Error{Pos: c.Pos, Msg: c.Key + ": " + err.Error()}
		}
		vals[i] = v
	}
	a, err := c.dyn.partial.Complete(vals, hide)
	if err != nil {
		return nil, &Error{Pos: c.Pos, Msg: c.Key + ": " + err.Error()}
	}
	return a, nil
}

// Static reports whether the check was compiled at load time (its expected
// values reference no capture).
func (c *Check) Static() bool { return c.dyn == nil }

// Body returns the JSON encoding of the step's params with vars substituted
// (object keys sorted). For static params the bytes are computed once at
// load time and shared: callers must not modify the returned slice.
func (s *Step) Body(vars map[string]any) ([]byte, error) {
	if s.body != nil {
		return s.body, nil
	}
	size := 0
	for _, seg := range s.bodySegs {
		size += len(seg.lit) + 16
	}
	b, err := appendBody(make([]byte, 0, size), s.bodySegs, vars)
	if err != nil {
		return nil, &Error{Pos: s.Pos, Msg: "params: " + err.Error()}
	}
	return b, nil
}

// newLateCheck compiles a check whose operators late wait for captures:
// only those are compiled at run time; a fixed regexp or schema beside them
// is compiled now.
func newLateCheck(path *assert.Path, ops []assert.Op, late []int, lateT []*Template, opts assert.Options) (*lateCheck, error) {
	p, err := assert.NewPartial(path, ops, late, opts)
	if p == nil {
		return nil, err
	}
	return &lateCheck{partial: p, late: lateT}, err
}

// check builds one Check, compiling it now when nothing in it depends on
// captures. Operator errors point at the operator's key.
func (d *fileDec) check(pos Pos, key, msg string, path *assert.Path, ops []opSrc) *Check {
	// sound are the operators without a problem so far (idx: where each
	// was written); late are those whose operand references a capture,
	// compiled at run time, all others being compiled now. (Kept here, not
	// returned by a helper, so that the slices stay on the stack.)
	var sound []assert.Op
	var idx, late []int
	var lateT []*Template
	for i, op := range ops {
		if op.bad {
			continue
		}
		if l, ok := op.t.(litNode); ok {
			sound = append(sound, assert.Op{Name: op.name, Expected: l.v})
			idx = append(idx, i)
			continue
		}
		if op.name == "matches" || op.name == "not_matches" || op.name == "schema" {
			d.errAt(op.k, fmt.Sprintf("%s: the operand must be known at load time, but ${%s} is a capture, known only at run time: use a variable from vars, --var or --var-file", op.name, firstRef(op.t)))
			continue
		}
		late = append(late, len(sound))
		lateT = append(lateT, newTemplate(op.t))
		sound = append(sound, assert.Op{Name: op.name})
		idx = append(idx, i)
	}
	c := &Check{Pos: pos, Key: key, Message: msg}
	d.compileCheck(c, path, ops, sound, idx, late, lateT)
	return c
}

// compileCheck compiles c from its operators sorted by check, sharing it
// with every identical check of this Load when its operands are all known
// now and all sound. The slices are separate parameters so that sound and
// idx, which do not leak, stay on check's stack.
func (d *fileDec) compileCheck(c *Check, path *assert.Path, ops []opSrc, sound []assert.Op, idx, late []int, lateT []*Template) {
	opts := assert.Options{SchemaBase: d.dir, Schemas: d.sh.schemas}
	opOf := func(i int) opSrc { return ops[idx[i]] }
	shareable := len(late) == 0 && len(sound) == len(ops) && len(sound) > 0
	if shareable {
		d.keyBuf, shareable = appendAssertKey(d.keyBuf[:0], path, opts.SchemaBase, sound)
	}
	if shareable {
		if entry, ok := d.sharedCheck(d.keyBuf); ok {
			if entry.err != nil {
				d.opErrors(entry.err, c.Pos, opOf)
			}
			c.compiled, c.src = entry.a, entry.src
			return
		}
	}
	var err error
	switch {
	case len(sound) == 0:
	case len(late) == 0:
		c.compiled, err = assert.New(path, sound, opts)
	default:
		c.dyn, err = newLateCheck(path, sound, late, lateT, opts)
	}
	if err != nil {
		d.opErrors(err, c.Pos, opOf)
	}
	dc := &dynamicCheck{path: path, opts: opts, ops: make([]dynOp, len(ops))}
	for i, op := range ops {
		dc.ops[i] = dynOp{name: op.name, t: newTemplate(op.t)}
	}
	c.src = dc
	if shareable {
		key, entry := string(d.keyBuf), assertEntry{a: c.compiled, src: dc, err: err}
		d.sh.assertions.Store(key, entry)
		d.cacheCheck(key, entry)
	}
}

// sharedCheck finds the compiled check of key: in the file's own cache
// first, which a lookup reads without making a string of key, then in the
// Load's.
func (d *fileDec) sharedCheck(key []byte) (assertEntry, bool) {
	if e, ok := d.checks[string(key)]; ok {
		return e, true
	}
	e, ok := d.sh.assertions.Load(string(key))
	if !ok {
		return assertEntry{}, false
	}
	d.cacheCheck(string(key), e.(assertEntry))
	return e.(assertEntry), true
}

func (d *fileDec) cacheCheck(key string, e assertEntry) {
	if d.checks == nil {
		d.checks = map[string]assertEntry{}
	}
	d.checks[key] = e
}

// opErrors reports the errors of assert.New, each at its operator's key.
// opErrorText is oe's message, without the piece of a regular expression
// that Go's regexp quotes when op's operand was built from variables: that
// piece may be part of a secret, which no redaction of the whole secret
// would catch. A pattern written as is keeps it: it shows the mistake.
func opErrorText(oe *assert.OpError, op opSrc) string {
	var se *syntax.Error
	if !op.vars || !errors.As(oe, &se) {
		return oe.Error()
	}
	return oe.Op + ": invalid regular expression: " + string(se.Code) + " (the expression is built from variables, so its faulty part is not shown)"
}

func (d *fileDec) opErrors(err error, pos Pos, opOf func(int) opSrc) {
	for _, e := range errlist.Of(err) {
		var oe *assert.OpError
		if errors.As(e, &oe) {
			op := opOf(oe.Index)
			d.errAt(op.k, opErrorText(oe, op))
		} else {
			d.probs.add(pos, e.Error())
		}
	}
}

// expect resolves `expect` into the expected HTTP status and the ordered
// checks.
func (d *fileDec) expect(raw *rawExpect, stepPos Pos, sc *scope) Expect {
	if !raw.key.has() {
		return Expect{HTTPStatus: 200, HTTPStatusPos: stepPos, Checks: []*Check{d.defaultSuccess(stepPos)}}
	}
	e := Expect{HTTPStatus: 200, HTTPStatusPos: d.pos(raw.key.k)}
	if !raw.ok {
		return e
	}
	if raw.error.has() {
		e.HTTPStatus = 0
	}
	if raw.httpStatus.has() {
		d.httpStatus(raw.httpStatus, sc, &e)
	}
	d.responseChecks(raw, sc, &e)
	if q := raw.duration; q.has() {
		if ops := d.operatorsOf(raw.durationOps.ops, sc, "duration"); len(ops) > 0 {
			e.Checks = append(e.Checks, d.check(d.pos(q.k), "duration", "", d.sh.duration, ops))
		} else if raw.durationOK {
			d.errAt(q.v, "duration: give at least one operator, e.g. {lt: 1000}")
		}
	}
	for i := range raw.asserts {
		if c := d.assertItem(&raw.asserts[i], sc); c != nil {
			e.Checks = append(e.Checks, c)
		}
	}
	return e
}

// httpStatus decodes expect.http_status into e.
func (d *fileDec) httpStatus(q pair, sc *scope, e *Expect) {
	e.HTTPStatusPos = d.pos(q.k)
	v, ok := d.loadTime(q.v, sc, "expect.http_status")
	if !ok {
		return
	}
	s, _ := v.(jsonNumber)
	code, err := strconv.Atoi(string(s))
	if err != nil || code < 100 || code > 599 {
		d.errAt(q.v, fmt.Sprintf("http_status: expected an HTTP status code from 100 to 599, got %s", describe(v)))
		return
	}
	e.HTTPStatus = code
}

// responseChecks decodes the expect keys on the response's fields
// (success, status, result, error) into e's checks, in that order.
func (d *fileDec) responseChecks(raw *rawExpect, sc *scope, e *Expect) {
	if q := raw.success; q.has() {
		isBool := func(v any) bool { _, ok := v.(bool); return ok }
		e.Checks = append(e.Checks, d.equalsCheck(q, sc, "success", d.sh.success, isBool, "true or false"))
	} else if !raw.error.has() && !raw.status.has() {
		e.Checks = append(e.Checks, d.defaultSuccess(d.pos(raw.key.k)))
	}
	if q := raw.status; q.has() {
		isString := func(v any) bool { _, ok := v.(string); return ok }
		e.Checks = append(e.Checks, d.equalsCheck(q, sc, "status", d.sh.status, isString, `a string such as "application error"`))
	}
	if q := raw.result; q.has() {
		t, ok := d.opValue(q.v, sc, "expect.result")
		e.Checks = append(e.Checks, d.check(d.pos(q.k), "result", "", d.sh.result, []opSrc{{name: "subset", k: q.k, t: t, bad: !ok}}))
	}
	if q := raw.error; q.has() {
		if q.v.Kind != yaml.MappingNode {
			d.errAt(q.v, fmt.Sprintf("error: expected a mapping such as {errorCode: \"80301\"}, got %s", kindOf(q.v)))
		} else {
			t, ok := d.opValue(q.v, sc, "expect.error")
			e.Checks = append(e.Checks, d.check(d.pos(q.k), "error", "", d.sh.errPath, []opSrc{{name: "error_subset", k: q.k, t: t, bad: !ok}}))
		}
	}
}

// defaultSuccess is the check a step gets when its expect names none of
// success, status and error: content.response.success is true.
func (d *fileDec) defaultSuccess(pos Pos) *Check {
	return &Check{Pos: pos, Key: "success", compiled: d.sh.successTrue, src: d.sh.successSrc}
}

// equalsCheck decodes an expect key that the response field at path must
// equal (success, status): a literal value must pass valid, else the error
// says it expected want.
func (d *fileDec) equalsCheck(q pair, sc *scope, key string, path *assert.Path, valid func(any) bool, want string) *Check {
	t, ok := d.value(q.v, sc, "expect."+key)
	if l, lit := t.(litNode); lit && ok && !valid(l.v) {
		d.errAt(q.v, fmt.Sprintf("%s: expected %s, got %s", key, want, describe(l.v)))
		ok = false
	}
	return d.check(d.pos(q.k), key, "", path, []opSrc{{name: "equals", k: q.k, t: t, bad: !ok}})
}

type jsonNumber = json.Number

// operatorsOf compiles the operators among the entries of a mapping.
func (d *fileDec) operatorsOf(ps []pair, sc *scope, ctx string) []opSrc {
	var ops []opSrc
	for _, p := range ps {
		t, ok := d.opValue(p.v, sc, ctx+"."+p.key())
		vars := p.v.Kind == yaml.ScalarNode && strings.Contains(p.v.Value, "${")
		ops = append(ops, opSrc{name: p.key(), k: p.k, t: t, bad: !ok, vars: vars})
	}
	return ops
}

// assertItem resolves one item of `expect.assert`; nil when it has a
// problem.
func (d *fileDec) assertItem(a *rawAssert, sc *scope) *Check {
	if !a.ok {
		return nil
	}
	var path *assert.Path
	if p := a.path; !p.has() {
		d.errAt(a.node, "an assert item needs a `path`, e.g. path: content.response.result")
	} else if !isString(p.v) {
		d.errAt(p.v, fmt.Sprintf("path: expected a JSONPath such as content.response.result, got %s", kindOf(p.v)))
	} else if x, err := d.sh.parsePath(p.v.Value); err != nil {
		d.errAt(p.v, "path: "+err.Error())
	} else {
		path = x
	}
	var msg string
	if a.message.has() {
		msg, _ = d.plainString(a.message, "message")
	}
	ops := d.operatorsOf(a.ops, sc, "assert")
	if len(ops) == 0 && !a.unknown {
		d.errAt(a.node, "an assert item needs at least one operator: "+strings.Join(operatorKeys, ", "))
		return nil
	}
	if path == nil || len(ops) == 0 {
		return nil
	}
	return d.check(d.pos(a.node), "assert", msg, path, ops)
}
