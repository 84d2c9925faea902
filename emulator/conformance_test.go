package emulator_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/specrun/specrun/emulator"
)

// requireInterpreters skips the test when node or python3 is missing, unless CI is set: CI
// installs both (.ci/run), so a missing one there is a failure, not a skip.
func requireInterpreters(t *testing.T) {
	t.Helper()
	for _, name := range []string{"node", "python3"} {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not on PATH and CI is set: .ci/run installs it", name)
			}
			t.Skipf("%s is not on PATH: Node.js and Python actions cannot run here", name)
		}
	}
}

// conformanceCase is one behaviour of OpenWhisk's runtimes: an invocation and what OpenWhisk
// answers, from its runtimes' test suites and sources (see docs/openwhisk-contract.md).
type conformanceCase struct {
	name   string
	action string // package/action in testdata/conformance/manifest.yaml
	params string
	status string   // OpenWhisk's response.status
	want   string   // the exact result, compact JSON; or, when match is set, unused
	match  string   // a regular expression the compact result must match (stacks, ids, ports)
	logs   []string // lines the activation's logs must contain
	absent []string // text they must not contain
}

// The 1 MB limit's message, for a result of n bytes as the runtime sent it.
func tooLong(n string) string {
	return `^\{"error":"The action produced a response that exceeded the allowed length: ` + n +
		` > 1048576 bytes\. The truncated response was: \{\\"big\\": ?\\"x{100}`
}

