// Package words holds the bits of English that messages and reports share.
package words

import "strconv"

// Plural returns n and word, with an "s" unless n is 1: "1 test", "3 tests".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
