package assert

import (
	"sort"
	"strconv"
	"strings"
)

// Diff limits.
const (
	maxDiffLines = 10
	diffValueMax = 80
)

type diffMode int

const (
	modeEqual diffMode = iota
	modeSubset
	modeErrorSubset
)

// differ collects the differences of two values as lines "POINTER: what".
type differ struct {
	mode  diffMode
	hide  func(string) string // redacts a value before it is cut
	first string              // pointer of the first difference
	found bool
	lines []string
	more  int
}

// Difference describes how actual differs from expected.
type Difference struct {
	// Pointer is the RFC 6901 JSON pointer of the first difference ("" for
	// the value itself).
	Pointer string
	// Diff has one line per difference (at most 10, then a count of the
	// others), e.g. "/items/0/id: expected 3, got 4", "/name: missing".
	Diff string
}

// DiffEqual describes how actual differs from expected under Equal; ok is
// true when they are equal (and the Difference is then empty). Each value
// a line quotes is redacted with hide (nil: nothing is secret) before it
// is cut to 80 bytes.
func DiffEqual(expected, actual any, hide func(string) string) (Difference, bool) {
	return diffWith(modeEqual, expected, actual, hide)
}

// DiffSubset describes how actual fails to match expected under Subset (or
// ErrorSubset when errorCode is true); ok is true when it matches. hide is
// as for DiffEqual.
func DiffSubset(expected, actual any, errorCode bool, hide func(string) string) (Difference, bool) {
	if errorCode {
		return diffWith(modeErrorSubset, expected, actual, hide)
	}
	return diffWith(modeSubset, expected, actual, hide)
}

func diffWith(mode diffMode, expected, actual any, hide func(string) string) (Difference, bool) {
	d := &differ{mode: mode, hide: hide}
	d.walk(expected, actual, "")
	if !d.found {
		return Difference{}, true
	}
	lines := d.lines
	if d.more > 0 {
		lines = append(lines, "… and "+strconv.Itoa(d.more)+" more")
	}
	return Difference{Pointer: d.first, Diff: strings.Join(lines, "\n")}, false
}

func (d *differ) add(ptr, msg string) {
	if !d.found {
		d.found = true
		d.first = ptr
	}
	if len(d.lines) >= maxDiffLines {
		d.more++
		return
	}
	if ptr == "" {
		d.lines = append(d.lines, msg)
		return
	}
	d.lines = append(d.lines, ptr+": "+msg)
}

func (d *differ) walk(exp, act any, ptr string) {
	switch x := exp.(type) {
	case map[string]any:
		if y, ok := act.(map[string]any); ok {
			d.walkObject(x, y, ptr)
		} else {
			d.mismatch(exp, act, ptr)
		}
	case []any:
		y, ok := act.([]any)
		if !ok {
			d.mismatch(exp, act, ptr)
			return
		}
		if len(x) != len(y) {
			d.add(ptr, "expected "+plural(len(x), "element")+", got "+strconv.Itoa(len(y)))
			return
		}
		for i := range x {
			d.walk(x[i], y[i], ptr+"/"+strconv.Itoa(i))
		}
	default:
		if !Equal(exp, act) {
			d.mismatch(exp, act, ptr)
		}
	}
}

// walkObject compares the members of two objects: each expected key, then
// (when comparing for equality) the keys only actual has.
func (d *differ) walkObject(x, y map[string]any, ptr string) {
	for _, k := range sortedKeys(x) {
		p := ptr + "/" + escapePointer(k)
		yv, ok := y[k]
		if !ok {
			d.add(p, "missing")
			continue
		}
		if d.mode == modeErrorSubset && k == errorCodeKey && codeEqual(x[k], yv) {
			continue
		}
		d.walk(x[k], yv, p)
	}
	if d.mode == modeEqual {
		for _, k := range sortedKeys(y) {
			if _, ok := x[k]; !ok {
				d.add(ptr+"/"+escapePointer(k), "unexpected, got "+Format(y[k], diffValueMax, d.hide))
			}
		}
	}
}

func (d *differ) mismatch(exp, act any, ptr string) {
	d.add(ptr, "expected "+Format(exp, diffValueMax, d.hide)+", got "+Format(act, diffValueMax, d.hide))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// escapePointer escapes a key for a JSON pointer (RFC 6901): "~" → "~0",
// "/" → "~1".
func escapePointer(k string) string {
	if !strings.ContainsAny(k, "~/") {
		return k
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(k)
}
