package spec

import (
	"slices"
	"strings"
)

// The key tables below are the single source of the format's vocabulary:
// the decoder checks keys against them and the tests check that the JSON
// Schema (spec.schema.json) lists exactly the same keys.
var (
	// suiteKeys are the keys at the top level of a spec file.
	suiteKeys = []string{"suite", "vars", "defaults", "tags", "setup", "teardown", "tests"}
	// invocationKeys say what to invoke.
	invocationKeys = []string{"package", "action", "platform", "timeout", "params"}
	// testKeys are the keys of an item of `tests`.
	testKeys = append([]string{"name", "tags", "skip", "deadline", "steps", "expect", "capture", "retry"}, invocationKeys...)
	// stepKeys are the keys of an item of `steps`, `setup` and `teardown`.
	stepKeys = append([]string{"name"}, append(slices.Clone(invocationKeys), "expect", "capture", "retry")...)
	// defaultsKeys are the keys of `defaults`.
	defaultsKeys = []string{"package", "platform", "timeout", "deadline", "params", "retry"}
	// expectKeys are the keys of `expect`.
	expectKeys = []string{"http_status", "success", "status", "result", "error", "duration", "assert"}
	// retryKeys are the keys of `retry`.
	retryKeys = []string{"attempts", "delay", "backoff", "max_delay"}
	// operatorKeys are the operators of a path assertion (and of `duration`).
	operatorKeys = []string{"equals", "not_equals", "exists", "type", "matches", "not_matches",
		"contains", "not_contains", "one_of", "lt", "lte", "gt", "gte", "len", "count", "empty", "schema"}
	// assertItemKeys are the keys of an item of `expect.assert`.
	assertItemKeys = append([]string{"path", "message"}, operatorKeys...)
	// platforms are the values of `platform`.
	platforms = []string{"classic", "vpc"}
	// typeNames are the values of the `type` operator.
	typeNames = []string{"string", "number", "integer", "boolean", "object", "array", "null"}
)

// Suggest returns the candidate nearest to s within an edit distance of 2
// (or a case-insensitive match), or "" when none is near enough: the
// "did you mean" of spec keys, and of the command line's flags.
func Suggest(s string, candidates []string) string { return closest(s, candidates) }

// closest is Suggest.
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c
		}
		if d := levenshtein(s, c, bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// levenshtein computes the edit distance of a and b, giving up (returning
// limit) once it reaches limit.
func levenshtein(a, b string, limit int) int {
	if len(a) > 64 || len(b) > 64 {
		return limit
	}
	d := len(a) - len(b)
	if d < 0 {
		d = -d
	}
	if d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}
