package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Defaults for the zero values of Config.
const (
	DefaultParallelism      = 8
	DefaultRetryDelay       = 200 * time.Millisecond
	DefaultMaxRetryDelay    = 10 * time.Second
	DefaultMaxResponseBytes = 10 << 20
)

// Client calls the Cloud Functions API. It is safe for concurrent use; all
// its callers share one connection pool and one rate limiter. Call
// CloseIdleConnections when done with it.
type Client struct {
	cfg Config // with defaults applied
	// endpoint is the endpoint without its trailing slash, for messages.
	endpoint string
	// base is the parsed endpoint; basePath and baseRawPath are its decoded
	// and escaped paths without the trailing slash, so a call appends to
	// them instead of parsing a URL.
	base        url.URL
	basePath    string
	baseRawPath string
	// Exactly one of transport and hc is set. transport is the client's
	// own (Config.HTTPClient nil): do signs each request in place and sends
	// it there directly, so no redirect is followed and a 3xx comes back as
	// the Response (a redirected POST would be sent again, or as a GET).
	// hc is a copy of Config.HTTPClient whose transport is signer, which
	// signs a clone of every request hc sends, redirects included.
	transport *http.Transport
	hc        *http.Client
	signer    *Signer
	limiter   *rate.Limiter // nil: no limit
	now       func() time.Time
	rand      func() float64
	// sleep waits d or until ctx is done; a test replaces it to see the
	// delays without waiting.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a client for cfg, with every zero field of cfg replaced by its
// documented default. It fails when the credentials are missing or half
// set, when the endpoint is not an http(s) URL with a host (a trailing slash
// is tolerated; user info, a query or a fragment are not), or when a number
// is negative. When cfg.HTTPClient is set, New copies it and wraps its
// Transport (nil: http.DefaultTransport) with a Signer; the caller's client is
// not modified. Without cfg.HTTPClient, redirects are not followed: a 3xx
// is returned as the Response. A MaxRetryDelay below RetryDelay is raised to
// RetryDelay. cfg.Now and cfg.Rand are called from concurrent goroutines and
// must be safe for that (time.Now and math/rand/v2 are).
func New(cfg Config) (*Client, error) {
	if err := checkCredentials(cfg.Credentials); err != nil {
		return nil, err
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	u, err := parseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if err := checkNumbers(cfg); err != nil {
		return nil, err
	}
	cfg = withDefaults(cfg)
	c := &Client{
		cfg:         cfg,
		base:        *u,
		basePath:    strings.TrimRight(u.Path, "/"),
		baseRawPath: strings.TrimRight(u.EscapedPath(), "/"),
		now:         cfg.Now,
		rand:        cfg.Rand,
		sleep:       sleepCtx,
	}
	c.base.Path, c.base.RawPath = c.basePath, c.baseRawPath
	c.endpoint = c.base.String()
	if cfg.HTTPClient != nil {
		hc := *cfg.HTTPClient
		c.signer = NewSigner(cfg.Credentials, hc.Transport, cfg.Now)
		hc.Transport = c.signer
		c.hc = &hc
	} else {
		c.transport = NewTransport(cfg.Parallelism)
		c.signer = NewSigner(cfg.Credentials, c.transport, cfg.Now)
	}
	if cfg.Rate > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(cfg.Rate), 1)
	}
	return c, nil
}

// parseEndpoint checks that endpoint is an http(s) base URL with a host and
// an API path, without user info, a query or a fragment.
func parseEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q is not a URL: %w", endpoint, unwrapURLError(err))
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("endpoint %q must start with https:// (or http:// for a local emulator)", endpoint)
	case u.Host == "" || u.Opaque != "":
		return nil, fmt.Errorf("endpoint %q has no host; expected a base URL such as %s", endpoint, DefaultEndpoint)
	case u.User != nil:
		return nil, fmt.Errorf("endpoint %s must not hold user info; credentials come from Config.Credentials", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("endpoint %q must not have a query or a fragment; expected a base URL such as %s", endpoint, DefaultEndpoint)
	case strings.Trim(u.Path, "/") == "":
		// Every call would answer 404 "Not Found Exception", which does not
		// say that the API path is missing.
		return nil, fmt.Errorf("endpoint %q has no API path: append /api/v2 (or /ncf/api/v2 for Cloud Functions v2.1), as in %s", endpoint, DefaultEndpoint)
	}
	return u, nil
}

