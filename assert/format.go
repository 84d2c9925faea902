package assert

import "github.com/specrun/specrun/internal/valuetext"

// Format returns the compact JSON text of v for messages, redacted with
// hide (nil: nothing in v is secret). When the redacted text is longer
// than max bytes it is cut (on a UTF-8 boundary) at max bytes and followed
// by "…(+N bytes)" naming how many bytes were left out; max <= 0 means no
// limit. The text is redacted whole before it is cut, so that no beginning
// of a secret is left at the cut. Object keys are sorted. A value that is
// not JSON (a channel, NaN) is written with fmt's %v. Format never
// changes v.
func Format(v any, max int, hide func(string) string) string { return valuetext.JSON(v, max, hide) }
