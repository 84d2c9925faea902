// Package faultgw is a fake of the NCP API gateway in front of Cloud
// Functions, over real TCP on loopback, that answers the faults a real
// gateway and the proxies in front of it give, for tests. It counts how many
// times the action ran, so a test can tell a call that was sent again after
// the action ran from one that was not.
//
// Each run-action call (POST .../packages/P/actions/A) takes the next Fault
// of the gateway's script; the last one repeats. A fault that the gateway
// answers before passing the call on (TooMany, Refused503) does not run the
// action; every other fault runs it first and then answers. Activation
// detail calls (GET .../activations/ID) answer 404 with errorCode 80322 for
// the first Pending polls of an activation, then its record.
package faultgw

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Fault is what the gateway answers a run-action call.
type Fault int

const (
	// OK runs the action and answers 200 with its record.
	OK Fault = iota
	// Accepted runs the action and answers 202 with only its activation id,
	// as when the action outlives the call's timeout.
	Accepted
	// HTML503 runs the action, then answers 503 with an HTML page, as a
	// load balancer does.
	HTML503
	// Text503 runs the action, then answers 503 with plain text.
	Text503
	// Empty503 runs the action, then answers 503 with an empty body.
	Empty503
	// Reset runs the action after reading the request, then resets the
	// connection without answering.
	Reset
	// TooMany answers 429 (errorCode 420, Rate Limited) without running the
	// action.
	TooMany
	// Refused503 answers the gateway's own JSON 503 with errorCode 500
	// (Endpoint Error) without running the action: the one retryable 503.
	Refused503
	// HTML200 runs the action, then answers 200 with an HTML page, as a
	// proxy or a captive portal does.
	HTML200
	// Empty200 runs the action, then answers 200 with an empty body.
	Empty200
	// Empty202 runs the action, then answers 202 with an empty body.
	Empty202
	// Cut200 runs the action, then answers 200 with a JSON body cut short
	// (the connection closes in its middle, with no Content-Length).
	Cut200
	// Proxy504 runs the action, then answers 504 with a proxy's own JSON,
	// {"message": "upstream timed out"}, not shaped as the API's errors.
	Proxy504
	// Proxy200 runs the action, then answers 200 with a proxy's own JSON,
	// {"message": "ok"}, which is no activation record.
	Proxy200
)

// Gateway is a running fake gateway. Its methods are safe for concurrent use.
type Gateway struct {
	// URL is the API base, like https://cloudfunctions.apigw.ntruss.com/api/v2.
	URL string
	// Pending is how many polls of an activation answer 404 80322 before
	// its record; set it before the first call.
	Pending int
	// PollFault, when not OK, is what the polls after the Pending ones
	// answer instead of the record; set it before the first call.
	PollFault Fault

	srv    *httptest.Server
	mu     sync.Mutex
	script []Fault
	calls  int
	runs   int
	polls  map[string]int
	posts  []*http.Request
	bodies []string
}

// New starts a gateway answering the faults of script in order (the last
// repeats; none means OK). Close it when done.
func New(script ...Fault) *Gateway {
	if len(script) == 0 {
		script = []Fault{OK}
	}
	g := &Gateway{script: script, polls: map[string]int{}}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	g.URL = g.srv.URL + "/api/v2"
	return g
}

// Close stops the gateway and closes its connections.
func (g *Gateway) Close() { g.srv.Close() }

// Runs is how many times the action ran.
func (g *Gateway) Runs() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.runs
}

// Calls is how many run-action calls arrived, whether the action ran or not.
func (g *Gateway) Calls() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.calls
}

// Posts returns the run-action requests received, in order (their bodies
// already read: see Bodies).
func (g *Gateway) Posts() []*http.Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*http.Request(nil), g.posts...)
}

// Bodies returns the bodies of the run-action requests, in order.
func (g *Gateway) Bodies() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.bodies...)
}

// RefusedURL returns an API base on a loopback port where nothing listens,
// so every connection is refused.
func RefusedURL() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		return "", err
	}
	return "http://" + addr + "/api/v2", nil
}

func (g *Gateway) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v2/packages/")
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"error":{"errorCode":"300","message":"Not Found Exception"}}`)
		return
	}
	if _, id, isPoll := strings.Cut(rest, "/activations/"); isPoll && r.Method == http.MethodGet {
		g.poll(w, id)
		return
	}
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, `{"error":{"errorCode":"300","message":"Not Found Exception"}}`)
		return
	}
	g.mu.Lock()
	f := g.script[min(g.calls, len(g.script)-1)]
	g.calls++
	g.posts = append(g.posts, r)
	g.bodies = append(g.bodies, string(body))
	runs := f != TooMany && f != Refused503
	if runs {
		g.runs++
	}
	id := fmt.Sprintf("%032x", g.runs)
	g.mu.Unlock()
	answer(w, f, id)
}

// answer writes fault f for the activation id.
func answer(w http.ResponseWriter, f Fault, id string) {
	switch f {
	case OK:
		writeJSON(w, http.StatusOK, record(id))
	case Accepted:
		writeJSON(w, http.StatusAccepted, `{"content":{"activationId":"`+id+`"}}`)
	case HTML503:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n")
	case Text503:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "upstream connect error or disconnect/reset before headers\n")
	case Empty503:
		w.WriteHeader(http.StatusServiceUnavailable)
	case Reset:
		reset(w)
	case TooMany:
		writeJSON(w, http.StatusTooManyRequests, `{"error":{"errorCode":"420","message":"Rate Limited"}}`)
	case Refused503:
		writeJSON(w, http.StatusServiceUnavailable, `{"error":{"errorCode":"500","message":"Endpoint Error"}}`)
	default:
		proxyAnswer(w, f)
	}
}

// proxyAnswer writes the faults of a proxy that answered 200 or a JSON 5xx.
func proxyAnswer(w http.ResponseWriter, f Fault) {
	switch f {
	case HTML200:
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html><body>hi</body></html>\n")
	case Empty200:
		w.WriteHeader(http.StatusOK)
	case Empty202:
		w.WriteHeader(http.StatusAccepted)
	case Cut200:
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic("faultgw: cannot hijack the connection: " + err.Error())
		}
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"content\":{\"activationId\":")
		_ = buf.Flush()
		_ = conn.Close()
	case Proxy504:
		writeJSON(w, http.StatusGatewayTimeout, `{"message":"upstream timed out"}`)
	case Proxy200:
		writeJSON(w, http.StatusOK, `{"message":"ok"}`)
	}
}

// reset closes the connection with a TCP RST and no answer.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic("faultgw: cannot hijack the connection: " + err.Error())
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

func (g *Gateway) poll(w http.ResponseWriter, id string) {
	g.mu.Lock()
	n := g.polls[id]
	g.polls[id] = n + 1
	pending, fault := g.Pending, g.PollFault
	g.mu.Unlock()
	switch {
	case n < pending:
		writeJSON(w, http.StatusNotFound, `{"error":{"errorCode":"80322","message":"ACTION_ACTIVATION_NOT_FOUND"}}`)
	case fault != OK && fault != Accepted:
		answer(w, fault, id)
	default:
		writeJSON(w, http.StatusOK, record(id))
	}
}

// record is an activation record of a successful run.
func record(id string) string {
	return `{"content":{"activationId":"` + id + `","duration":1,"name":"act","namespace":"ns",` +
		`"response":{"result":{"ok":true},"status":"success","success":true}}}`
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}
