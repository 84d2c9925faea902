package main

import (
	"strings"
	"testing"
)

// A --var whose name is wrong or missing is refused without printing its
// value, which may be a secret: by run, validate and monitor alike.
func TestVarErrorsNeverPrintTheValue(t *testing.T) {
	const secret = "SuperSecretTokenValue123"
	for _, c := range []struct {
		arg, want string
	}{
		{"api-token=" + secret, `invalid variable name "api-token"`},
		{"=" + secret, `no name before "="`},
		{"env=" + secret, "the variable name env is reserved"},
		{secret, `an argument has no "="`},
	} {
		for _, args := range [][]string{
			{"validate", "--var", c.arg, "--secret", "api-token", "testdata/pass"},
			{"--local", "testdata/manifest.yaml", "--var", c.arg, "testdata/pass"},
			{"monitor", "--every", "1m", "--local", "testdata/manifest.yaml", "--var", c.arg, "testdata/pass"},
		} {
			o := newCLI(t).run(args...)
			if o.code != exitUsage || !strings.Contains(o.stderr, c.want) {
				t.Errorf("%q: want exit 2 saying %q: %s", args, c.want, o)
			}
			if strings.Contains(o.stdout+o.stderr, "SuperSecret") {
				t.Errorf("%q: the value was printed: %s", args, o)
			}
		}
	}
}
