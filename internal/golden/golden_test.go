package golden_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/specrun/specrun/internal/golden"
)

func TestFirstDifference(t *testing.T) {
	tests := []struct{ want, got, diff string }{
		{"a\nb\nc\n", "a\nB\nc\n", "line 2\n want: \"b\"\n  got: \"B\""},
		{"a\n", "a\nextra\n", `got 1 more lines, from line 2: "extra"`},
		{"a\nb\n", "a\n", `got 1 fewer lines, missing from line 2: "b"`},
		{"x \n", "x\n", "line 1\n want: \"x \"\n  got: \"x\""},
		{"same\n", "same\n", "no difference"},
		{"end\n", "end", "they differ only in the final newline"},
	}
	for _, tt := range tests {
		if d := golden.FirstDifference([]byte(tt.want), []byte(tt.got)); d != tt.diff {
			t.Errorf("FirstDifference(%q, %q) = %q, want %q", tt.want, tt.got, d, tt.diff)
		}
	}
}

func TestCheckUpdatesThenAgrees(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.golden")
	golden.Check(t, path, []byte("first\n"), true)
	if data, err := os.ReadFile(path); err != nil || string(data) != "first\n" {
		t.Fatalf("update wrote %q, %v", data, err)
	}
	golden.Check(t, path, []byte("first\n"), false)
}
