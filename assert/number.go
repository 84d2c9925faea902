package assert

import (
	"encoding/json"
	"math"
	"strconv"
)

// decimal is an exact view of a JSON number: value = 0.digits × 10^exp,
// with digits free of leading and trailing zeros. Zero has no digits.
type decimal struct {
	neg    bool
	digits []byte
	exp    int64
}

const expLimit = 1 << 40 // saturates absurd exponents; still exact for ordering

// parseDecimal reads a JSON number (a leading '+' is tolerated) into d,
// appending the digits to buf. It reports false when s is not a number.
func parseDecimal[T string | []byte](s T, buf []byte) (decimal, bool) {
	var d decimal
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		d.neg = s[i] == '-'
		i++
	}
	digits, point, i, ok := parseMantissa(s, i, buf[:0])
	if !ok {
		return d, false
	}
	e, i, ok := parseExponent(s, i)
	if !ok || i != len(s) {
		return d, false
	}
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if len(digits) == 0 {
		return decimal{}, true
	}
	d.digits = digits
	d.exp = point + e
	return d, true
}

// parseMantissa reads the integer part and optional fraction of the number
// starting at s[i], appending its digits without leading zeros to digits.
// point is the decimal point's place within them (negative when the
// fraction's leading zeros come first) and next the index after the
// mantissa. It reports false when there is no digit before the point or
// none after it.
func parseMantissa[T string | []byte](s T, i int, digits []byte) (_ []byte, point int64, next int, ok bool) {
	seen := false
	leading := true
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		seen = true
		if leading && s[i] == '0' {
			continue
		}
		leading = false
		digits = append(digits, s[i])
		point++
	}
	if i < len(s) && s[i] == '.' {
		i++
		frac := false
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			frac = true
			if leading && s[i] == '0' {
				point--
				continue
			}
			leading = false
			digits = append(digits, s[i])
		}
		if !frac {
			return digits, point, i, false
		}
	}
	return digits, point, i, seen
}

// parseExponent reads the optional exponent ("e" or "E", a sign, digits)
// starting at s[i], saturating at expLimit, and returns it with the index
// after it. It reports false when the exponent ends right after its "e" or
// sign.
func parseExponent[T string | []byte](s T, i int) (e int64, next int, ok bool) {
	if i == len(s) || (s[i] != 'e' && s[i] != 'E') {
		return 0, i, true
	}
	i++
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	if i == len(s) {
		return 0, i, false
	}
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if e < expLimit {
			e = e*10 + int64(s[i]-'0')
		}
	}
	if neg {
		e = -e
	}
	return e, i, true
}

// isInteger reports whether d has no fractional part.
func (d decimal) isInteger() bool { return int64(len(d.digits)) <= d.exp || len(d.digits) == 0 }

// cmp compares a and b exactly: -1, 0 or +1.
func (a decimal) cmp(b decimal) int {
	az, bz := len(a.digits) == 0, len(b.digits) == 0
	switch {
	case az && bz:
		return 0
	case az:
		if b.neg {
			return 1
		}
		return -1
	case bz:
		if a.neg {
			return -1
		}
		return 1
	case a.neg != b.neg:
		if a.neg {
			return -1
		}
		return 1
	}
	m := a.cmpAbs(b)
	if a.neg {
		return -m
	}
	return m
}

func (a decimal) cmpAbs(b decimal) int {
	if a.exp != b.exp {
		if a.exp < b.exp {
			return -1
		}
		return 1
	}
	n := min(len(a.digits), len(b.digits))
	for i := 0; i < n; i++ {
		if a.digits[i] != b.digits[i] {
			if a.digits[i] < b.digits[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a.digits) < len(b.digits):
		return -1
	case len(a.digits) > len(b.digits):
		return 1
	}
	return 0
}

// numberText returns the JSON text of a number value and true, appending to
// buf when the value must be formatted. NaN and infinities are not numbers.
func numberText(v any, buf []byte) ([]byte, bool) {
	switch n := v.(type) {
	case json.Number:
		return append(buf[:0], n...), true
	case int:
		buf = strconv.AppendInt(buf[:0], int64(n), 10)
	case int64:
		buf = strconv.AppendInt(buf[:0], n, 10)
	case int32:
		buf = strconv.AppendInt(buf[:0], int64(n), 10)
	case uint:
		buf = strconv.AppendUint(buf[:0], uint64(n), 10)
	case uint64:
		buf = strconv.AppendUint(buf[:0], n, 10)
	case uint32:
		buf = strconv.AppendUint(buf[:0], uint64(n), 10)
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return buf, false
		}
		buf = strconv.AppendFloat(buf[:0], n, 'g', -1, 64)
	case float32:
		f := float64(n)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return buf, false
		}
		buf = strconv.AppendFloat(buf[:0], f, 'g', -1, 32)
	default:
		return buf, false
	}
	return buf, true
}

// isNumber reports whether v is one of the number representations.
func isNumber(v any) bool {
	switch n := v.(type) {
	case json.Number, int, int64, int32, uint, uint64, uint32:
		return true
	case float64:
		return !math.IsNaN(n) && !math.IsInf(n, 0)
	case float32:
		return !math.IsNaN(float64(n)) && !math.IsInf(float64(n), 0)
	}
	return false
}

// toDecimal converts a number value; buf is scratch space for the digits.
func toDecimal(v any, buf []byte) (decimal, bool) {
	if n, isNum := v.(json.Number); isNum {
		return parseDecimal(string(n), buf)
	}
	var fbuf [32]byte
	s, ok := numberText(v, fbuf[:0])
	if !ok {
		return decimal{}, false
	}
	return parseDecimal(s, buf)
}

// compareNumbers compares two number values exactly. ok is false when either
// is not a number.
func compareNumbers(a, b any) (c int, ok bool) {
	if x, isA := a.(json.Number); isA {
		if y, isB := b.(json.Number); isB && x == y {
			return 0, true
		}
	}
	var ba, bb [40]byte
	da, okA := toDecimal(a, ba[:0])
	if !okA {
		return 0, false
	}
	db, okB := toDecimal(b, bb[:0])
	if !okB {
		return 0, false
	}
	return da.cmp(db), true
}

// intDecimal returns n as a decimal (allocation-free for small n via buf).
func intDecimal(n int, buf []byte) decimal {
	var tmp [24]byte
	d, _ := parseDecimal(strconv.AppendInt(tmp[:0], int64(n), 10), buf)
	return d
}