// checkNumbers refuses negative (or not finite) numbers in cfg.
func checkNumbers(cfg Config) error {
	switch {
	case cfg.Parallelism < 0:
		return fmt.Errorf("parallelism %d is negative; use 0 for the default %d", cfg.Parallelism, DefaultParallelism)
	case cfg.MaxRetries < 0:
		return fmt.Errorf("max retries %d is negative; use 0 for no retries", cfg.MaxRetries)
	case cfg.RetryDelay < 0 || cfg.MaxRetryDelay < 0:
		return fmt.Errorf("retry delays %s and %s must not be negative; use 0 for the defaults", cfg.RetryDelay, cfg.MaxRetryDelay)
	case cfg.Rate < 0 || math.IsNaN(cfg.Rate) || math.IsInf(cfg.Rate, 0):
		return fmt.Errorf("rate %g must be a positive number of requests a second, or 0 for no limit", cfg.Rate)
	case cfg.MaxResponseBytes < 0:
		return fmt.Errorf("max response bytes %d is negative; use 0 for the default %d", cfg.MaxResponseBytes, DefaultMaxResponseBytes)
	}
	return nil
}

// withDefaults replaces the zero fields of cfg by their defaults and raises
// a MaxRetryDelay below RetryDelay to RetryDelay.
func withDefaults(cfg Config) Config {
	if cfg.Parallelism == 0 {
		cfg.Parallelism = DefaultParallelism
	}
	if cfg.RetryDelay == 0 {
		cfg.RetryDelay = DefaultRetryDelay
	}
	if cfg.MaxRetryDelay == 0 {
		cfg.MaxRetryDelay = DefaultMaxRetryDelay
	}
	cfg.MaxRetryDelay = max(cfg.MaxRetryDelay, cfg.RetryDelay)
	if cfg.MaxResponseBytes == 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	return cfg
}

// checkCredentials says which half of the pair is missing.
func checkCredentials(cr Credentials) error {
	switch {
	case cr.AccessKey == "" && cr.SecretKey == "":
		return fmt.Errorf("no NCP credentials: set %s and %s (or put them in ~/.ncloud/configure)", EnvAccessKey, EnvSecretKey)
	case cr.AccessKey == "":
		return fmt.Errorf("NCP credentials%s have a secret key but no access key: set %s", from(cr.Source), EnvAccessKey)
	case cr.SecretKey == "":
		return fmt.Errorf("NCP credentials%s have an access key but no secret key: set %s", from(cr.Source), EnvSecretKey)
	}
	return nil
}

func from(source string) string {
	if source == "" {
		return ""
	}
	return " from " + source
}

// NewTransport returns the HTTP transport a Client uses when Config.HTTPClient
// is nil: a connection pool keeping at least parallelism idle connections to
// the API host alive, HTTP/2 when the server offers it, the proxy named by
// HTTPS_PROXY/HTTP_PROXY/NO_PROXY, and TLS 1.2 or later with certificate
// verification (never disabled). parallelism below 1 means
// DefaultParallelism.
func NewTransport(parallelism int) *http.Transport {
	if parallelism < 1 {
		parallelism = DefaultParallelism
	}
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          max(100, 2*parallelism),
		MaxIdleConnsPerHost:   parallelism,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
}

// Endpoint returns the API base URL the client calls, without a trailing
// slash.
func (c *Client) Endpoint() string { return c.endpoint }

// CloseIdleConnections closes the idle connections of the client's
// transport. Call it when the client is no longer needed.
func (c *Client) CloseIdleConnections() {
	if c.transport != nil {
		c.transport.CloseIdleConnections()
	} else {
		c.hc.CloseIdleConnections()
	}
}

// Invoke runs an action: POST {endpoint}/packages/{package}/actions/{action}
// with the query platform (when set) and timeout in ms (when positive or
// TimeoutSet), and
// the body inv.Body (nil: {}), sent as is. Package and action names are
// path-escaped; the package "-" names an action outside any package.
//
// A non-2xx status is not an error: it is returned in the Response with Error
// parsed. 429s and gateway 503s are retried as Config says (see MaxRetries);
// when retries run out the last Response is returned with Attempts set. The
// error is non-nil only when no response could be had: a *TransportError
// (check MayHaveRun before running the action again), or an invalid inv.
func (c *Client) Invoke(ctx context.Context, inv Invocation) (*Response, error) {
	if err := checkName("package name", inv.Package); err != nil {
		return nil, err
	}
	if err := checkName("action name", inv.Action); err != nil {
		return nil, err
	}
	if inv.Timeout < 0 {
		return nil, fmt.Errorf("invoke %s/%s: timeout %s is negative", inv.Package, inv.Action, inv.Timeout)
	}
	timeout := inv.Timeout
	if timeout == 0 && !inv.TimeoutSet {
		timeout = -1 // not sent
	}
	u := c.actionURL(inv.Package, inv.Action, "", inv.Platform, timeout)
	body := inv.Body
	if body == nil {
		body = []byte("{}")
	}
	return c.do(ctx, http.MethodPost, u, body)
}

