package main

import (
	"net"
	"strings"
	"sync/atomic"
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

// A --push-gateway URL whose password holds an unescaped / ? or # is
// refused before anything runs or connects, without printing the user
// info. The URLs are built so that a misread one would still reach only
// the listener here (the user name is 127.0.0.1, the password starts
// with its port): no name is looked up.
func TestPushGatewayUserInfoNeedingEscapesIsRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var dials atomic.Int64
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			dials.Add(1)
			_ = conn.Close()
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	addr := ln.Addr().String()
	for _, sep := range []string{"/", "?", "#"} {
		raw := "http://" + addr + sep + "Zq9pw@" + addr
		o := newCLI(t).run("--local", "testdata/manifest.yaml", "--push-gateway", raw, "testdata/pass")
		if o.code != exitUsage || !strings.Contains(o.stderr, "percent-encode") || !strings.Contains(o.stderr, "http://***@"+addr) {
			t.Errorf("%s: want exit 2 saying to percent-encode: %s", raw, o)
		}
		if strings.Contains(o.stdout+o.stderr, "Zq9pw") || strings.Contains(o.stdout+o.stderr, "http://"+addr+sep) {
			t.Errorf("%s: the user info was printed: %s", raw, o)
		}
	}
	if n := dials.Load(); n != 0 {
		t.Errorf("%d connections to the Pushgateway's address: the URL must be refused before any", n)
	}
}
