package assert

import (
	"bytes"
	"encoding/json"
	"testing"
)

// decode decodes JSON text as the runner does (UseNumber).
func decode(t testing.TB, s string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return v
}

// summary renders a failure on one line for exact comparisons.
func summary(f Failure) string {
	s := f.Op + ": " + f.Reason
	if f.Node != "" {
		s += " @" + f.Node
	}
	if f.Pointer != "" {
		s += " ptr=" + f.Pointer
	}
	return s + " actual=" + Format(f.Actual, 0, nil)
}
