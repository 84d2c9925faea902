package valuetext

import (
	"encoding/json"
	"math"
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
		{[]any{"éé"}, 4, `["é…(+4 bytes)`, `["é…(+4 bytes)`},
		{math.NaN(), 0, "NaN", "NaN"},
	}
	for _, tt := range tests {
		if got := JSON(tt.v, tt.max); got != tt.json {
			t.Errorf("JSON(%#v, %d) = %q, want %q", tt.v, tt.max, got, tt.json)
		}
		if got := Text(tt.v, tt.max); got != tt.text {
			t.Errorf("Text(%#v, %d) = %q, want %q", tt.v, tt.max, got, tt.text)
		}
	}
}
