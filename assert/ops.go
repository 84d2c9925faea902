package assert

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/theory/jsonpath"
)

// Op is one operator of an assertion with its expected value, as decoded from
// the spec: nil, bool, string, json.Number, []any or map[string]any (int,
// int64 and float64 are accepted as numbers too).
type Op struct {
	// Name is one of the operators of SPEC-FORMAT.md (equals, not_equals,
	// exists, type, matches, not_matches, contains, not_contains, one_of,
	// lt, lte, gt, gte, len, count, empty, schema), or "subset" (the subset
	// match of `result`), or "error_subset" (the subset match of `error`,
	// where errorCode matches as a number or a string).
	Name     string
	Expected any
}

// Options configures New. The zero value reads schema files relative to the
// working directory and compiles each file for each assertion.
type Options struct {
	// SchemaBase is the directory relative to which a `schema` given as a
	// file path is read (the spec file's directory).
	SchemaBase string
	// Schemas, when not nil, caches schemas compiled from files so a file
	// used by many assertions is read and compiled once. It may be shared by
	// concurrent calls of New.
	Schemas *SchemaCache
	// Hide redacts the text of an expected value that an error of New or
	// NewPartial quotes, before that text is cut (nil: nothing is secret);
	// Complete is given its own.
	Hide func(string) string
}

// OpError is returned by New when one operator cannot be compiled; Index is
// the operator's index in the ops given to New. Its message reads
// "OP: what is wrong", e.g. "lt: needs a number or an RFC 3339 timestamp,
// got a list".
type OpError struct {
	Index int
	Op    string
	Err   error
}

// Error returns "OP: what is wrong".
func (e *OpError) Error() string { return e.Op + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *OpError) Unwrap() error { return e.Err }

// Assertion is a path with compiled operators. It is read-only and safe for
// concurrent use; checking allocates only to describe failures.
type Assertion struct {
	path      *Path
	ops       []compiledOp
	countOnly bool // every operator is count or exists: nodes are only counted
}

// rel is a numeric relation of lt, lte, gt, gte, equals, not_equals.
type rel uint8

const (
	relLT rel = iota
	relLTE
	relGT
	relGTE
	relEQ
	relNE
)

func (r rel) phrase() string {
	switch r {
	case relLT:
		return "less than"
	case relLTE:
		return "less than or equal to"
	case relGT:
		return "greater than"
	case relGTE:
		return "greater than or equal to"
	case relEQ:
		return "equal to"
	default:
		return "different from"
	}
}

func (r rel) holds(c int) bool {
	switch r {
	case relLT:
		return c < 0
	case relLTE:
		return c <= 0
	case relGT:
		return c > 0
	case relGTE:
		return c >= 0
	case relEQ:
		return c == 0
	default:
		return c != 0
	}
}

func relOf(name string) (rel, bool) {
	switch name {
	case "lt":
		return relLT, true
	case "lte":
		return relLTE, true
	case "gt":
		return relGT, true
	case "gte":
		return relGTE, true
	case "equals":
		return relEQ, true
	case "not_equals":
		return relNE, true
	}
	return 0, false
}

// compiledOp is one operator of an assertion, compiled.
type compiledOp struct {
	name     string
	expected any
	check    checker
}

// New compiles an assertion: regexes, schemas and operator maps are compiled
// here, once. It needs a non-nil path and at least one operator. When one
// operator is wrong the error is its *OpError; when several are, it is
// errors.Join of their *OpErrors (unwrap with Unwrap() []error).
func New(path *Path, ops []Op, opts Options) (*Assertion, error) {
	p, err := NewPartial(path, ops, nil, opts)
	if err != nil {
		return nil, err
	}
	return p.Complete(nil, opts.Hide)
}

// Partial is an assertion compiled but for the operators whose expected
// values are known only at run time (values captured from an earlier
// response): Complete compiles those, and only those, when they are known.
// A Partial is read-only and safe for concurrent use.
type Partial struct {
	path  *Path
	ops   []compiledOp // the late ones are zero until Complete
	late  []int        // indices of the operators Complete compiles
	names []string     // their names
	opts  Options
}

