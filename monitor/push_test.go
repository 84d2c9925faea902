package monitor

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseGateway(t *testing.T) {
	for _, c := range []struct {
		raw, want string
	}{
		{"http://pushgateway:9091", "http://pushgateway:9091/metrics/job/specrun"},
		{"http://pushgateway:9091/", "http://pushgateway:9091/metrics/job/specrun"},
		{"https://pg.example/prefix", "https://pg.example/prefix/metrics/job/specrun"},
		{"http://pg:9091/metrics/job/orders", "http://pg:9091/metrics/job/orders"},
		{"http://pg:9091/metrics/job/orders/team/payments/env/staging", "http://pg:9091/metrics/job/orders/team/payments/env/staging"},
		{"http://pg:9091/metrics/job/contract%20tests/", "http://pg:9091/metrics/job/contract%20tests"},
		{"http://user:hunter2@pg:9091/metrics/job/orders", "http://pg:9091/metrics/job/orders"},
	} {
		g, err := ParseGateway(c.raw)
		if err != nil {
			t.Errorf("%s: %v", c.raw, err)
			continue
		}
		if got := g.String(); got != c.want {
			t.Errorf("%s: group %s, want %s", c.raw, got, c.want)
		}
	}
}

func TestParseGatewayRejects(t *testing.T) {
	for _, c := range []struct {
		raw, want string
	}{
		{"pushgateway:9091", "want the Pushgateway's URL"},
		{"ftp://pg:9091", "want the Pushgateway's URL"},
		{"http://pg:9091?x=1", "query or a fragment"},
		{"http://pg:9091/metrics/job/", "give the job"},
		{"http://pg:9091/metrics/job/orders/team", "LABEL/VALUE pairs"},
		{"http://pg:9091/metrics/job/orders/suite/x", `grouping label "suite" is not allowed`},
		{"http://pg:9091/metrics/job/orders/env%40base64/eA", `"env@base64" is not allowed`},
		{"http://pg:9091/metrics/job/orders/env@base64/eA", "write an \"@\" of the path as %40"},
		{"http://usr9:hunter2@pg:9091/x?y=1", "http://***@pg:9091/x?y=1: a query or a fragment"},
		{"http://usr9:hunter2@pg:9091/metrics/job/", "http://***@pg:9091/metrics/job/: after /metrics/job/"},
		// User info with an unescaped / ? or #: url.Parse would read
		// "user:hun" as the host and the rest as the path.
		{"http://usr9:hun/ter2@127.0.0.1:9091", "http://***@127.0.0.1:9091: an \"@\" follows a \"/\", \"?\" or \"#\""},
		{"http://usr9:hun?ter2@127.0.0.1:9091", "percent-encode those characters in the user name and password (/ as %2F, ? as %3F, # as %23)"},
		{"http://usr9:hun#ter2@127.0.0.1:9091", "http://***@127.0.0.1:9091"},
		{"http://usr9/hunter2:pw@127.0.0.1:9091/metrics/job/j", "http://***@127.0.0.1:9091/metrics/job/j"},
		{"ftp://user:hunter2@pg", "want the Pushgateway's URL"},
	} {
		_, err := ParseGateway(c.raw)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.raw, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "hun") || strings.Contains(err.Error(), "usr9")) {
			t.Errorf("%s: the password is in the error: %v", c.raw, err)
		}
	}
}

// FuzzParseGateway: any input is refused or read; what is read prints
// without its password and reads back as the same group.
func FuzzParseGateway(f *testing.F) {
	for _, s := range []string{"http://pg:9091", "https://u:p@pg/x/metrics/job/j/a/b", "http://pg:9091/metrics/job/a%2Fb", "http://[::1]:9091/metrics/job/j/k/v/", "http://pg/metrics/job//x/y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		g, err := ParseGateway(raw)
		if err != nil {
			return
		}
		s := g.String()
		// No user info is printed. (Looking for the password's text in s
		// was wrong: a password "b" is in "/metrics/job".)
		if u, err := url.Parse(s); err != nil || u.User != nil {
			t.Fatalf("%q prints as %s, with user info or not a URL (%v)", raw, s, err)
		}
		again, err := ParseGateway(s)
		if err != nil {
			t.Fatalf("%q reads as %s, which does not read: %v", raw, s, err)
		}
		if again.String() != s {
			t.Fatalf("%q: %s reads back as %s", raw, s, again.String())
		}
	})
}
