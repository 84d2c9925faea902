package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEarlierProblemSuppressesFollowUp: a value that already had a
// problem (an undefined or cyclic variable, an unset environment
// variable, a duplicate or merge key, a spent budget) gets no second,
// consequential message: no "no package" for an action name that did not
// compile, no range or type message for a value that did not load.
func TestEarlierProblemSuppressesFollowUp(t *testing.T) {
	cases := []struct {
		name, spec string
		want       []string // every message, in order
	}{
		{"action from a cyclic var",
			"vars:\n  a: ${b}\n  b: ${a}\ntests:\n  - name: t\n    action: ${a}\n",
			// The cycle is reported when the suite's vars are resolved,
			// before the tests: the action's use is then clean.
			[]string{"2:3: variable a refers to itself (through ${...} references): break the cycle",
				"5:5: no package for action \"${a}\": set `package` (- for an action outside any package), write action: PACKAGE/NAME, or set defaults.package"}},
		{"action from an undefined var",
			"tests:\n  - name: t\n    action: ${nope}\n",
			[]string{"3:13: action: undefined variable ${nope}: define it under vars, pass --var nope=VALUE, or capture it in an earlier step"}},
		{"action from an unset env var",
			"tests:\n  - name: t\n    action: ${env.SPECRUN_UNSET_X}\n",
			[]string{"3:13: action: environment variable SPECRUN_UNSET_X is not set: set it, or write ${env.SPECRUN_UNSET_X:-DEFAULT}",
				"3:13: action: must not be empty"}},
		{"action from an env default",
			"tests:\n  - name: t\n    action: ${env.SPECRUN_UNSET_X:-a}\n",
			[]string{"2:5: no package for action \"${env.SPECRUN_UNSET_X:-a}\": set `package` (- for an action outside any package), write action: PACKAGE/NAME, or set defaults.package"}},
		{"http_status from an unset env var",
			"tests:\n  - name: t\n    action: p/a\n    expect:\n      http_status: ${env.SPECRUN_UNSET_X}\n",
			[]string{"5:20: expect.http_status: environment variable SPECRUN_UNSET_X is not set: set it, or write ${env.SPECRUN_UNSET_X:-DEFAULT}"}},
		{"retry attempts from an undefined var",
			"tests:\n  - name: t\n    action: p/a\n    retry: {attempts: \"${nope}\"}\n",
			[]string{"4:23: retry.attempts: undefined variable ${nope}: define it under vars, pass --var nope=VALUE, or capture it in an earlier step"}},
		{"success with a duplicate key",
			"tests:\n  - name: t\n    action: p/a\n    expect:\n      success: {a: 1, a: 2}\n",
			[]string{"5:23: duplicate key \"a\": already given at line 5; remove one"}},
		{"status with a bad merge",
			"tests:\n  - name: t\n    action: p/a\n    expect:\n      status: {<<: 5}\n",
			[]string{"5:20: <<: expected a mapping to merge, got a number"}},
		{"http_status from a var that is a bad scalar",
			"vars:\n  s: !!int x\ntests:\n  - name: t\n    action: p/a\n    expect:\n      http_status: ${s}\n",
			// Reported when vars are resolved; the use is then clean.
			[]string{"2:6: vars.s: the number x cannot be written in JSON: write a finite decimal number",
				"7:20: http_status: expected an HTTP status code from 100 to 599, got null"}},
		{"http_status from an undefined var",
			"tests:\n  - name: t\n    action: p/a\n    expect:\n      http_status: ${nope}\n",
			[]string{"5:20: expect.http_status: undefined variable ${nope}: define it under vars, pass --var nope=VALUE, or capture it in an earlier step"}},
		{"result with a duplicate key beside a capture",
			"tests:\n  - name: t\n    steps:\n      - action: p/a\n        capture: {x: content.response.result}\n      - action: p/a\n        expect:\n          result: {a: \"${x}\", a: 2}\n",
			[]string{"8:31: duplicate key \"a\": already given at line 8; remove one"}},
		{"success of the wrong type",
			"tests:\n  - name: t\n    action: p/a\n    expect:\n      success: 3\n",
			[]string{"5:16: success: expected true or false, got 3"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "s.yaml")
			if err := os.WriteFile(file, []byte(c.spec), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load([]string{file}, Options{LookupEnv: func(string) (string, bool) { return "", false }})
			var got []string
			if err != nil {
				for _, line := range strings.Split(err.Error(), "\n") {
					got = append(got, strings.TrimPrefix(line, file+":"))
				}
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("messages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
