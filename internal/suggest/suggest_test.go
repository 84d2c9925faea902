package suggest

import "testing"

func TestClosest(t *testing.T) {
	keys := []string{"package", "action", "platform", "timeout", "params", "expect"}
	tests := []struct{ s, want string }{
		{"pakage", "package"},    // one deletion
		{"acton", "action"},      // one deletion
		{"paltform", "platform"}, // a transposition is two edits
		{"TIMEOUT", "timeout"},   // case only
		{"expext", "expect"},     // one substitution
		{"param", "params"},      // the nearer of params and package
		{"deadline", ""},         // nothing near
		{"", ""},                 // nothing near an empty name
		{"x" + string(make([]byte, 70)), ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.s, keys); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"kitten", "sitting", 10, 3},
		{"", "abc", 10, 3},
		{"abc", "abc", 10, 0},
		{"abcdef", "a", 3, 3}, // gives up at the limit
		{"flaw", "lawn", 10, 2},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}
