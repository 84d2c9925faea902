package emulator

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// checkOutcome fails unless a classified result is a JSON object or array and the status is
// one of OpenWhisk's four.
func checkOutcome(t *testing.T, what string, result []byte, status string) {
	t.Helper()
	switch status {
	case statusSuccess, statusAppError, statusDevError, statusInternal:
	default:
		t.Fatalf("%s: status %q is not OpenWhisk's", what, status)
	}
	v := bytes.TrimSpace(result)
	if !json.Valid(v) || (v[0] != '{' && v[0] != '[') {
		t.Fatalf("%s: result %.200q is not a JSON object or array", what, result)
	}
	if status != statusSuccess && v[0] != '{' {
		t.Fatalf("%s: a failure's result %.200q is not an object", what, result)
	}
}

// FuzzRuntimeAnswers feeds arbitrary fd 3 output and stdout last lines through the runtimes'
// answer parsers and OpenWhisk's classification: whatever an action writes, the record holds a
// JSON object or array and one of the four statuses.
func FuzzRuntimeAnswers(f *testing.F) {
	for _, seed := range []string{
		"init 200 {\"OK\":true}\nrun 200 {\"a\":1}\n",
		"init 502 {\"error\":\"Initialization has failed due to: x\"}\n",
		"init 200 {\"ok\": true}\nresult null\n",
		"init 200 {}\nresult [1, 2]\n",
		"init 200 {}\nresult NaN\n",
		"init 200 {}\nrun 200 {\"error\":{\"name\":\"Error\"},\"code\":42}\n",
		"run x y\n", "", "\n\n", "init 200",
	} {
		f.Add([]byte(seed), `{"ok":true}`)
	}
	f.Add([]byte("init 200 {}\n"), `["a",{"é":"\u2603"}]`)
	f.Add([]byte{}, `"str"`)
	f.Fuzz(func(t *testing.T, channel []byte, last string) {
		lines := readChannel(bytes.NewReader(channel), 256)
		total := 0
		for _, l := range lines {
			if len(l.text) > 256 || l.size < len(l.text) {
				t.Fatalf("line kept %d bytes of %d with a limit of 256", len(l.text), l.size)
			}
			total += l.size
		}
		if total > len(channel) {
			t.Fatalf("lines count %d bytes of %d written", total, len(channel))
		}
		r, s := classify(nodeAnswer(lines))
		checkOutcome(t, "node", r, s)
		a, _ := pythonAnswer(lines)
		r, s = classify(a)
		checkOutcome(t, "python", r, s)
		a, _ = nativeAnswer(last)
		r, s = classify(a)
		checkOutcome(t, "native", r, s)
	})
}

func TestClassifyKeepsOnlyTheErrorKey(t *testing.T) {
	tests := []struct {
		name         string
		a            answer
		result, want string
	}{
		{"200 with error and code", answer{code: 200, body: []byte(`{"error": "sorry", "code": 42}`)}, `{"error":"sorry"}`, statusAppError},
		{"502 with error", answer{code: 502, body: []byte(`{"error":"The action did not return a dictionary."}`)}, `{"error":"The action did not return a dictionary."}`, statusDevError},
		{"200 array", answer{code: 200, body: []byte(`[1, 2]`)}, `[1,2]`, statusSuccess},
		{"502 array", answer{code: 502, body: []byte(`[1]`)}, `{"error":"The action did not produce a valid JSON or JSON Array response: [1]"}`, statusDevError},
		{"200 empty", answer{code: 200}, `{"error":"The action did not produce a valid JSON or JSON Array response."}`, statusDevError},
		{"init without error key", answer{init: true, code: 502, body: []byte(`{"x":1}`)}, `{"error":"The action failed during initialization: {\"x\":1}"}`, statusDevError},
		{"exactly 1 MB", answer{code: 200, body: []byte(`{"a":"` + strings.Repeat("x", MaxResultBytes-8) + `"}`), size: MaxResultBytes}, "", statusSuccess},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.a.size == 0 {
				tc.a.size = len(tc.a.body)
			}
			got, status := classify(tc.a)
			if status != tc.want || (tc.result != "" && string(got) != tc.result) {
				t.Errorf("got %s %.200s, want %s %s", status, got, tc.want, tc.result)
			}
		})
	}
}
