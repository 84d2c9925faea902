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
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--push-gateway %q: want the Pushgateway's URL, such as http://pushgateway:9091 (optionally followed by /metrics/job/JOB/LABEL/VALUE...)", redactURL(raw))
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, fmt.Errorf("--push-gateway %s: a query or a fragment means nothing to a Pushgateway; remove it", u.Redacted())
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

// String is the gateway's group, for messages: URL without user info.
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

// redactURL hides the password of a URL that may not parse.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	if at := strings.LastIndex(raw, "@"); at >= 0 {
		return "***" + raw[at:]
	}
	return raw
}
