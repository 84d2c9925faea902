package spec

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"
)

// The first pass: YAML nodes to raw structs. A raw struct holds each key
// of one mapping as written (a pair: the key node and the value node, so
// every field keeps its file, line and column), the raw structs of the
// mappings nested in it, and whether any key was unknown. The pass checks
// the shape of the document: mappings and lists where the format has
// them, no unknown or duplicate key. What the values mean is the resolve
// pass's, which reads raw structs, never the mappings above them. So far
// expect (with its duration and assert items) and retry are decoded so.

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
func decodeFields[T any](d *fileDec, n *yaml.Node, ctx string, t *fieldTable[T], dst *T) (unknown, ok bool) {
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
func (t *fieldTable[T]) put(d *fileDec, p pair, dst *T) bool {
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

// decodeExpect is the first pass over `expect`, its duration operators and
// its assert items.
func (d *fileDec) decodeExpect(p pair, e *rawExpect) {
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
func (d *fileDec) decodeRetry(n *yaml.Node, ctx string) *rawRetry {
	r := &rawRetry{}
	_, r.ok = decodeFields(d, n, ctx, retryTable, r)
	return r
}
