package assert

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// operator is one entry of the operator table: everything an operator is
// lives here. compile turns its expected value into a checker, or says
// what is wrong with it.
type operator struct {
	name string
	// key is true for the operators a spec writes as keys of a path
	// assertion (and of `duration`); false for the subset matches of
	// `result` and `error`, which the spec decoder makes itself.
	key     bool
	compile func(x any, opts Options) (checker, error)
}

// operators is the table, in the order of SPEC-FORMAT.md. OperatorNames,
// KeyOperatorNames (the spec's keys, which the JSON Schema's are tested
// against) and New all read it.
var operators = []operator{
	{"equals", true, func(x any, _ Options) (checker, error) { return equalsOp{x}, nil }},
	{"not_equals", true, func(x any, _ Options) (checker, error) { return notEqualsOp{x}, nil }},
	{"exists", true, compileExists},
	{"type", true, compileType},
	{"matches", true, func(x any, opts Options) (checker, error) { return compileMatches(x, true, opts.Hide) }},
	{"not_matches", true, func(x any, opts Options) (checker, error) { return compileMatches(x, false, opts.Hide) }},
	{"contains", true, func(x any, _ Options) (checker, error) { return containsOp{x, true}, nil }},
	{"not_contains", true, func(x any, _ Options) (checker, error) { return containsOp{x, false}, nil }},
	{"one_of", true, compileOneOf},
	{"lt", true, compareWith(relLT)},
	{"lte", true, compareWith(relLTE)},
	{"gt", true, compareWith(relGT)},
	{"gte", true, compareWith(relGTE)},
	{"len", true, compileLen},
	{"count", true, compileCount},
	{"empty", true, compileEmpty},
	{"schema", true, compileSchema},
	{"subset", false, func(x any, _ Options) (checker, error) { return subsetOp{x, false}, nil }},
	{"error_subset", false, func(x any, _ Options) (checker, error) { return subsetOp{x, true}, nil }},
}

// OperatorNames lists the operator names New accepts, in the order of
// SPEC-FORMAT.md.
func OperatorNames() []string {
	names := make([]string, len(operators))
	for i, o := range operators {
		names[i] = o.name
	}
	return names
}

// KeyOperatorNames lists the operators a spec writes as keys of a path
// assertion: OperatorNames without subset and error_subset.
func KeyOperatorNames() []string {
	var names []string
	for _, o := range operators {
		if o.key {
			names = append(names, o.name)
		}
	}
	return names
}

// lookup returns the table's entry for name.
func lookup(name string) (operator, bool) {
	for _, o := range operators {
		if o.name == name {
			return o, true
		}
	}
	return operator{}, false
}

// errUnknownOperator is the error of a name the table does not have.
func errUnknownOperator() error {
	return fmt.Errorf("unknown operator; valid operators: %s", strings.Join(OperatorNames(), ", "))
}

// checker is what an operator compiles to.
type checker interface {
	// holds reports whether the selected node v satisfies the operator.
	holds(v any) bool
	// explain fills the reason (and pointer and diff) of a node v that
	// does not; hide redacts each value it quotes before it is cut.
	explain(v any, f *Failure, hide func(string) string)
}

// counter is a checker that judges how many nodes the path selected, not
// the nodes (exists, count): Check asks counts instead of holds.
type counter interface {
	checker
	counts(n int) bool
}

type equalsOp struct{ want any }

func (o equalsOp) holds(v any) bool { return Equal(o.want, v) }

func (o equalsOp) explain(v any, f *Failure, hide func(string) string) {
	d, _ := DiffEqual(o.want, v, hide)
	f.Reason = "value differs"
	if isComposite(o.want) || isComposite(v) {
		f.Pointer, f.Diff = d.Pointer, d.Diff
		if d.Pointer != "" {
			f.Reason += " at " + d.Pointer
		}
	}
}

type notEqualsOp struct{ want any }

func (o notEqualsOp) holds(v any) bool { return !Equal(o.want, v) }