var conformanceCases = []conformanceCase{
	// How main is found (runner.js initializeActionHandler).
	{name: "node plain function main, no exports", action: "node/plain", params: `{"payload":"hi"}`, status: "success", want: `{"payload":"hi"}`},
	{name: "node global.main (webpack)", action: "node/webpack", status: "success", want: `{"bar":true}`},
	{name: "node exports.main", action: "node/exports", params: `{"payload":"Hello exports!"}`, status: "success", want: `{"payload":"Hello exports!"}`},
	{name: "node module.exports.main", action: "node/module-exports", params: `{"payload":"Hello exports!"}`, status: "success", want: `{"payload":"Hello exports!"}`},
	{name: "node manifest main: niam", action: "node/niam", params: `{"payload":1}`, status: "success", want: `{"called":"niam","payload":1}`},
	{name: "node no main function", action: "node/no-main", status: "action developer error",
		want: `{"error":"Initialization has failed due to: Action entrypoint 'main' is not a function."}`},
	// What the result holds (runner.js finalizeResult, service.js runCode, ActivationResult).
	{name: "node return; is {}", action: "node/docs", params: `{"payload":0}`, status: "success", want: `{}`},
	{name: "node documentation example success", action: "node/docs", params: `{"payload":1}`, status: "success", want: `{"payload":"Hello, World!"}`},
	{name: "node documentation example error", action: "node/docs", params: `{"payload":2}`, status: "application error", want: `{"error":"payload must be 0 or 1"}`},
	{name: "node error and code keep only error", action: "node/docs", params: `{"payload":3}`, status: "application error", want: `{"error":"sorry"}`},
	{name: "node resolved promise", action: "node/reject", status: "success", want: `{"done":true}`},
	{name: "node rejected with an Error", action: "node/reject", params: `{"how":"error"}`, status: "application error",
		match: `^\{"error":\{"name":"Error","message":"sorry","stack":"Error: sorry\\n    at main \(`},
	{name: "node reject()", action: "node/reject", params: `{"how":"empty"}`, status: "application error", want: `{"error":{}}`},
	{name: "node rejected with an object", action: "node/reject", params: `{"how":"object"}`, status: "application error", want: `{"error":{"done":true}}`},
	{name: "node rejected with a string", action: "node/reject", params: `{"how":"string"}`, status: "application error", want: `{"error":"nooooo"}`},
	{name: "node async throw", action: "node/reject", params: `{"how":"async-throw"}`, status: "application error",
		match: `^\{"error":\{"name":"Error","message":"async boom","stack":"Error: async boom\\n`},
	{name: "node async ReferenceError", action: "node/reject", params: `{"how":"async-reference"}`, status: "application error",
		match: `^\{"error":\{"name":"ReferenceError","message":"undefinedVariable is not defined","stack":"ReferenceError: undefinedVariable is not defined\\n`},
	{name: "node array result", action: "node/results", params: `{"shape":"array"}`, status: "success", want: `["a","b"]`},
	{name: "node null result", action: "node/results", params: `{"shape":"null"}`, status: "action developer error",
		want: `{"error":"The action did not produce a valid JSON or JSON Array response: null"}`},
	{name: "node string result", action: "node/results", params: `{"shape":"string"}`, status: "action developer error",
		want: `{"error":"The action did not return a dictionary."}`, logs: []string{`stderr: Result must be of type object but has type "string": not a json object`}},
	{name: "node number result", action: "node/results", params: `{"shape":"number"}`, status: "action developer error",
		want: `{"error":"The action did not return a dictionary."}`},
	{name: "node unicode", action: "node/results", params: `{"shape":"unicode","delimiter":"❄"}`, status: "success", want: `{"winter":"❄ ☃ ❄"}`},
	{name: "node result over 1 MB", action: "node/results", params: `{"shape":"big"}`, status: "application error", match: tooLong("1100010")},
	{name: "node stdout without a final newline", action: "node/stdout", status: "success", want: `{"ok":true}`,
		logs: []string{"stdout: no newline at the end", "stderr: nor here"}},
	// Failures (service.js, ActivationResult, Messages).
	{name: "node sync throw", action: "node/throw", status: "action developer error", want: `{"error":"An error has occurred: Error: nooooo"}`,
		logs: []string{"stderr: Error: nooooo"}},
	{name: "node syntax error", action: "node/syntax", status: "action developer error",
		match: `^\{"error":"Initialization has failed due to: SyntaxError: `},
	{name: "node throw while loading", action: "node/init-throw", status: "action developer error",
		match: `^\{"error":"Initialization has failed due to: SyntaxError: .*JSON`, logs: []string{"stderr: Error during initialization: SyntaxError"}},
	{name: "node require of a missing package", action: "node/require-missing", status: "action developer error",
		match: `^\{"error":"An error has occurred: Error: Cannot find module '\.mildlyinvalidnameofanonexistentpackage'`},
	{name: "node process.exit", action: "node/exit", status: "action developer error",
		want: `{"error":"The action did not produce a valid response and exited unexpectedly."}`},
	{name: "node time limit", action: "node/hang", status: "action developer error", want: `{"error":"The action exceeded its time limits of 500 milliseconds."}`},
	// The runtime is an HTTP server that stays up while /run is pending (app.js, service.js
	// start): a promise that never settles runs into the time limit; after the result the
	// answer goes at once, whatever timers are left.
	{name: "node promise that never settles", action: "node/forgot", status: "action developer error",
		want: `{"error":"The action exceeded its time limits of 500 milliseconds."}`},
	{name: "node promise that settles", action: "node/forgot-ok", params: `{"ok":true}`, status: "success", want: `{"ok":true}`},
	{name: "node result with a timer still pending", action: "node/timer", status: "success", want: `{"ok":true}`,
		logs: []string{"stdout: returning"}, absent: []string{"late"}},
	{name: "node result with a child process still running", action: "node/child", status: "success", want: `{"ok":1}`,
		absent: []string{"child-late"}},
	{name: "node logs over 1 MB", action: "node/logs", status: "success", want: `{"written":1536}`,
		logs: []string{"stderr: Logs were truncated because the total bytes size exceeds the limit of 1048576 bytes."}},
	{name: "node __OW_ variables", action: "node/env", status: "success",
		match: `^\{"__OW_ACTION_NAME":"/conformance/node/env","__OW_ACTION_VERSION":"0\.0\.1","__OW_ACTIVATION_ID":"0{31}1","__OW_API_HOST":"http://127\.0\.0\.1:\d+","__OW_DEADLINE":"1714021598088","__OW_NAMESPACE":"conformance","__OW_TRANSACTION_ID":"[0-9a-z]{26}"\}$`},
	{name: "node __OW_API_KEY with provide-api-key", action: "node/env-key", status: "success",
		match: `"__OW_API_KEY":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[0-9a-f]{64}"`},

	// Python (launcher.py behind the action loop proxy, bin/compile).
	{name: "python main", action: "python/hello", params: `{"payload":"hi"}`, status: "success", want: `{"payload":"hi"}`,
		logs: []string{"stdout: hello stdout", "stderr: hello stderr"}},
	{name: "python exception in main", action: "python/div", status: "application error", want: `{"error":"division by zero"}`,
		logs: []string{"stderr: Traceback (most recent call last):", "ZeroDivisionError: division by zero"}},
	{name: "python error and code keep only error", action: "python/results", params: `{"shape":"error-code"}`, status: "application error", want: `{"error":"sorry"}`},
	{name: "python array result", action: "python/results", params: `{"shape":"array"}`, status: "success", want: `["a","b"]`},
	{name: "python None result", action: "python/results", params: `{"shape":"none"}`, status: "action developer error",
		want: `{"error":"The action did not produce a valid JSON or JSON Array response: null\n"}`},
	{name: "python string result", action: "python/results", params: `{"shape":"string"}`, status: "action developer error",
		want: `{"error":"The action did not return a dictionary or array."}`},
	{name: "python unicode", action: "python/results", params: `{"shape":"unicode","delimiter":"❄"}`, status: "success", want: `{"winter":"❄ ☃ ❄"}`},
	{name: "python result over 1 MB", action: "python/results", params: `{"shape":"big"}`, status: "application error", match: tooLong("1100012")},
	{name: "python syntax error", action: "python/syntax", status: "action developer error",
		want: `{"error":"The action failed to generate or locate a binary. See logs for details."}`, logs: []string{"stderr: unexpected indent"}},
	{name: "python bad import", action: "python/badimport", status: "action developer error",
		want: `{"error":"Cannot start action. Check logs for details."}`,
		logs: []string{"stderr: Traceback", "ModuleNotFoundError: No module named 'iamnotsupported'", "stderr: Command exited abruptly during initialization."}},
	{name: "python no main function", action: "python/nomain", status: "action developer error",
		want: `{"error":"Cannot start action. Check logs for details."}`, logs: []string{"ImportError: cannot import name 'main'"}},
	{name: "python sys.exit", action: "python/exit", status: "action developer error", want: `{"error":"command exited"}`},
	{name: "python manifest main: niam", action: "python/niam", params: `{"payload":1}`, status: "success", want: `{"called":"niam","payload":1}`},
	{name: "python stdout without a final newline", action: "python/stdout", status: "success", want: `{"ok":true}`,
		logs: []string{"stdout: no newline at the end"}},
	{name: "python time limit", action: "python/hang", status: "action developer error", want: `{"error":"The action exceeded its time limits of 500 milliseconds."}`},
	{name: "python result with a thread still running", action: "python/thread", status: "success", want: `{"ok":1}`,
		logs: []string{"stdout: returning"}, absent: []string{"late"}},
	{name: "python result with a child process still running", action: "python/child", status: "success", want: `{"ok":1}`,
		absent: []string{"child-late"}},
	{name: "python __OW_ variables", action: "python/env", status: "success",
		match: `^\{"__OW_ACTION_NAME":"/conformance/python/env","__OW_ACTION_VERSION":"0\.0\.1","__OW_ACTIVATION_ID":"0{31}1","__OW_API_HOST":"http://127\.0\.0\.1:\d+","__OW_DEADLINE":"1714021598088","__OW_NAMESPACE":"conformance","__OW_TRANSACTION_ID":"[0-9a-z]{26}"\}$`},

	// Native actions (the docker action proxy, actionproxy.py).
	{name: "native object", action: "native/result", status: "success", want: `{"ok":true}`, logs: []string{"stdout: a log line"}},
	{name: "native array", action: "native/result", params: `{"shape":"array"}`, status: "success", want: `["a","b"]`},
	{name: "native error and code keep only error", action: "native/result", params: `{"shape":"error-code"}`, status: "application error", want: `{"error":"sorry"}`},
	{name: "native plain text", action: "native/result", params: `{"shape":"plain"}`, status: "action developer error",
		want: `{"error":"The action did not return a dictionary or array."}`, logs: []string{"stdout: plain text"}},
	{name: "native JSON string", action: "native/result", params: `{"shape":"string"}`, status: "action developer error",
		want: `{"error":"The action did not return a dictionary or array."}`},
	{name: "native blank last line", action: "native/result", params: `{"shape":"blank-last"}`, status: "action developer error",
		want: `{"error":"The action did not return a dictionary or array."}`},
	{name: "native exit status is not looked at", action: "native/result", params: `{"shape":"exit"}`, status: "success", want: `{"exit":3}`},
	{name: "native keys sorted as the proxy writes them", action: "native/result", params: `{"shape":"unicode"}`, status: "success", want: `{"a":2,"winter":"❄ ☃ ❄","z":1}`},
	{name: "native result over 1 MB", action: "native/result", params: `{"shape":"big"}`, status: "application error",
		match: `^\{"error":"The action produced a response that exceeded the allowed length: 1100011 > 1048576 bytes\. The truncated response was: \{\\"big\\":\\"x{100}`},
	{name: "native program that cannot start", action: "native/badshebang", status: "action developer error",
		want: `{"error":"The action did not return a dictionary or array."}`, logs: []string{"stderr: The action could not be started: fork/exec "}},
	{name: "native params in argv and on stdin", action: "native/args", params: `{"k":"v"}`, status: "success", want: `{"argc":1,"stdin":9}`},
	{name: "native params over 128 KB on stdin only", action: "native/args", params: `{"blob":"` + strings.Repeat("x", 200000) + `"}`, status: "success", want: `{"argc":0,"stdin":200011}`},
	{name: "native waits for the process to exit", action: "native/late", status: "success", want: `{"last":true}`,
		logs: []string{`stdout: {"first":true}`}},
	{name: "native __OW_ variables", action: "native/env", status: "success",
		match: `^\{"__OW_ACTION_NAME":"/conformance/native/env","__OW_ACTION_VERSION":"0\.0\.1","__OW_ACTIVATION_ID":"0{31}1","__OW_API_HOST":"http://127\.0\.0\.1:\d+","__OW_DEADLINE":"1714021598088","__OW_NAMESPACE":"conformance","__OW_TRANSACTION_ID":"[0-9a-z]{26}"\}$`},
}