// Activation fetches the detail of an activation: GET
// {endpoint}/packages/{pkg}/actions/{action}/activations/{activationID} with
// the query platform when set. It makes one call (no polling: a 404 with
// error 80322 right after a run is the caller's to retry later); transport
// retries and errors are as for Invoke.
func (c *Client) Activation(ctx context.Context, pkg, action, platform, activationID string) (*Response, error) {
	if err := checkName("package name", pkg); err != nil {
		return nil, err
	}
	if err := checkName("action name", action); err != nil {
		return nil, err
	}
	if err := checkName("activation id", activationID); err != nil {
		return nil, err
	}
	r, err := c.do(ctx, http.MethodGet, c.actionURL(pkg, action, activationID, platform, -1), nil)
	if err == nil {
		// Not recorded yet: the action is still running.
		r.Pending = r.StatusCode == http.StatusNotFound && r.Error != nil && r.Error.Code == CodeActivationNotFound
	}
	return r, err
}

// checkName refuses names that cannot be one path segment.
// what is "package name", "action name" or "activation id".
func checkName(what, name string) error {
	switch name {
	case "":
		if what == "package name" {
			return errors.New(`empty package name: use "-" for an action outside any package`)
		}
		return fmt.Errorf("empty %s", what)
	case ".", "..":
		return fmt.Errorf("%s %q is not allowed: it would change the URL path", what, name)
	}
	return nil
}

// actionURL builds the URL of an action (or of one of its activations when
// activationID is set) from the parsed endpoint, without parsing anything.
// A negative timeout is not sent.
// The usual call, with names that need no escaping, makes three
// allocations: the URL, its path and its query.
func (c *Client) actionURL(pkg, action, activationID, platform string, timeout time.Duration) *url.URL {
	u := new(url.URL)
	*u = c.base
	// PathEscape returns its argument itself when nothing needs escaping.
	ePkg, eAction, eID := url.PathEscape(pkg), url.PathEscape(action), url.PathEscape(activationID)
	path := func(base, pkg, action, id string) string {
		var b strings.Builder
		b.Grow(len(base) + len("/packages//actions/") + len(pkg) + len(action) + len("/activations/") + len(id))
		b.WriteString(base)
		b.WriteString("/packages/")
		b.WriteString(pkg)
		b.WriteString("/actions/")
		b.WriteString(action)
		if id != "" {
			b.WriteString("/activations/")
			b.WriteString(id)
		}
		return b.String()
	}
	u.Path = path(c.basePath, pkg, action, activationID)
	u.RawPath = ""
	if c.baseRawPath != c.basePath || ePkg != pkg || eAction != action || eID != activationID {
		u.RawPath = path(c.baseRawPath, ePkg, eAction, eID)
		if u.RawPath == u.Path {
			u.RawPath = ""
		}
	}
	var q strings.Builder
	if platform != "" || timeout >= 0 {
		q.Grow(len("platform=&timeout=") + 3*len(platform) + 20)
	}
	if platform != "" {
		q.WriteString("platform=")
		q.WriteString(url.QueryEscape(platform))
	}
	if timeout >= 0 {
		if q.Len() > 0 {
			q.WriteByte('&')
		}
		ms := (timeout + time.Millisecond - 1) / time.Millisecond // round up: 1µs is not "no wait"
		var num [20]byte
		q.WriteString("timeout=")
		q.Write(strconv.AppendInt(num[:0], int64(ms), 10))
	}
	u.RawQuery = q.String()
	return u
}

// errWritten is what a request's GetBody answers once the request was
// written and no answer to it began: see newRequest.
var errWritten = errors.New("the request was sent whole and is not sent again")

// sendState is what the trace of one request saw.
type sendState struct {
	wrote    atomic.Bool // the request was written whole (the action may have run)
	answered atomic.Bool // an answer to the request last written began
}

// trace returns the trace that keeps st. WroteHeaders clears answered, so
// that it speaks of the request being sent: the first one, or the one a
// redirect made.
func (st *sendState) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		WroteHeaders:         func() { st.answered.Store(false) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { st.wrote.Store(true) },
		GotFirstResponseByte: func() { st.answered.Store(true) },
	}
}

// newRequest builds a request for u without parsing it again, with room in
// its header for the signature. Its body does not rewind (GetBody) once the
// request was written whole and no answer to it began: Go's HTTP/2
// transport sends a request again by itself after some stream resets when
// it can rewind the body (golang/go#47635), and a request that reached the
// server may have run the action. Before it is written whole, a rewind is a
// transport's retry of a request the server did not read; after an answer
// began, it is a caller's http.Client following a redirect.
func newRequest(ctx context.Context, method string, u *url.URL, body []byte, st *sendState) *http.Request {
	req := &http.Request{
		Method:     method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     make(http.Header, 5),
		Host:       u.Host,
	}
	// One allocation for both values; the header names are canonical.
	v := []string{"application/json", "application/json"}
	req.Header["Accept"] = v[0:1:1]
	if body != nil {
		req.Header["Content-Type"] = v[1:2:2]
		req.ContentLength = int64(len(body))
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) {
			if st.wrote.Load() && !st.answered.Load() {
				return nil, errWritten
			}
			return io.NopCloser(bytes.NewReader(body)), nil
		}
	}
	return req.WithContext(ctx)
}
