package assert

import "github.com/specrun/specrun/internal/valuetext"

// Format returns the compact JSON text of v for messages. When the text is
// longer than max bytes it is cut (on a UTF-8 boundary) at max bytes and
// followed by "…(+N bytes)" naming how many bytes were left out; max <= 0
// means no limit. Object keys are sorted. A value that is not JSON (a
// channel, NaN) is written with fmt's %v. Format never changes v.
func Format(v any, max int) string { return valuetext.JSON(v, max) }

// Truncate cuts s to at most max bytes, at a rune boundary, and says how
// many bytes were cut: "…(+N bytes)". A max of zero or less keeps s whole.
func Truncate(s string, max int) string { return valuetext.Cut(s, max) }
