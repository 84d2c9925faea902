package emulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/specrun/specrun/internal/jsontext"
)

//go:embed runtimes/node_shim.js
var nodeShim string

//go:embed runtimes/python_shim.py
var pythonShim string

// MaxBodyBytes is the largest request body accepted (1 MB); larger bodies get 413 / 430.
const MaxBodyBytes = 1 << 20

// MaxLogBytes bounds the logs kept per activation (1 MB, NCP's limit); the rest is dropped
// and a last line says so.
const MaxLogBytes = 1 << 20

// DefaultMaxActivations is the number of activation records kept when
// Options.MaxActivations is 0.
const DefaultMaxActivations = 10000

// DefaultMaxActivationBytes bounds the memory of the activation records kept (their results
// and logs) when Options.MaxActivationBytes is 0: 128 MB. The process levels off at two to
// three times that, with what the garbage collector has yet to free (about 320 MB under a
// stream of 1 MB echo calls).
const DefaultMaxActivationBytes = 128 << 20

// TraceHeader is the header that carries the request id on every answer, as NCP's API
// gateway sends x-ncp-trace-id; the same id is the activation's __OW_TRANSACTION_ID.
const TraceHeader = "X-Ncp-Trace-Id"

// ActionVersion is __OW_ACTION_VERSION: OpenWhisk gives a new action version 0.0.1.
const ActionVersion = "0.0.1"

// maxDrainBytes bounds what is read and thrown away of a body over MaxBodyBytes, so that the
// 413 reaches a client that sends its whole body before it reads the answer.
const maxDrainBytes = 64 << 20

// MaxWait is the largest, and the default, value of the timeout query parameter (ms).
const MaxWait = 60000

// ClockSkew is how far a request's timestamp may be from the server's clock: a timestamp
// ClockSkew or more away is rejected, like the gateway does.
const ClockSkew = 5 * time.Minute

// Options configures a Server.
type Options struct {
	// AccessKey and SecretKey are the only credentials accepted. Both are required: New
	// panics when either is empty (an emulator that accepts anything would hide signing
	// bugs).
	AccessKey, SecretKey string
	// Now is the clock used for timestamp checks, activation start/end, __OW_DEADLINE and
	// log lines. nil means time.Now. It is called concurrently and must be safe for that.
	// Waiting (timeout, action limits, delay) always uses real time.
	Now func() time.Time
	// NewID returns a new activation id. nil means 32 random lowercase hex digits. It is
	// called concurrently and must be safe for that.
	NewID func() string
	// MaxActivations is the number of finished activation records kept for the activation
	// detail endpoint; the oldest are dropped first. 0 or less means DefaultMaxActivations.
	MaxActivations int
	// MaxActivationBytes bounds the memory of those records (results and logs, estimated);
	// the oldest are dropped first, the newest is always kept. 0 or less means
	// DefaultMaxActivationBytes.
	MaxActivationBytes int64
}

// Server serves the Cloud Functions API from a manifest's actions. It implements
// http.Handler; it is safe for concurrent use. Close it to kill running actions.
//
// Routes, under both /api/v2 (default platform classic) and /ncf/api/v2 (default vpc):
//
//	POST {base}/packages/{p}/actions/{a}?platform=&timeout=           run an action
//	GET  {base}/packages/{p}/actions/{a}/activations/{id}?platform=   an activation's record
//
// Checks run in this order, the first failure answering: route (404 "300"), signature (401
// "200"), method (405), shut down (503 "500"), platform and timeout parameters (400 "100"),
// body size (413 "430"), package (404 "80101"), action (404 "80301"), platform of the
// action (400 "80302"), body type (400 "80305"). An empty body counts as {}.
//
// Any other path answers the gateway's 404 errorCode "300"; a known path with the wrong
// method answers 405 (with an Allow header) and errorCode "300". Every completed
// activation answers 200, whatever its response.status. timeout=0 answers 202 with the
// activation id at once, as OpenWhisk does (its activations always run asynchronously),
// even for a result/builtin action without a delay, which has completed by then.
type Server struct {
	m     *Manifest
	opts  Options
	now   func() time.Time
	newID func() string
	pkgs  map[string]map[string]*action
	store *store

	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex // guards wg.Add against Close
	closed atomic.Bool
	wg     sync.WaitGroup

	secret []byte // the signing secret key
	// keyed is an HMAC-SHA256 keyed with secret once and never written;
	// each request's signature is checked with a clone of it.
	keyed   hash.Hash
	ctJSON  []string
	nsJSON  []byte // the namespace as a JSON string, quoted once for every answer
	baseEnv []string

	inflight atomic.Int64 // activations started and not finished, for Manifest.Concurrency
	apiKey   string       // __OW_API_KEY for actions with ProvideAPIKey: not the signing keys
}