// TestConformance runs every case through the emulator on a real TCP listener and checks
// OpenWhisk's status and result, then the activation's logs.
func TestConformance(t *testing.T) {
	requireInterpreters(t)
	for _, tc := range conformanceCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, "testdata/conformance/manifest.yaml", emulator.Options{})
			pkg, act, _ := strings.Cut(tc.action, "/")
			uri := "/api/v2/packages/" + pkg + "/actions/" + act
			params := tc.params
			if params == "" {
				params = "{}"
			}
			status, body := ts.call(t, "POST", uri, params, nil)
			var got struct {
				Content struct {
					Response struct {
						Result  json.RawMessage `json:"result"`
						Status  string          `json:"status"`
						Success bool            `json:"success"`
					} `json:"response"`
					Logs []string `json:"logs"`
				} `json:"content"`
			}
			if status != 200 || json.Unmarshal([]byte(body), &got) != nil {
				t.Fatalf("got %d %.300s", status, body)
			}
			r := got.Content.Response
			if r.Status != tc.status || r.Success != (tc.status == "success") {
				t.Errorf("status %q (success %t), want %q", r.Status, r.Success, tc.status)
			}
			result := string(r.Result)
			if tc.match != "" {
				if !regexp.MustCompile(tc.match).MatchString(result) {
					t.Errorf("result %.400s\ndoes not match %s", result, tc.match)
				}
			} else if result != tc.want {
				t.Errorf("result %.400s\n   want %s", result, tc.want)
			}
			if len(tc.logs)+len(tc.absent) == 0 {
				return
			}
			_, body = ts.call(t, "GET", uri+"/activations/"+id(1), ``, nil)
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("activation record: %v: %.300s", err, body)
			}
			tc.checkLogs(t, got.Content.Logs)
		})
	}
}

