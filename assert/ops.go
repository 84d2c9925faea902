package assert

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
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

// OperatorNames lists the operator names New accepts, in the order of
// SPEC-FORMAT.md.
func OperatorNames() []string {
	return []string{"equals", "not_equals", "exists", "type", "matches", "not_matches",
		"contains", "not_contains", "one_of", "lt", "lte", "gt", "gte", "len", "count",
		"empty", "schema", "subset", "error_subset"}
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

type opKind uint8

const (
	kEquals opKind = iota
	kNotEquals
	kExists
	kType
	kMatches
	kNotMatches
	kContains
	kNotContains
	kOneOf
	kCompare
	kLen
	kCount
	kEmpty
	kSchema
	kSubset
)

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

// constraint is one entry of an operator map such as {gte: 1}.
type constraint struct {
	name string
	rel  rel
	val  decimal
}

type compiledOp struct {
	name     string
	expected any
	kind     opKind
	flag     bool           // exists, empty; errorCode for subset
	typ      string         // type
	re       *regexp.Regexp // matches, not_matches
	list     []any          // one_of
	rel      rel            // lt, lte, gt, gte
	num      decimal        // lt, lte, gt, gte with a number
	isTime   bool           // lt, lte, gt, gte with a timestamp
	ts       time.Time
	cons     []constraint // len, count
	sch      *jsonschema.Schema
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
	return p.Complete(nil)
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
			if !slices.Contains(OperatorNames(), op.Name) {
				errs = append(errs, &OpError{Index: i, Op: op.Name, Err: fmt.Errorf("unknown operator; valid operators: %s", strings.Join(OperatorNames(), ", "))})
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
// Errors are *OpError values (joined when several) indexed as in NewPartial.
func (p *Partial) Complete(expected []any) (*Assertion, error) {
	if len(expected) != len(p.late) {
		return nil, fmt.Errorf("assertion on %s: %d late values for %d late operators", p.path.text, len(expected), len(p.late))
	}
	ops := p.ops
	if len(p.late) > 0 {
		ops = slices.Clone(p.ops)
	}
	var errs []error
	for k, i := range p.late {
		c, err := compileOp(Op{Name: p.names[k], Expected: expected[k]}, p.opts)
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
		if c.kind != kCount && c.kind != kExists {
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

const lenUsage = "takes a number or an operator map (lt, lte, gt, gte, equals, not_equals)"

func compileOp(op Op, opts Options) (compiledOp, error) {
	c := compiledOp{name: op.Name, expected: op.Expected}
	x := op.Expected
	switch op.Name {
	case "equals":
		c.kind = kEquals
	case "not_equals":
		c.kind = kNotEquals
	case "exists", "empty":
		b, ok := x.(bool)
		if !ok {
			return c, fmt.Errorf("takes true or false, got %s", describe(x))
		}
		c.kind, c.flag = kExists, b
		if op.Name == "empty" {
			c.kind = kEmpty
		}
	case "type":
		s, _ := x.(string)
		switch s {
		case "string", "number", "integer", "boolean", "object", "array", "null":
			c.kind, c.typ = kType, s
		default:
			return c, fmt.Errorf("takes one of string, number, integer, boolean, object, array, null; got %s", describe(x))
		}
	case "matches", "not_matches":
		s, ok := x.(string)
		if !ok {
			return c, fmt.Errorf("needs a string (an RE2 regular expression), got %s", describe(x))
		}
		re, err := regexp.Compile(s)
		if err != nil {
			return c, fmt.Errorf("invalid regular expression: %v", err)
		}
		c.kind, c.re = kMatches, re
		if op.Name == "not_matches" {
			c.kind = kNotMatches
		}
	case "contains":
		c.kind = kContains
	case "not_contains":
		c.kind = kNotContains
	case "one_of":
		l, ok := x.([]any)
		if !ok {
			return c, fmt.Errorf("needs a list of values, got %s", describe(x))
		}
		c.kind, c.list = kOneOf, l
	case "lt", "lte", "gt", "gte":
		c.kind = kCompare
		c.rel, _ = relOf(op.Name)
		if s, ok := x.(string); ok {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return c, fmt.Errorf("needs a number or an RFC 3339 timestamp, got %s", describe(x))
			}
			c.isTime, c.ts = true, t
			break
		}
		d, ok := toDecimal(x, nil)
		if !ok {
			return c, fmt.Errorf("needs a number or an RFC 3339 timestamp, got %s", describe(x))
		}
		c.num = d
	case "len", "count":
		cons, err := compileConstraints(x)
		if err != nil {
			return c, err
		}
		c.kind, c.cons = kLen, cons
		if op.Name == "count" {
			c.kind = kCount
		}
	case "schema":
		c.kind = kSchema
		var err error
		switch s := x.(type) {
		case map[string]any:
			c.sch, err = compileInlineSchema(s)
		case bool:
			c.sch, err = compileInlineSchema(s)
		case string:
			if s == "" {
				return c, errors.New("needs an inline schema (an object) or a file path, got an empty string")
			}
			c.sch, err = loadSchemaFile(s, opts.SchemaBase, opts.Schemas)
		default:
			return c, fmt.Errorf("needs an inline schema (an object) or a file path, got %s", describe(x))
		}
		if err != nil {
			return c, err
		}
	case "subset":
		c.kind = kSubset
	case "error_subset":
		c.kind, c.flag = kSubset, true
	default:
		return c, fmt.Errorf("unknown operator; valid operators: %s", strings.Join(OperatorNames(), ", "))
	}
	return c, nil
}

func compileConstraints(x any) ([]constraint, error) {
	if m, ok := x.(map[string]any); ok {
		if len(m) == 0 {
			return nil, errors.New(lenUsage + ", got an empty map")
		}
		cons := make([]constraint, 0, len(m))
		for _, k := range sortedKeys(m) {
			r, ok := relOf(k)
			if !ok {
				return nil, fmt.Errorf("%s; %q is not one of them", lenUsage, k)
			}
			d, ok := toDecimal(m[k], nil)
			if !ok {
				return nil, fmt.Errorf("%s needs a number, got %s", k, describe(m[k]))
			}
			cons = append(cons, constraint{name: k, rel: r, val: d})
		}
		return cons, nil
	}
	d, ok := toDecimal(x, nil)
	if !ok {
		return nil, fmt.Errorf("%s, got %s", lenUsage, describe(x))
	}
	return []constraint{{name: "equals", rel: relEQ, val: d}}, nil
}

// describe names the kind of a value for error messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean (" + strconv.FormatBool(x) + ")"
	case string:
		return "a string (" + Format(x, 60) + ")"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	if isNumber(v) {
		return "a number (" + Format(v, 60) + ")"
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
func (a *Assertion) Check(doc any) []Failure {
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
		switch op.kind {
		case kCount:
			if !op.consHold(count) {
				fails = append(fails, a.failure(op, count, plural(count, "node")+" selected"))
			}
			continue
		case kExists:
			if op.flag == (count > 0) {
				continue
			}
			if op.flag {
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
		fails = append(fails, a.describe(op, nodes, locate()))
	}
	return fails
}

func (op *compiledOp) holdsAll(nodes []any) bool {
	for _, n := range nodes {
		if !op.holds(n) {
			return false
		}
	}
	return true
}

// describe reports the first node of loc that fails op; nodes is the
// (unordered) node list in which a failing node was found.
func (a *Assertion) describe(op *compiledOp, nodes []any, loc jsonpath.LocatedNodeList) Failure {
	for j, n := range loc {
		if op.holds(n.Node) {
			continue
		}
		f := a.failure(op, n.Node, "")
		op.explain(n.Node, &f)
		f.Node = n.Path.String()
		if len(loc) > 1 {
			f.Reason += " (node " + strconv.Itoa(j+1) + " of " + strconv.Itoa(len(loc)) + ")"
		}
		return f
	}
	// The located nodes should be the same as nodes; if the library ever
	// disagrees, still report the failing node, without its location.
	for _, n := range nodes {
		if !op.holds(n) {
			f := a.failure(op, n, "")
			op.explain(n, &f)
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
// `$.a: equals: value differs at /x (expected {"x":1}, got {"x":2})`.
func (f Failure) String() string {
	var b strings.Builder
	b.WriteString(f.Path)
	if f.Node != "" {
		b.WriteString(" [" + f.Node + "]")
	}
	b.WriteString(": " + f.Op + ": " + f.Reason)
	b.WriteString(" (expected " + Format(f.Expected, 200) + ", got " + Format(f.Actual, 200) + ")")
	return b.String()
}

func (op *compiledOp) consHold(n int) bool {
	var buf [24]byte
	d := intDecimal(n, buf[:0])
	for _, c := range op.cons {
		if !c.rel.holds(d.cmp(c.val)) {
			return false
		}
	}
	return true
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

// contains reports whether v contains op's expected value; ok is false when
// the operator does not apply to v.
func (op *compiledOp) contains(v any) (found, ok bool) {
	switch x := v.(type) {
	case string:
		s, isStr := op.expected.(string)
		if !isStr {
			return false, false
		}
		return strings.Contains(x, s), true
	case []any:
		for _, e := range x {
			if Equal(op.expected, e) {
				return true, true
			}
		}
		return false, true
	case map[string]any:
		if _, isMap := op.expected.(map[string]any); !isMap {
			return false, false
		}
		return subset(op.expected, x, false), true
	}
	return false, false
}

func (op *compiledOp) holds(v any) bool {
	switch op.kind {
	case kEquals:
		return Equal(op.expected, v)
	case kNotEquals:
		return !Equal(op.expected, v)
	case kType:
		t := typeName(v)
		if op.typ == "integer" {
			if t != "number" {
				return false
			}
			var buf [40]byte
			d, ok := toDecimal(v, buf[:0])
			return ok && d.isInteger()
		}
		return t == op.typ
	case kMatches, kNotMatches:
		s, ok := v.(string)
		return ok && op.re.MatchString(s) == (op.kind == kMatches)
	case kContains, kNotContains:
		found, ok := op.contains(v)
		return ok && found == (op.kind == kContains)
	case kOneOf:
		for _, e := range op.list {
			if Equal(e, v) {
				return true
			}
		}
		return false
	case kCompare:
		c, ok := op.compare(v)
		return ok && op.rel.holds(c)
	case kLen:
		n, ok := length(v)
		return ok && op.consHold(n)
	case kEmpty:
		if v == nil {
			return op.flag
		}
		n, ok := length(v)
		return ok && (n == 0) == op.flag
	case kSchema:
		return op.sch.Validate(v) == nil
	case kSubset:
		return subset(op.expected, v, op.flag)
	}
	return false
}

// compare compares v with op's number or timestamp.
func (op *compiledOp) compare(v any) (int, bool) {
	if op.isTime {
		s, ok := v.(string)
		if !ok {
			return 0, false
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return 0, false
		}
		return t.Compare(op.ts), true
	}
	var buf [40]byte
	d, ok := toDecimal(v, buf[:0])
	if !ok {
		return 0, false
	}
	return d.cmp(op.num), true
}

// explain fills the reason (and pointer and diff) of a failing node.
func (op *compiledOp) explain(v any, f *Failure) {
	switch op.kind {
	case kEquals:
		d, _ := DiffEqual(op.expected, v)
		f.Reason = "value differs"
		if isComposite(op.expected) || isComposite(v) {
			f.Pointer, f.Diff = d.Pointer, d.Diff
			if d.Pointer != "" {
				f.Reason += " at " + d.Pointer
			}
		}
	case kNotEquals:
		f.Reason = "value equals the one it must differ from"
	case kType:
		// Only an integer asked of a number fails for its fraction; any
		// other miss is of type (type: string on 6 is a number).
		t := typeName(v)
		if t == "number" && op.typ == "integer" {
			f.Reason = "a number with a fractional part, not an integer"
		} else {
			f.Reason = "type is " + t + ", not " + op.typ
		}
	case kMatches, kNotMatches:
		if _, ok := v.(string); !ok {
			f.Reason = "not a string"
		} else if op.kind == kMatches {
			f.Reason = "does not match"
		} else {
			f.Reason = "matches"
		}
	case kContains, kNotContains:
		found, ok := op.contains(v)
		switch {
		case !ok:
			switch v.(type) {
			case string:
				f.Reason = "a string can only contain a string"
			case map[string]any:
				f.Reason = "an object can only contain an object (a subset)"
			default:
				f.Reason = "not a string, array or object"
			}
		case found:
			f.Reason = "contains it"
		default:
			switch v.(type) {
			case string:
				f.Reason = "substring not found"
			case []any:
				f.Reason = "no element equals it"
			default:
				d, _ := DiffSubset(op.expected, v, false)
				f.Pointer, f.Diff = d.Pointer, d.Diff
				f.Reason = "no subset match: value differs at " + d.Pointer
			}
		}
	case kOneOf:
		f.Reason = "not one of the listed values"
	case kCompare:
		if _, ok := op.compare(v); ok {
			f.Reason = "not " + op.rel.phrase() + " " + Format(op.expected, 60)
		} else if op.isTime {
			f.Reason = "not an RFC 3339 timestamp"
		} else {
			f.Reason = "not a number"
		}
	case kLen:
		n, ok := length(v)
		if !ok {
			f.Reason = "not a string, array or object"
		} else {
			f.Reason = "length is " + strconv.Itoa(n)
		}
	case kEmpty:
		n, ok := length(v)
		switch {
		case v == nil:
			f.Reason = "null"
		case !ok:
			f.Reason = "not a string, array, object or null"
		case n == 0:
			f.Reason = "empty"
		default:
			f.Reason = "not empty"
		}
	case kSchema:
		f.Reason, f.Pointer = schemaReason(op.sch.Validate(v))
	case kSubset:
		d, _ := DiffSubset(op.expected, v, op.flag)
		f.Pointer, f.Diff = d.Pointer, d.Diff
		f.Reason = "value differs"
		if d.Pointer != "" {
			f.Reason += " at " + d.Pointer
		}
	}
}

func isComposite(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return true
	}
	return false
}