func (o notEqualsOp) explain(_ any, f *Failure, _ func(string) string) {
	f.Reason = "value equals the one it must differ from"
}

// existsOp is `exists`: a node was selected (want) or none was.
type existsOp struct{ want bool }

func compileExists(x any, opts Options) (checker, error) {
	b, err := boolArg(x, opts.Hide)
	return existsOp{b}, err
}

// boolArg is the expected value of exists and empty.
func boolArg(x any, hide func(string) string) (bool, error) {
	b, ok := x.(bool)
	if !ok {
		return false, fmt.Errorf("takes true or false, got %s", describe(x, hide))
	}
	return b, nil
}

func (o existsOp) counts(n int) bool { return o.want == (n > 0) }

func (o existsOp) holds(any) bool { return o.counts(1) }

func (o existsOp) explain(_ any, f *Failure, _ func(string) string) { f.Reason = "1 node selected" }

type typeOp struct{ typ string }

func compileType(x any, opts Options) (checker, error) {
	s, _ := x.(string)
	switch s {
	case "string", "number", "integer", "boolean", "object", "array", "null":
		return typeOp{s}, nil
	}
	return nil, fmt.Errorf("takes one of string, number, integer, boolean, object, array, null; got %s", describe(x, opts.Hide))
}

func (o typeOp) holds(v any) bool {
	t := typeName(v)
	if o.typ == "integer" {
		if t != "number" {
			return false
		}
		var buf [40]byte
		d, ok := toDecimal(v, buf[:0])
		return ok && d.isInteger()
	}
	return t == o.typ
}

func (o typeOp) explain(v any, f *Failure, _ func(string) string) {
	// Only an integer asked of a number fails for its fraction; any other
	// miss is of type (type: string on 6 is a number).
	if t := typeName(v); t == "number" && o.typ == "integer" {
		f.Reason = "a number with a fractional part, not an integer"
	} else {
		f.Reason = "type is " + t + ", not " + o.typ
	}
}

// matchesOp is `matches` (want true) and `not_matches`.
type matchesOp struct {
	re   *regexp.Regexp
	want bool
}

// errHidden ends an error whose detail is not shown because it could hold a
// part of a secret.
var errHidden = errors.New("see the pattern in the spec")

func compileMatches(x any, want bool, hide func(string) string) (checker, error) {
	s, ok := x.(string)
	if !ok {
		return nil, fmt.Errorf("needs a string (an RE2 regular expression), got %s", describe(x, hide))
	}
	re, err := regexp.Compile(s)
	var se *syntax.Error
	switch {
	case err == nil:
	case hide != nil && hide(s) != s && errors.As(err, &se):
		// The piece regexp quotes may be a part of a secret, which hide,
		// masking whole secrets, would not catch.
		return nil, fmt.Errorf("invalid regular expression: %s (the expression holds a secret, so its faulty part is not shown): %w", se.Code, errHidden)
	default:
		return nil, fmt.Errorf("invalid regular expression: %w", err)
	}
	return matchesOp{re, want}, nil
}

func (o matchesOp) holds(v any) bool {
	s, ok := v.(string)
	return ok && o.re.MatchString(s) == o.want
}

func (o matchesOp) explain(v any, f *Failure, _ func(string) string) {
	switch _, ok := v.(string); {
	case !ok:
		f.Reason = "not a string"
	case o.want:
		f.Reason = "does not match"
	default:
		f.Reason = "matches"
	}
}

// containsOp is `contains` (want true) and `not_contains`.
type containsOp struct {
	elem any
	want bool
}

func (o containsOp) holds(v any) bool {
	found, ok := o.contains(v)
	return ok && found == o.want
}

// contains reports whether v contains the expected value; ok is false
// when the operator does not apply to v.
func (o containsOp) contains(v any) (found, ok bool) {
	switch x := v.(type) {
	case string:
		s, isStr := o.elem.(string)
		if !isStr {
			return false, false
		}
		return strings.Contains(x, s), true
	case []any:
		for _, e := range x {
			if Equal(o.elem, e) {
				return true, true
			}
		}
		return false, true
	case map[string]any:
		if _, isMap := o.elem.(map[string]any); !isMap {
			return false, false
		}
		return subset(o.elem, x, false), true
	}
	return false, false
}

