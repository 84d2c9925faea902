package errlist

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

func TestOf(t *testing.T) {
	a, b := errors.New("a"), errors.New("b")
	wrapped := fmt.Errorf("w: %w", errors.Join(a, b))
	tests := []struct {
		err  error
		want []error
	}{
		{nil, nil},
		{a, []error{a}},
		{errors.Join(a, b), []error{a, b}},
		{wrapped, []error{wrapped}}, // only the outermost join is taken apart
	}
	for _, tt := range tests {
		if got := Of(tt.err); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Of(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