// invocation is what an activation's process learns of its request.
type invocation struct {
	id      string
	start   int64  // Unix ms
	trace   string // the request id: __OW_TRANSACTION_ID
	apiHost string // __OW_API_HOST: the emulator's own address as the client reached it
}

// hostVars are the only variables of the emulator's environment an action's process gets
// (docs/openwhisk-contract.md, "The environment"): OpenWhisk's actions see none of the host's.
// PATH finds the programs a native action runs and lets an interpreter find its own
// installation; Windows cannot start a process without SYSTEMROOT.
func hostVars() []string {
	if runtime.GOOS == "windows" {
		return []string{"PATH", "SYSTEMROOT"}
	}
	return []string{"PATH"}
}

// hostEnv returns the allowed variables of the emulator's environment that are set.
func hostEnv() []string {
	var env []string
	for _, k := range hostVars() {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// environ returns the environment of an activation's process: the host's few variables the
// runtimes need (hostVars), then every __OW_ variable OpenWhisk sets.
func (inv *invocation) environ(act *action, deadline time.Time) []string {
	env := act.env[:len(act.env):len(act.env)]
	return append(env, "__OW_ACTIVATION_ID="+inv.id,
		"__OW_DEADLINE="+strconv.FormatInt(deadline.UnixMilli(), 10),
		"__OW_TRANSACTION_ID="+inv.trace,
		"__OW_API_HOST="+inv.apiHost)
}

// action is an Action prepared for serving.
type action struct {
	a           *Action
	pkg         string
	name        string
	platforms   uint8
	fast        bool   // result or builtin without delay: computed synchronously
	fixed       []byte // KindResult: the result
	fixedStatus string // KindResult: its status
	count       atomic.Int64
	argv        []string // process actions: program and arguments before the params
	env         []string // process actions: environment without __OW_ACTIVATION_ID, __OW_DEADLINE
	limitMsg    []byte   // result when the time limit is exceeded
	qualified   string   // /namespace/package/action
	nameJSON    []byte   // the name as a JSON string, quoted once for every answer
}

const (
	platClassic uint8 = 1 << iota
	platVPC
)

// New returns a Server serving m's actions. It panics when opts.AccessKey or opts.SecretKey
// is empty. m must not be modified afterwards.
func New(m *Manifest, opts Options) *Server {
	if opts.AccessKey == "" || opts.SecretKey == "" {
		panic("emulator.New: Options.AccessKey and Options.SecretKey are required")
	}
	s := &Server{m: m, opts: opts, now: opts.Now, newID: opts.NewID, ctJSON: []string{"application/json"}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = randomID
	}
	limit := opts.MaxActivations
	if limit <= 0 {
		limit = DefaultMaxActivations
	}
	maxBytes := opts.MaxActivationBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxActivationBytes
	}
	s.store = newStore(limit, maxBytes)
	s.apiKey = randomUUID() + ":" + randomID() + randomID()
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.secret = []byte(opts.SecretKey)
	s.keyed = hmac.New(sha256.New, s.secret)
	s.nsJSON = jsontext.AppendString(nil, m.Namespace)
	s.baseEnv = hostEnv()
	s.pkgs = map[string]map[string]*action{}
	for _, p := range m.Packages {
		acts := map[string]*action{}
		s.pkgs[p.Name] = acts
		for _, a := range p.Actions {
			acts[a.Name] = s.prepare(a)
		}
	}
	return s
}

func (s *Server) prepare(a *Action) *action {
	act := &action{a: a, pkg: a.Package, name: a.Name, nameJSON: jsontext.AppendString(nil, a.Name)}
	for _, p := range a.Platforms {
		switch p {
		case PlatformClassic:
			act.platforms |= platClassic
		case PlatformVPC:
			act.platforms |= platVPC
		}
	}
	if a.Package == "-" {
		act.qualified = "/" + s.m.Namespace + "/" + a.Name
	} else {
		act.qualified = "/" + s.m.Namespace + "/" + a.Package + "/" + a.Name
	}
	act.limitMsg = jsontext.AppendString([]byte(`{"error":`), fmt.Sprintf("The action exceeded its time limits of %d milliseconds.", a.Timeout.Milliseconds()))
	act.limitMsg = append(act.limitMsg, '}')
	switch a.Kind {
	case KindResult:
		act.fixed, act.fixedStatus = classify(answer{code: 200, body: a.Result, size: len(a.Result)})
		act.fast = a.Delay == 0
	case KindBuiltin:
		act.fast = a.Delay == 0
	case KindExec:
		act.argv = append([]string{a.Program}, a.Exec[1:]...)
	case KindNode:
		act.argv = []string{a.Interpreter, "-e", nodeShim, a.File, a.Main}
	case KindPython:
		act.argv = []string{a.Interpreter, "-c", pythonShim, a.File, a.Main}
	}
	if act.argv != nil {
		env := make([]string, 0, len(s.baseEnv)+6)
		env = append(env, s.baseEnv...)
		env = append(env, "__OW_ACTION_NAME="+act.qualified, "__OW_NAMESPACE="+s.m.Namespace,
			"__OW_ACTION_VERSION="+ActionVersion)
		if a.ProvideAPIKey {
			env = append(env, "__OW_API_KEY="+s.apiKey)
		}
		if a.Kind == KindPython {
			env = append(env, "PYTHONUNBUFFERED=1")
		}
		act.env = env
	}
	return act
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// randomUUID returns a random UUID in its text form, the shape of an OpenWhisk namespace's uuid.
func randomUUID() string {
	h := randomID()
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// traceID returns a request id shaped like the gateway's: 26 characters of [0-9a-z].
func traceID() string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	var b [26]byte
	_, _ = rand.Read(b[:])
	for i, c := range b {
		b[i] = digits[int(c)%len(digits)]
	}
	return string(b[:])
}

// Close kills the processes of running actions (their activations end as "whisk internal
// error"), waits for every goroutine the Server started, and makes later requests answer
// 503. It is safe to call more than once; it always returns nil.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed.Load() {
		s.mu.Unlock()
		return nil
	}
	s.closed.Store(true)
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	return nil
}

