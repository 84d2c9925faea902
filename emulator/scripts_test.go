package emulator_test

import (
	"strings"
	"testing"

	"github.com/specrun/specrun/emulator"
)

func TestScriptActions(t *testing.T) {
	requireInterpreters(t)
	tests := []struct {
		name       string
		uri        string
		body       string
		wantResult string
		wantLogs   []string // substrings of the logs (stdout and stderr interleave freely)
	}{
		{"node main returns a Promise of an object", "/api/v2/packages/js/actions/hello", `{"name":"Kim"}`,
			content(id(1), "hello", "success", `{"greeting":"Hello, Kim!","place":"Seoul"}`),
			[]string{`"logs":["` + logLine("stdout", "hello from node") + `"]`}},
		{"node sync throw is a developer error with the stack in the logs", "/api/v2/packages/js/actions/throw", `{}`,
			content(id(1), "throw", "action developer error", `{"error":"An error has occurred: Error: boom"}`),
			[]string{`stderr: Error: boom`, `throw.js:2`}},
		{"python main returns a dict", "/api/v2/packages/py/actions/hello", `{"name":"Lee"}`,
			content(id(1), "hello", "success", `{"greeting":"Hello, Lee!","place":"Busan"}`),
			[]string{logLine("stdout", "hello from python"), logLine("stderr", "warning on stderr")}},
		{"python main returning a string is a developer error", "/api/v2/packages/py/actions/notdict", `{}`,
			content(id(1), "notdict", "action developer error", `{"error":"The action did not return a dictionary or array."}`),
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, "testdata/scripts.yaml", emulator.Options{})
			status, body := ts.call(t, "POST", tc.uri, tc.body, nil)
			if status != 200 || body != tc.wantResult {
				t.Fatalf("run:\n got %d %s\nwant 200 %s", status, body, tc.wantResult)
			}
			_, body = ts.call(t, "GET", tc.uri+"/activations/"+id(1), ``, nil)
			for _, want := range tc.wantLogs {
				if !strings.Contains(body, want) {
					t.Errorf("logs lack %q:\n%s", want, body)
				}
			}
		})
	}
}
