// Package jsontext appends JSON strings as encoding/json writes them with
// HTML escaping off: for the spec loader's request bodies and the emulator's
// responses, which are built by appending to a byte slice.
package jsontext

import (
	"bytes"
	"encoding/json"
)

// AppendString appends s to dst as a quoted JSON string, escaped by
// encoding/json with SetEscapeHTML(false): \" \\ \b \f \n \r \t, other
// control characters as \u00XX, U+2028 and U+2029 as \u2028 and \u2029, and
// each byte of invalid UTF-8 as \ufffd. It writes after dst's contents, in
// its spare capacity when there is enough.
func AppendString(dst []byte, s string) []byte {
	buf := bytes.NewBuffer(dst)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes; its writer is a bytes.Buffer
	out := buf.Bytes()
	return out[:len(out)-1] // Encode ends each value with a newline
}
