package monitor

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
)

// DefaultJob is the job a push goes under when the URL names none.
const DefaultJob = "specrun"

// Gateway is where `specrun run --push-gateway URL` pushes: a Pushgateway,
// the job and the grouping labels. Its URL is the Pushgateway's address,
// optionally followed by the Pushgateway's own path for a group,
// /metrics/job/JOB[/LABEL/VALUE...]; user info in it is sent as basic
// authentication and never printed.
type Gateway struct {
	base     string // scheme://host[:port][/prefix], without user info
	job      string
	grouping [][2]string
	user     *url.Userinfo
}

// ParseGateway reads a --push-gateway URL.
func ParseGateway(raw string) (*Gateway, error) {
	if err := checkUserInfo(raw); err != nil {
		return nil, err
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--push-gateway %q: want the Pushgateway's URL, such as http://pushgateway:9091 (optionally followed by /metrics/job/JOB/LABEL/VALUE...)", redactURL(raw))
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, fmt.Errorf("--push-gateway %s: a query or a fragment means nothing to a Pushgateway; remove it", redactURL(raw))
	}
	g := &Gateway{job: DefaultJob, user: u.User}
	u.User = nil
	prefix, group, found := strings.Cut(u.EscapedPath(), "/metrics/job/")
	u.RawPath, u.Path = "", ""
	base := strings.TrimRight(u.String()+prefix, "/")
	if !found {
		if strings.HasSuffix(strings.TrimRight(prefix, "/"), "/metrics/job") {
			return nil, fmt.Errorf("--push-gateway %s: after /metrics/job/ give the job, then LABEL/VALUE pairs", redactURL(raw))
		}
		g.base = base
		return g, nil
	}
	g.base = base
	if err := g.parseGroup(group, raw); err != nil {
		return nil, err
	}
	return g, nil
}

// parseGroup reads JOB[/LABEL/VALUE...], the path after /metrics/job/.
func (gw *Gateway) parseGroup(group, raw string) error {
	parts := strings.Split(strings.TrimRight(group, "/"), "/")
	if len(parts)%2 != 1 || slices.Contains(parts, "") {
		return fmt.Errorf("--push-gateway %s: after /metrics/job/ give the job, then LABEL/VALUE pairs, none of them empty", redactURL(raw))
	}
	for i := range parts {
		var err error
		if parts[i], err = url.PathUnescape(parts[i]); err != nil {
			return fmt.Errorf("--push-gateway %s: %w", redactURL(raw), err)
		}
	}
	gw.job = parts[0]
	for i := 1; i < len(parts); i += 2 {
		name := parts[i]
		if slices.Contains(slices.Concat(testLabels, []string{"status", "job"}), name) || strings.Contains(name, "@") {
			return fmt.Errorf("--push-gateway: the grouping label %q is not allowed: specrun's metrics use suite, test, file and status, and base64 values (@base64) are not supported; choose another name", name)
		}
		gw.grouping = append(gw.grouping, [2]string{name, parts[i+1]})
	}
	return nil
}

// String is the gateway's group, for messages: URL without user info
// (ParseGateway leaves it out of base).
func (gw *Gateway) String() string {
	s := gw.base + "/metrics/job/" + url.PathEscape(gw.job)
	for _, kv := range gw.grouping {
		s += "/" + url.PathEscape(kv[0]) + "/" + url.PathEscape(kv[1])
	}
	return s
}

// Push replaces the group's metrics with those of g (HTTP PUT), so a test
// no longer run leaves no stale series behind.
func (gw *Gateway) Push(ctx context.Context, g prometheus.Gatherer) error {
	p := push.New(gw.base, gw.job).Gatherer(g)
	for _, kv := range gw.grouping {
		p = p.Grouping(kv[0], kv[1])
	}
	if gw.user != nil {
		pass, _ := gw.user.Password()
		p = p.BasicAuth(gw.user.Username(), pass)
	}
	if err := p.PushContext(ctx); err != nil {
		return fmt.Errorf("pushing the run's metrics to %s: %w", gw, err)
	}
	return nil
}

// checkUserInfo refuses a URL with an "@" after a "/", "?" or "#": either
// its user info holds one of those characters unescaped, and RFC 3986 ends
// the host there, so url.Parse would read the start of the user info as
// the host (and send the rest to it as a path); or its path holds an "@",
// which cannot be told apart from that.
func checkUserInfo(raw string) error {
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return nil
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 || !strings.Contains(rest[end:], "@") {
		return nil
	}
	return fmt.Errorf("--push-gateway %s: an \"@\" follows a \"/\", \"?\" or \"#\", which end the host name: percent-encode those characters in the user name and password (/ as %%2F, ? as %%3F, # as %%23), or write an \"@\" of the path as %%40", redactURL(raw))
}

// redactURL is raw without its user info, for messages: "***" stands for
// it, user name included, whether raw parses or not. When an "@" follows
// the host, the user info may run past it (checkUserInfo): everything up
// to the last "@" is hidden.
func redactURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		if at := strings.LastIndex(raw, "@"); at >= 0 {
			return "***" + raw[at:]
		}
		return raw
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if strings.Contains(rest[end:], "@") {
		at = strings.LastIndex(rest, "@")
	}
	if at < 0 {
		return raw
	}
	return scheme + "://***" + rest[at:]
}
