// Package suggest finds the "did you mean" of a misspelt name: spec keys,
// variables and platforms, command-line flags, and emulator manifest keys
// all use the same rule, so a user meets one behaviour everywhere.
package suggest

import "strings"

// Closest returns the candidate nearest to s within an edit distance of 2
// (or one that matches s but for case), or "" when none is near enough.
// Among candidates at the same distance the first wins.
func Closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c
		}
		if d := distance(s, c, bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance computes the Levenshtein distance of a and b, giving up
// (returning limit) once it reaches limit. Names longer than 64 bytes are
// never near anything.
func distance(a, b string, limit int) int {
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