// record is a finished activation.
type record struct {
	id         string
	act        *action
	start, end int64 // Unix ms
	status     string
	result     []byte
	logs       []string
	size       int64 // recordBytes, set by store.put
}

const (
	statusSuccess   = "success"
	statusAppError  = "application error"
	statusDevError  = "action developer error"
	statusInternal  = "whisk internal error"
	hdrTimestamp    = "X-Ncp-Apigw-Timestamp"
	hdrAccessKey    = "X-Ncp-Iam-Access-Key"
	hdrSignature    = "X-Ncp-Apigw-Signature-V2"
	missingAuthInfo = "Authentication information are missing."
)

// ServeHTTP serves one request; see Server.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header()[TraceHeader] = []string{traceID()}
	pkgName, actName, actID, defPlat, ok := route(r.URL.Path)
	if !ok {
		s.notFound(w, r)
		return
	}
	if details, ok := s.authenticate(r); !ok {
		s.writeError(w, http.StatusUnauthorized, "200", "Authentication Failed", details)
		return
	}
	if !s.methodAllowed(w, r, actID != "") {
		return
	}
	if s.closed.Load() {
		s.writeError(w, http.StatusServiceUnavailable, "500", "Endpoint Error", "The emulator is shut down.")
		return
	}
	plat, msg := platformParam(r.URL.RawQuery, defPlat)
	if msg != "" {
		s.writeError(w, http.StatusBadRequest, "100", "Bad Request Exception", msg)
		return
	}
	if actID != "" {
		if act := s.lookup(w, pkgName, actName, plat); act != nil {
			s.serveActivation(w, act, actID)
		}
		return
	}
	s.serveInvoke(w, r, pkgName, actName, plat)
}

