package valuetext

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct {
		v    any
		max  int
		json string
		text string
	}{
		{nil, 0, "null", ""},
		{"a<b>", 0, `"a<b>"`, "a<b>"},
		{json.Number("1.50"), 0, "1.50", "1.50"},
		{true, 0, "true", "true"},
		{map[string]any{"b": 1, "a": []any{"x"}}, 0, `{"a":["x"],"b":1}`, `{"a":["x"],"b":1}`},
		{"éé", 3, `"é…(+3 bytes)`, "éé"},
		{[]any{"éé"}, 4, `["é…(+4 bytes)`, `["éé"]`},
		{math.NaN(), 0, "NaN", "NaN"},
	}
	for _, tt := range tests {
		if got := JSON(tt.v, tt.max, nil); got != tt.json {
			t.Errorf("JSON(%#v, %d) = %q, want %q", tt.v, tt.max, got, tt.json)
		}
		if got := Text(tt.v); got != tt.text {
			t.Errorf("Text(%#v) = %q, want %q", tt.v, got, tt.text)
		}
	}
}

// A secret longer than the cut is hidden before the cut: no beginning of
// it is left, whatever the cut, and the count names what was left of the
// hidden text.
func TestCutHidesBeforeItCuts(t *testing.T) {
	secret := "jwt_" + strings.Repeat("abcdefghij", 10)
	hide := strings.NewReplacer(secret, "***").Replace
	for max := 1; max < 120; max++ {
		got := JSON(map[string]any{"s": secret}, max, hide)
		if strings.Contains(got, "jwt_") {
			t.Fatalf("JSON cut at %d = %q: the secret's start is shown", max, got)
		}
	}
	if got := Cut("x "+secret+" y", 4, hide); got != "x **…(+3 bytes)" {
		t.Errorf("Cut = %q", got)
	}
	if got := Cut(secret, 0, hide); got != "***" {
		t.Errorf("Cut without a limit = %q, want the text hidden", got)
	}
}