func (o containsOp) explain(v any, f *Failure, hide func(string) string) {
	found, ok := o.contains(v)
	switch {
	case !ok:
		f.Reason = notApplicable(v)
	case found:
		f.Reason = "contains it"
	default:
		switch v.(type) {
		case string:
			f.Reason = "substring not found"
		case []any:
			f.Reason = "no element equals it"
		default:
			d, _ := DiffSubset(o.elem, v, false, hide)
			f.Pointer, f.Diff = d.Pointer, d.Diff
			f.Reason = "no subset match: value differs at " + d.Pointer
		}
	}
}

// notApplicable says why contains does not apply to v.
func notApplicable(v any) string {
	switch v.(type) {
	case string:
		return "a string can only contain a string"
	case map[string]any:
		return "an object can only contain an object (a subset)"
	}
	return "not a string, array or object"
}

type oneOfOp struct{ list []any }

func compileOneOf(x any, opts Options) (checker, error) {
	l, ok := x.([]any)
	if !ok {
		return nil, fmt.Errorf("needs a list of values, got %s", describe(x, opts.Hide))
	}
	return oneOfOp{l}, nil
}

func (o oneOfOp) holds(v any) bool {
	for _, e := range o.list {
		if Equal(e, v) {
			return true
		}
	}
	return false
}

func (o oneOfOp) explain(_ any, f *Failure, _ func(string) string) {
	f.Reason = "not one of the listed values"
}

// compareOp is lt, lte, gt and gte, against a number or a timestamp.
type compareOp struct {
	rel    rel
	want   any
	num    decimal
	isTime bool
	ts     time.Time
}

func compareWith(r rel) func(any, Options) (checker, error) {
	return func(x any, opts Options) (checker, error) {
		o := compareOp{rel: r, want: x}
		if s, ok := x.(string); ok {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return nil, fmt.Errorf("needs a number or an RFC 3339 timestamp, got %s", describe(x, opts.Hide))
			}
			o.isTime, o.ts = true, t
			return o, nil
		}
		d, ok := toDecimal(x, nil)
		if !ok {
			return nil, fmt.Errorf("needs a number or an RFC 3339 timestamp, got %s", describe(x, opts.Hide))
		}
		o.num = d
		return o, nil
	}
}

// compare compares v with the number or timestamp.
func (o compareOp) compare(v any) (int, bool) {
	if o.isTime {
		s, ok := v.(string)
		if !ok {
			return 0, false
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return 0, false
		}
		return t.Compare(o.ts), true
	}
	var buf [40]byte
	d, ok := toDecimal(v, buf[:0])
	if !ok {
		return 0, false
	}
	return d.cmp(o.num), true
}

func (o compareOp) holds(v any) bool {
	c, ok := o.compare(v)
	return ok && o.rel.holds(c)
}

func (o compareOp) explain(v any, f *Failure, hide func(string) string) {
	switch _, ok := o.compare(v); {
	case ok:
		f.Reason = "not " + o.rel.phrase() + " " + Format(o.want, 60, hide)
	case o.isTime:
		f.Reason = "not an RFC 3339 timestamp"
	default:
		f.Reason = "not a number"
	}
}

// constraints are the relations of `len` or `count`, all of which must hold.
type constraints []constraint

// constraint is one entry of an operator map such as {gte: 1}.
type constraint struct {
	name string
	rel  rel
	val  decimal
}

func (cs constraints) hold(n int) bool {
	var buf [24]byte
	d := intDecimal(n, buf[:0])
	for _, c := range cs {
		if !c.rel.holds(d.cmp(c.val)) {
			return false
		}
	}
	return true
}

const lenUsage = "takes a number or an operator map (lt, lte, gt, gte, equals, not_equals)"

