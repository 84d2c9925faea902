package assert

import (
	"reflect"
)

// Equal reports whether a and b are deeply equal JSON values. Numbers
// compare by exact value whatever their representation (json.Number "1e2"
// equals 100, 1 equals 1.0, and integers beyond float64's precision stay
// exact); objects are equal when they have the same keys with equal values;
// arrays when they have the same length and equal elements in order. Values
// are nil, bool, string, a number (json.Number, int, int64, float64, ...),
// []any or map[string]any; other types fall back to reflect.DeepEqual.
// Equal does not allocate for these types.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		return ok && equalLists(x, y)
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && equalObjects(x, y)
	}
	if isNumber(a) {
		if !isNumber(b) {
			return false
		}
		c, ok := compareNumbers(a, b)
		return ok && c == 0
	}
	return reflect.DeepEqual(a, b)
}

// equalLists reports whether x and y have equal elements in order.
func equalLists(x, y []any) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !Equal(x[i], y[i]) {
			return false
		}
	}
	return true
}

// equalObjects reports whether x and y have the same keys with equal values.
func equalObjects(x, y map[string]any) bool {
	if len(x) != len(y) {
		return false
	}
	for k, xv := range x {
		yv, ok := y[k]
		if !ok || !Equal(xv, yv) {
			return false
		}
	}
	return true
}

// Subset reports whether actual matches expected as a subset: every key of an
// expected object must be present in actual with a matching value (objects
// recurse, extra keys in actual are allowed); arrays match element by
// element, in order, with the same length; anything else must be Equal.
func Subset(expected, actual any) bool { return subset(expected, actual, false) }

// ErrorSubset is Subset where a key named errorCode matches when one side
// writes it as a number and the other as a string of the same number
// (80301 matches "80301").
func ErrorSubset(expected, actual any) bool { return subset(expected, actual, true) }

func subset(expected, actual any, errCode bool) bool {
	switch x := expected.(type) {
	case map[string]any:
		y, ok := actual.(map[string]any)
		if !ok {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok {
				return false
			}
			if errCode && k == errorCodeKey {
				if !codeEqual(xv, yv) && !subset(xv, yv, errCode) {
					return false
				}
				continue
			}
			if !subset(xv, yv, errCode) {
				return false
			}
		}
		return true
	case []any:
		y, ok := actual.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !subset(x[i], y[i], errCode) {
				return false
			}
		}
		return true
	}
	return Equal(expected, actual)
}

const errorCodeKey = "errorCode"

// codeEqual matches a number with a string holding the same number.
func codeEqual(a, b any) bool {
	if s, ok := a.(string); ok && isNumber(b) {
		return stringNumberEqual(s, b)
	}
	if s, ok := b.(string); ok && isNumber(a) {
		return stringNumberEqual(s, a)
	}
	return false
}

func stringNumberEqual(s string, n any) bool {
	var b1, b2 [40]byte
	ds, ok := parseDecimal(s, b1[:0])
	if !ok {
		return false
	}
	dn, ok := toDecimal(n, b2[:0])
	return ok && ds.cmp(dn) == 0
}