// route splits a request path into the package, the action and the
// activation id ("" for an invocation), with the platform its prefix
// implies; ok is false for a path that is no route of the API.
func route(path string) (pkgName, actName, actID, defPlat string, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(path, "/api/v2/"):
		rest, defPlat = path[len("/api/v2/"):], PlatformClassic
	case strings.HasPrefix(path, "/ncf/api/v2/"):
		rest, defPlat = path[len("/ncf/api/v2/"):], PlatformVPC
	default:
		return "", "", "", "", false
	}
	pkgName, actName, actID, ok = splitRoute(rest)
	return pkgName, actName, actID, defPlat, ok
}

// methodAllowed answers 405 unless the method is POST for an invocation or
// GET for an activation's detail.
func (s *Server) methodAllowed(w http.ResponseWriter, r *http.Request, detail bool) bool {
	want := http.MethodPost
	if detail {
		want = http.MethodGet
	}
	if r.Method == want {
		return true
	}
	w.Header().Set("Allow", want)
	s.writeError(w, http.StatusMethodNotAllowed, "300", "Not Found Exception",
		fmt.Sprintf("%s is not allowed on %s: use %s.", r.Method, r.URL.Path, want))
	return false
}

// serveInvoke answers an invocation: its timeout, its body, the action and
// its parameters are checked in that order, then the action runs.
func (s *Server) serveInvoke(w http.ResponseWriter, r *http.Request, pkgName, actName, plat string) {
	wait, msg := timeoutParam(r.URL.RawQuery)
	if msg != "" {
		s.writeError(w, http.StatusBadRequest, "100", "Bad Request Exception", msg)
		return
	}
	body, status := s.readBody(r)
	if body == nil {
		if status == http.StatusRequestEntityTooLarge {
			s.tooLarge(w, r)
		} else {
			s.writeError(w, http.StatusBadRequest, "100", "Bad Request Exception", "The request body could not be read.")
		}
		return
	}
	act := s.lookup(w, pkgName, actName, plat)
	if act == nil {
		return
	}
	params := bytes.TrimSpace(body)
	if len(params) == 0 {
		params = []byte("{}")
	} else if params[0] != '{' || !json.Valid(params) {
		what := "it is not valid JSON"
		if json.Valid(params) {
			what = "it is JSON but not an object"
		}
		s.writeError(w, http.StatusBadRequest, "80305", "ACTION_BODY_INVALID_TYPE",
			"The request body must be a JSON object (the action's parameters): "+what+".")
		return
	}
	s.invoke(w, r, act, params, wait)
}

// tooLarge answers 413 and then reads and discards the rest of the body (up to
// maxDrainBytes, for at most 10 seconds) before the connection closes, as nginx's lingering
// close does: a client that writes its whole body before reading, with Connection: close,
// would otherwise get a connection reset instead of the answer.
func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request) {
	answer := func() {
		s.writeError(w, http.StatusRequestEntityTooLarge, "430", "Request Entity Too Large",
			fmt.Sprintf("The request body exceeds %d bytes.", MaxBodyBytes))
	}
	if r.ProtoMajor != 1 { // HTTP/2 resets the stream, not the connection
		answer()
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.EnableFullDuplex() // read the body after answering
	w.Header().Set("Connection", "close")
	answer()
	_ = rc.Flush()
	_ = rc.SetReadDeadline(time.Now().Add(10 * time.Second))
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrainBytes))
	}
}