// NewPartial compiles ops but for those at the indices late, whose Expected
// is ignored (only their names are checked). Errors are as for New.
func NewPartial(path *Path, ops []Op, late []int, opts Options) (*Partial, error) {
	if path == nil {
		return nil, errors.New("assertion has no path")
	}
	if len(ops) == 0 {
		return nil, fmt.Errorf("assertion on %s has no operator; give one of %s", path.text, strings.Join(OperatorNames(), ", "))
	}
	p := &Partial{path: path, ops: make([]compiledOp, len(ops)), late: late, opts: opts}
	var errs []error
	for i, op := range ops {
		if slices.Contains(late, i) {
			if _, ok := lookup(op.Name); !ok {
				errs = append(errs, &OpError{Index: i, Op: op.Name, Err: errUnknownOperator()})
			}
			p.names = append(p.names, op.Name)
			continue
		}
		c, err := compileOp(op, opts)
		if err != nil {
			errs = append(errs, &OpError{Index: i, Op: op.Name, Err: err})
			continue
		}
		p.ops[i] = c
	}
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	return p, nil
}

// Complete compiles the late operators with their expected values, in the
// order of the indices given to NewPartial, and returns the assertion.
// Errors are *OpError values (joined when several) indexed as in NewPartial;
// a value one quotes is redacted with hide (nil: nothing is secret) before
// it is cut: late values come from responses, and may be secrets captured
// at run time.
func (p *Partial) Complete(expected []any, hide func(string) string) (*Assertion, error) {
	if len(expected) != len(p.late) {
		return nil, fmt.Errorf("assertion on %s: %d late values for %d late operators", p.path.text, len(expected), len(p.late))
	}
	ops := p.ops
	if len(p.late) > 0 {
		ops = slices.Clone(p.ops)
	}
	opts := p.opts
	opts.Hide = hide
	var errs []error
	for k, i := range p.late {
		c, err := compileOp(Op{Name: p.names[k], Expected: expected[k]}, opts)
		if err != nil {
			errs = append(errs, &OpError{Index: i, Op: p.names[k], Err: err})
			continue
		}
		ops[i] = c
	}
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	a := &Assertion{path: p.path, ops: ops, countOnly: true}
	for _, c := range ops {
		if _, ok := c.check.(counter); !ok {
			a.countOnly = false
		}
	}
	return a, nil
}

// joinErrors returns nil, the one error, or errors.Join of them.
func joinErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}

// describe names the kind of a value for error messages, quoting it
// redacted with hide, then cut to 60 bytes.
func describe(v any, hide func(string) string) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean (" + strconv.FormatBool(x) + ")"
	case string:
		return "a string (" + Format(x, 60, hide) + ")"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	if isNumber(v) {
		return "a number (" + Format(v, 60, hide) + ")"
	}
	return fmt.Sprintf("a %T", v)
}