// checkLogs checks that an activation's logs hold every text of tc.logs and none of tc.absent.
func (tc conformanceCase) checkLogs(t *testing.T, logs []string) {
	t.Helper()
	all := strings.Join(logs, "\n")
	for _, want := range tc.logs {
		if !strings.Contains(all, want) {
			t.Errorf("logs lack %q:\n%.2000s", want, all)
		}
	}
	for _, unwanted := range tc.absent {
		if strings.Contains(all, unwanted) {
			t.Errorf("logs hold %q:\n%.2000s", unwanted, all)
		}
	}
}

// TestActionEnvironment runs actions of every kind that dump their whole environment, with
// the signing keys and a canary in the emulator's own: OpenWhisk's actions see none of the
// host's variables, so neither may reach the activation's result or logs. The canary's
// harmless name shows that the environment is built from an allow-list, not by dropping
// NCLOUD_ names.
func TestActionEnvironment(t *testing.T) {
	requireInterpreters(t)
	hidden := map[string]string{
		"NCLOUD_ACCESS_KEY":     "RealAK123456",
		"NCLOUD_SECRET_KEY":     "RealSecretKey987",
		"SPECRUN_HOST_CANARY":   "canary-7f3a9c",
		"NCLOUD_API_GW":         "https://gw.canary.example",
		"GITHUB_TOKEN":          "ghp_canaryToken42",
		"NODE_OPTIONS":          "--title=canary-node-options",
		"PYTHONWARNINGS_CANARY": "canary-python",
	}
	for k, v := range hidden {
		t.Setenv(k, v)
	}
	for _, action := range []string{"node/env-all", "python/env-all", "native/env-all"} {
		t.Run(action, func(t *testing.T) {
			ts := startServer(t, "testdata/conformance/manifest.yaml", emulator.Options{})
			pkg, act, _ := strings.Cut(action, "/")
			uri := "/api/v2/packages/" + pkg + "/actions/" + act
			status, body := ts.call(t, "POST", uri, `{}`, nil)
			if status != 200 || !strings.Contains(body, `"status":"success"`) {
				t.Fatalf("got %d %.500s", status, body)
			}
			_, record := ts.call(t, "GET", uri+"/activations/"+id(1), ``, nil)
			seen := body + record
			if !strings.Contains(seen, "PATH") || !strings.Contains(seen, "__OW_ACTION_NAME") {
				t.Fatalf("the action did not dump its environment: %.2000s", seen)
			}
			for k, v := range hidden {
				if strings.Contains(seen, k) || strings.Contains(seen, v) {
					t.Errorf("the action saw %s of the emulator's environment", k)
				}
			}
		})
	}
}