// splitRoute splits "packages/{p}/actions/{a}[/activations/{id}]".
func splitRoute(rest string) (pkg, act, id string, ok bool) {
	rest, ok = strings.CutPrefix(rest, "packages/")
	if !ok {
		return "", "", "", false
	}
	pkg, rest, ok = strings.Cut(rest, "/")
	if !ok || pkg == "" {
		return "", "", "", false
	}
	rest, ok = strings.CutPrefix(rest, "actions/")
	if !ok {
		return "", "", "", false
	}
	act, rest, _ = strings.Cut(rest, "/")
	if act == "" {
		return "", "", "", false
	}
	if rest == "" {
		return pkg, act, "", true
	}
	id, ok = strings.CutPrefix(rest, "activations/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", "", "", false
	}
	return pkg, act, id, true
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, http.StatusNotFound, "300", "Not Found Exception",
		fmt.Sprintf("No API matches %s %s.", r.Method, r.URL.Path))
}

func (s *Server) lookup(w http.ResponseWriter, pkgName, actName, plat string) *action {
	acts, ok := s.pkgs[pkgName]
	if !ok && pkgName != "-" { // "-" holds the package-less actions: it always exists
		s.writeError(w, http.StatusNotFound, "80101", "PACKAGE_NOT_FOUND",
			fmt.Sprintf("Package %q does not exist in namespace %q.", pkgName, s.m.Namespace))
		return nil
	}
	act, ok := acts[actName]
	if !ok {
		s.writeError(w, http.StatusNotFound, "80301", "ACTION_NOT_FOUND",
			fmt.Sprintf("Action %q does not exist in package %q.", actName, pkgName))
		return nil
	}
	bit := platClassic
	if plat == PlatformVPC {
		bit = platVPC
	}
	if act.platforms&bit == 0 {
		s.writeError(w, http.StatusBadRequest, "80302", "ACTION_PLATFORM_MISMATCH",
			fmt.Sprintf("Action %q of package %q does not serve platform %s; it serves %s.",
				actName, pkgName, plat, strings.Join(act.a.Platforms, ", ")))
		return nil
	}
	return act
}

// readBody reads at most MaxBodyBytes; nil and the HTTP status on error.
func (s *Server) readBody(r *http.Request) ([]byte, int) {
	if r.ContentLength > MaxBodyBytes {
		return nil, http.StatusRequestEntityTooLarge
	}
	if r.Body == nil {
		return []byte{}, 0
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, http.StatusBadRequest
	}
	if len(b) > MaxBodyBytes {
		return nil, http.StatusRequestEntityTooLarge
	}
	return b, 0
}

// queryValue returns the first value of key in a raw query, unescaped.
func queryValue(raw, key string) (string, bool) {
	for raw != "" {
		var seg string
		seg, raw, _ = strings.Cut(raw, "&")
		k, v, _ := strings.Cut(seg, "=")
		if strings.ContainsAny(k, "%+") {
			uk, err := url.QueryUnescape(k)
			if err != nil {
				continue
			}
			k = uk
		}
		if k != key {
			continue
		}
		if strings.ContainsAny(v, "%+") {
			uv, err := url.QueryUnescape(v)
			if err != nil {
				return v, true
			}
			v = uv
		}
		return v, true
	}
	return "", false
}

func platformParam(raw, def string) (string, string) {
	v, _ := queryValue(raw, "platform")
	switch v {
	case "":
		return def, ""
	case PlatformClassic:
		return PlatformClassic, ""
	case PlatformVPC:
		return PlatformVPC, ""
	}
	return "", fmt.Sprintf("The platform parameter must be classic or vpc, not %q.", v)
}