// typeName is the JSON type of v ("" when v is not a JSON value).
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	if isNumber(v) {
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

// Path returns the assertion's path.
func (a *Assertion) Path() *Path { return a.path }

// Check evaluates every operator against the nodes the path selects in doc
// and returns one Failure per operator that does not hold (nil when all
// hold), in the order of the operators. An operator applies to every
// selected node and reports the first node that fails it, in normalized-path
// order (document order for arrays, key order for objects), so failures are
// the same on every call; a path that selects no node fails every operator
// except `exists: false` and a `count` that holds for 0. Check does not
// modify doc. On success it allocates nothing for paths made of names,
// indexes and wildcards (other paths allocate inside the JSONPath library,
// as does schema validation); failures allocate their descriptions.
//
// hide (nil: nothing is secret) redacts the text of each value a failure's
// Reason or Diff quotes before that text is cut to length: a value cut
// first would keep a prefix of a secret that no longer matches it.
func (a *Assertion) Check(doc any, hide func(string) string) []Failure {
	var buf [1]any
	var nodes []any
	count := 0
	if a.countOnly {
		count = a.path.count(doc)
	} else {
		nodes = a.path.selectInto(doc, buf[:0])
		count = len(nodes)
	}
	var fails []Failure
	var located jsonpath.LocatedNodeList
	locate := func() jsonpath.LocatedNodeList {
		if located == nil {
			located = a.path.jp.SelectLocated(doc)
			located.Sort()
		}
		return located
	}
	for i := range a.ops {
		op := &a.ops[i]
		switch c := op.check.(type) {
		case countOp:
			if !c.counts(count) {
				fails = append(fails, a.failure(op, count, plural(count, "node")+" selected"))
			}
			continue
		case existsOp:
			if c.counts(count) {
				continue
			}
			if c.want {
				fails = append(fails, a.failure(op, nil, "no node selected"))
				continue
			}
			f := a.failure(op, nil, plural(count, "node")+" selected")
			// The library should locate what the walker counted; if it
			// ever disagrees, the failure stands without the location.
			if loc := locate(); len(loc) > 0 {
				f = a.failure(op, loc[0].Node, plural(count, "node")+" selected")
				f.Node = loc[0].Path.String()
			}
			fails = append(fails, f)
			continue
		}
		if len(nodes) == 0 {
			fails = append(fails, a.failure(op, nil, "no node selected"))
			continue
		}
		if op.holdsAll(nodes) {
			continue
		}
		// Describe the first failing node in a stable order.
		fails = append(fails, a.describe(op, nodes, locate(), hide))
	}
	return fails
}

func (op *compiledOp) holdsAll(nodes []any) bool {
	for _, n := range nodes {
		if !op.check.holds(n) {
			return false
		}
	}
	return true
}

// describe reports the first node of loc that fails op; nodes is the
// (unordered) node list in which a failing node was found.
func (a *Assertion) describe(op *compiledOp, nodes []any, loc jsonpath.LocatedNodeList, hide func(string) string) Failure {
	for j, n := range loc {
		if op.check.holds(n.Node) {
			continue
		}
		f := a.failure(op, n.Node, "")
		op.check.explain(n.Node, &f, hide)
		f.Node = n.Path.String()
		if len(loc) > 1 {
			f.Reason += " (node " + strconv.Itoa(j+1) + " of " + strconv.Itoa(len(loc)) + ")"
		}
		return f
	}
	// The located nodes should be the same as nodes; if the library ever
	// disagrees, still report the failing node, without its location.
	for _, n := range nodes {
		if !op.check.holds(n) {
			f := a.failure(op, n, "")
			op.check.explain(n, &f, hide)
			return f
		}
	}
	return a.failure(op, nil, "failed")
}

func (a *Assertion) failure(op *compiledOp, actual any, reason string) Failure {
	return Failure{Path: a.path.text, Op: op.name, Expected: op.expected, Actual: actual, Reason: reason}
}

// Failure describes one operator that did not hold.
type Failure struct {
	// Path is the assertion's path as written.
	Path string
	// Op is the operator's name.
	Op string
	// Expected is the operator's expected value (for count and len the
	// number or operator map as given); Actual the value that failed it (a
	// node's value, or the node count (an int) for count, or nil when the
	// path selected nothing).
	Expected any
	Actual   any
	// Node is the normalized path of the failing node (e.g.
	// $['content']['duration']), empty when the path selected nothing.
	Node string
	// Pointer is the JSON pointer, relative to Node, of the first
	// difference for objects and arrays; empty otherwise.
	Pointer string
	// Diff is a compact, human-readable difference of expected and actual
	// for objects and arrays, one line per difference such as
	// "/items/0/id: expected 3, got 4"; empty otherwise.
	Diff string
	// Reason says in words why the operator failed, e.g. "no node
	// selected", "not a string", "value differs at /a/b".
	Reason string
}

// String formats the failure on one line (without the diff), e.g.
// `$.a: equals: value differs at /x (expected {"x":1}, got {"x":2})`: Text
// of a failure that holds no secret.
func (f Failure) String() string { return f.Text(nil) }

// Text is String with the expected and the actual value redacted with hide
// before each is cut to 200 bytes.
func (f Failure) Text(hide func(string) string) string {
	var b strings.Builder
	b.WriteString(f.Path)
	if f.Node != "" {
		b.WriteString(" [" + f.Node + "]")
	}
	b.WriteString(": " + f.Op + ": " + f.Reason)
	b.WriteString(" (expected " + Format(f.Expected, 200, hide) + ", got " + Format(f.Actual, 200, hide) + ")")
	return b.String()
}

// length is the length of a string (in runes), an array or an object.
func length(v any) (int, bool) {
	switch x := v.(type) {
	case string:
		return utf8.RuneCountInString(x), true
	case []any:
		return len(x), true
	case map[string]any:
		return len(x), true
	}
	return 0, false
}

func isComposite(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return true
	}
	return false
}

// compileOp compiles one operator through the operator table.
func compileOp(op Op, opts Options) (compiledOp, error) {
	o, ok := lookup(op.Name)
	if !ok {
		return compiledOp{}, errUnknownOperator()
	}
	c, err := o.compile(op.Expected, opts)
	if err != nil {
		return compiledOp{}, err
	}
	return compiledOp{name: op.Name, expected: op.Expected, check: c}, nil
}
