package runner

import (
	"testing"

	"github.com/specrun/specrun/client"
)

func TestStatusReason(t *testing.T) {
	tests := []struct {
		err  *client.APIError
		want string
	}{
		{nil, ""},
		{&client.APIError{Code: "80301", Message: "ACTION_NOT_FOUND", Details: `Action "x" does not exist.`}, `errorCode 80301 ACTION_NOT_FOUND: Action "x" does not exist.`},
		{&client.APIError{Code: "80301"}, "errorCode 80301"},
		{&client.APIError{Message: "<html>Bad Gateway</html>"}, "<html>Bad Gateway</html>"}, // a body that is not JSON
		{&client.APIError{Message: "Too Many Requests", Details: "retry later"}, "Too Many Requests: retry later"},
		{&client.APIError{Details: "only details"}, "only details"},
	}
	for _, tt := range tests {
		if got := statusReason(&client.Response{StatusCode: 502, Error: tt.err}); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.err, got, tt.want)
		}
	}
}