func timeoutParam(raw string) (int, string) {
	v, ok := queryValue(raw, "timeout")
	if !ok || v == "" {
		return MaxWait, ""
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > MaxWait {
		return 0, fmt.Sprintf("The timeout parameter must be a whole number of milliseconds from 0 to %d, not %q.", MaxWait, v)
	}
	return n, ""
}

// authenticate checks the signature v2 headers; on failure it returns the details.
func (s *Server) authenticate(r *http.Request) (string, bool) {
	ts, ak, sig := r.Header[hdrTimestamp], r.Header[hdrAccessKey], r.Header[hdrSignature]
	if len(ts) == 0 || len(ak) == 0 || len(sig) == 0 || ts[0] == "" || ak[0] == "" || sig[0] == "" {
		return missingAuthInfo, false
	}
	if ak[0] != s.opts.AccessKey {
		return fmt.Sprintf("The access key %q is not known: sign with the emulator's access key.", ak[0]), false
	}
	ms, err := strconv.ParseInt(ts[0], 10, 64)
	if err != nil {
		return fmt.Sprintf("The timestamp %q is not Unix time in milliseconds.", ts[0]), false
	}
	now := s.now().UnixMilli()
	if d := now - ms; d >= ClockSkew.Milliseconds() || -d >= ClockSkew.Milliseconds() {
		return fmt.Sprintf("The timestamp %s is %s away from the server's clock (%d): it must be less than %s.",
			ts[0], time.Duration(abs64(d))*time.Millisecond, now, ClockSkew), false
	}
	uri := r.RequestURI
	if uri == "" || uri[0] != '/' {
		uri = r.URL.RequestURI()
	}
	return s.checkSignature(r.Method, uri, ts[0], ak[0], sig[0])
}

// checkSignature checks sig against the signature v2 of the request
// line's method and URI, the timestamp and the access key. The string to
// sign, its MAC and the MAC's Base64 are built in fixed buffers, not as
// strings; only a mismatch makes text of them.
func (s *Server) checkSignature(method, uri, ts, ak, sig string) (string, bool) {
	var buf [256]byte
	msg := append(buf[:0], method...)
	msg = append(msg, ' ')
	msg = append(msg, uri...)
	msg = append(msg, '\n')
	msg = append(msg, ts...)
	msg = append(msg, '\n')
	msg = append(msg, ak...)
	mac := s.mac()
	mac.Write(msg)
	var sum [sha256.Size]byte
	var want, got [44]byte // the standard Base64 of a SHA-256 sum
	base64.StdEncoding.Encode(want[:], mac.Sum(sum[:0]))
	if len(sig) != len(got) || !hmac.Equal(want[:], got[:copy(got[:], sig)]) {
		return fmt.Sprintf("The signature does not match: sign %q with the secret key (HMAC-SHA256, standard Base64).", msg), false
	}
	return "", true
}

// mac returns a fresh HMAC keyed with the secret: a clone of s.keyed
// (hash.Cloner), or a new one where cloning is unsupported
// (GOFIPS140=v1.0.0).
func (s *Server) mac() hash.Hash {
	if c, ok := s.keyed.(hash.Cloner); ok {
		if m, err := c.Clone(); err == nil {
			return m
		}
	}
	return hmac.New(sha256.New, s.secret)
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func (s *Server) writeError(w http.ResponseWriter, status int, code, message, details string) {
	b := []byte(`{"error":{"errorCode":`)
	b = jsontext.AppendString(b, code)
	b = append(b, `,"message":`...)
	b = jsontext.AppendString(b, message)
	b = append(b, `,"details":`...)
	b = jsontext.AppendString(b, details)
	b = append(b, "}}"...)
	s.write(w, status, b)
}

func (s *Server) write(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = s.ctJSON
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// invoke runs act with params (valid JSON object; the caller's buffer) and answers.
func (s *Server) invoke(w http.ResponseWriter, r *http.Request, act *action, params []byte, wait int) {
	if limit := int64(s.m.Concurrency); limit > 0 {
		if n := s.inflight.Add(1); n > limit {
			s.inflight.Add(-1)
			s.writeError(w, http.StatusTooManyRequests, "429", "Too Many Requests",
				fmt.Sprintf("Too many concurrent requests in flight (count: %d, allowed: %d).", n-1, limit))
			return
		}
	} else {
		s.inflight.Add(1)
	}
	id, start := s.newID(), s.now().UnixMilli()
	if act.fast {
		rec := &record{id: id, act: act, start: start}
		rec.result, rec.status = s.compute(act, params)
		s.inflight.Add(-1)
		rec.end = s.now().UnixMilli()
		s.store.put(rec)
		if wait == 0 {
			s.writeAccepted(w, id)
			return
		}
		s.writeRecord(w, rec, false)
		return
	}
	// Only an action that runs on its own goroutine needs the invocation.
	inv := &invocation{id: id, start: start, trace: w.Header().Get(TraceHeader), apiHost: "http://" + r.Host}
	params = mergeObjects(act.a.Params, params)
	done := make(chan *record, 1)
	s.mu.Lock()
	if s.closed.Load() {
		s.mu.Unlock()
		s.inflight.Add(-1)
		s.writeError(w, http.StatusServiceUnavailable, "500", "Endpoint Error", "The emulator is shut down.")
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	go s.run(act, inv, params, done)
	if wait > 0 {
		t := time.NewTimer(time.Duration(wait) * time.Millisecond)
		defer t.Stop()
		select {
		case rec := <-done:
			s.writeRecord(w, rec, false)
			return
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	s.writeAccepted(w, inv.id)
}

// writeAccepted answers 202 with only the activation id: the call did not
// wait for the action.
func (s *Server) writeAccepted(w http.ResponseWriter, id string) {
	b := append([]byte(`{"content":{"activationId":`), jsontext.AppendString(nil, id)...)
	s.write(w, http.StatusAccepted, append(b, "}}"...))
}

// compute returns the result and status of a result or builtin action (no delay).
func (s *Server) compute(act *action, params []byte) ([]byte, string) {
	switch act.a.Kind {
	case KindResult:
		return act.fixed, act.fixedStatus
	case KindBuiltin:
		if act.a.Builtin == BuiltinCounter {
			n := act.count.Add(1)
			b := strconv.AppendInt([]byte(`{"count":`), n, 10)
			return append(b, '}'), statusSuccess
		}
		var res []byte
		if act.a.Params == nil {
			res = compactValue(params)
		} else {
			res = mergeObjects(act.a.Params, params)
		}
		return classify(answer{code: 200, body: res, size: len(res)})
	}
	return []byte(`{"error":"The emulator cannot run this action synchronously."}`), statusInternal
}

func (s *Server) serveActivation(w http.ResponseWriter, act *action, id string) {
	rec := s.store.get(id)
	if rec == nil || rec.act != act {
		s.writeError(w, http.StatusNotFound, "80322", "ACTION_ACTIVATION_NOT_FOUND",
			fmt.Sprintf("Activation %q of action %q was not found: it may still be running (poll again), or it was dropped (the emulator keeps the last %d, in at most %d MB).",
				id, act.pkg+"/"+act.name, s.store.max, s.store.maxBytes>>20))
		return
	}
	s.writeRecord(w, rec, true)
}

func (s *Server) writeRecord(w http.ResponseWriter, rec *record, withLogs bool) {
	b := make([]byte, 0, 256+len(rec.result))
	b = append(b, `{"content":{"activationId":`...)
	b = jsontext.AppendString(b, rec.id)
	b = append(b, `,"duration":`...)
	b = strconv.AppendInt(b, rec.end-rec.start, 10)
	b = append(b, `,"start":`...)
	b = strconv.AppendInt(b, rec.start, 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, rec.end, 10)
	b = append(b, `,"name":`...)
	b = append(b, rec.act.nameJSON...)
	b = append(b, `,"namespace":`...)
	b = append(b, s.nsJSON...)
	b = append(b, `,"subject":`...)
	b = append(b, s.nsJSON...)
	b = append(b, `,"response":{"result":`...)
	b = append(b, rec.result...)
	b = append(b, `,"status":`...)
	b = jsontext.AppendString(b, rec.status)
	if rec.status == statusSuccess {
		b = append(b, `,"success":true}`...)
	} else {
		b = append(b, `,"success":false}`...)
	}
	if withLogs {
		b = append(b, `,"logs":[`...)
		for i, l := range rec.logs {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsontext.AppendString(b, l)
		}
		b = append(b, ']')
	}
	b = append(b, "}}"...)
	s.write(w, http.StatusOK, b)
}