func compileConstraints(x any, hide func(string) string) (constraints, error) {
	if m, ok := x.(map[string]any); ok {
		if len(m) == 0 {
			return nil, errors.New(lenUsage + ", got an empty map")
		}
		cons := make(constraints, 0, len(m))
		for _, k := range sortedKeys(m) {
			r, ok := relOf(k)
			if !ok {
				return nil, fmt.Errorf("%s; %q is not one of them", lenUsage, k)
			}
			d, ok := toDecimal(m[k], nil)
			if !ok {
				return nil, fmt.Errorf("%s needs a number, got %s", k, describe(m[k], hide))
			}
			cons = append(cons, constraint{name: k, rel: r, val: d})
		}
		return cons, nil
	}
	d, ok := toDecimal(x, nil)
	if !ok {
		return nil, fmt.Errorf("%s, got %s", lenUsage, describe(x, hide))
	}
	return constraints{{name: "equals", rel: relEQ, val: d}}, nil
}

type lenOp struct{ cons constraints }

func compileLen(x any, opts Options) (checker, error) {
	cons, err := compileConstraints(x, opts.Hide)
	if err != nil {
		return nil, err
	}
	return lenOp{cons}, nil
}

func (o lenOp) holds(v any) bool {
	n, ok := length(v)
	return ok && o.cons.hold(n)
}

func (o lenOp) explain(v any, f *Failure, _ func(string) string) {
	if n, ok := length(v); !ok {
		f.Reason = "not a string, array or object"
	} else {
		f.Reason = "length is " + strconv.Itoa(n)
	}
}

// countOp is `count`: how many nodes the path selected.
type countOp struct{ cons constraints }

func compileCount(x any, opts Options) (checker, error) {
	cons, err := compileConstraints(x, opts.Hide)
	if err != nil {
		return nil, err
	}
	return countOp{cons}, nil
}

func (o countOp) counts(n int) bool { return o.cons.hold(n) }

func (o countOp) holds(any) bool { return o.counts(1) }

func (o countOp) explain(_ any, f *Failure, _ func(string) string) { f.Reason = "1 node selected" }

type emptyOp struct{ want bool }

func compileEmpty(x any, opts Options) (checker, error) {
	b, err := boolArg(x, opts.Hide)
	return emptyOp{b}, err
}

func (o emptyOp) holds(v any) bool {
	if v == nil {
		return o.want
	}
	n, ok := length(v)
	return ok && (n == 0) == o.want
}

func (o emptyOp) explain(v any, f *Failure, _ func(string) string) {
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
}

type schemaOp struct{ sch *jsonschema.Schema }

func compileSchema(x any, opts Options) (checker, error) {
	var sch *jsonschema.Schema
	var err error
	switch s := x.(type) {
	case map[string]any:
		sch, err = compileInlineSchema(s)
	case bool:
		sch, err = compileInlineSchema(s)
	case string:
		if s == "" {
			return nil, errors.New("needs an inline schema (an object) or a file path, got an empty string")
		}
		sch, err = loadSchemaFile(s, opts.SchemaBase, opts.Schemas)
	default:
		return nil, fmt.Errorf("needs an inline schema (an object) or a file path, got %s", describe(x, opts.Hide))
	}
	if err != nil {
		return nil, err
	}
	return schemaOp{sch}, nil
}

func (o schemaOp) holds(v any) bool { return o.sch.Validate(v) == nil }

func (o schemaOp) explain(v any, f *Failure, _ func(string) string) {
	f.Reason, f.Pointer = schemaReason(o.sch.Validate(v))
}

// subsetOp is the subset match of `result` and, with errorCode (errorCode
// matching as a number or a string), of `error`.
type subsetOp struct {
	want      any
	errorCode bool
}

func (o subsetOp) holds(v any) bool { return subset(o.want, v, o.errorCode) }

func (o subsetOp) explain(v any, f *Failure, hide func(string) string) {
	d, _ := DiffSubset(o.want, v, o.errorCode, hide)
	f.Pointer, f.Diff = d.Pointer, d.Diff
	f.Reason = "value differs"
	if d.Pointer != "" {
		f.Reason += " at " + d.Pointer
	}
}
