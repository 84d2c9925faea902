package assert

import (
	"strings"
	"testing"
)

func TestSchemaFileMustBeARegularFile(t *testing.T) {
	p := MustParsePath("content")
	_, err := New(p, []Op{{Name: "schema", Expected: "/dev/zero"}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("New with schema /dev/zero: %v, want a clear error instead of a hang", err)
	}
}
