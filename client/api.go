package client

import (
	"fmt"
	"net/http"
	"time"
)

// DefaultEndpoint is the Cloud Functions API v2.0 base URL.
const DefaultEndpoint = "https://cloudfunctions.apigw.ntruss.com/api/v2"

// Credentials are an NCP API key pair. Their String and GoString methods
// never print the secret.
type Credentials struct {
	AccessKey string
	SecretKey string
	// Source says where they came from, e.g. "environment
	// (NCLOUD_ACCESS_KEY)" or "~/.ncloud/configure [DEFAULT]", for messages.
	Source string
}

// Config configures a Client. The zero value of every field has a documented
// meaning; only Credentials is required.
type Config struct {
	// Endpoint is the API base URL ending in /api/v2 or /ncf/api/v2; empty
	// means DefaultEndpoint.
	Endpoint    string
	Credentials Credentials
	// HTTPClient sends the requests; nil means a client built for
	// Parallelism (see Parallelism). Its Transport is wrapped by the signer.
	HTTPClient *http.Client
	// Parallelism is the number of requests expected in flight; it sizes
	// the connection pool. Zero means 8.
	Parallelism int
	// MaxRetries is the number of transport retries of a request that
	// certainly did not run the action. Zero means none.
	MaxRetries int
	// RetryDelay is the first transport-retry delay, doubled each time with
	// jitter; zero means 200ms. MaxRetryDelay caps it; zero means 10s.
	RetryDelay    time.Duration
	MaxRetryDelay time.Duration
	// Rate limits requests per second across all callers; zero means no
	// limit.
	Rate float64
	// MaxResponseBytes caps a response body; zero means 10 MB.
	MaxResponseBytes int64
	// Now is the clock used for signature timestamps and timings; nil means
	// time.Now.
	Now func() time.Time
	// Rand returns a number in [0,1) for jitter; nil means math/rand/v2.
	Rand func() float64
}

// Invocation is one run-action call.
type Invocation struct {
	Package  string // "-" for an action outside any package
	Action   string
	Platform string // "classic", "vpc" or "" (parameter not sent)
	// Timeout is how long the call waits for the action, sent in ms. It is
	// sent when positive, or when TimeoutSet is true (then 0 is sent as
	// timeout=0: the API answers at once with the activation id).
	Timeout    time.Duration
	TimeoutSet bool
	// Body is the JSON object of the parameters; nil means {}.
	Body []byte
}

// Response is what the API answered.
type Response struct {
	StatusCode int
	Header     http.Header
	// Body is the raw body (at most Config.MaxResponseBytes).
	Body []byte
	// JSON is Body decoded once, to exactly what json.Decoder with UseNumber
	// gives (nil, bool, string, json.Number, []any, map[string]any); nil
	// with JSONErr set when the body is not JSON.
	JSON    any
	JSONErr error
	// Error is the parsed `error` object of an error body, nil otherwise.
	Error *APIError
	// ActivationID is content.activationId when present.
	ActivationID string
	// Pending is true when the action has not finished: for Invoke, the call
	// outlived its wait (a 202, or a 2xx body whose content holds nothing
	// but the activationId); for Activation, a 404 with errorCode 80322
	// (CodeActivationNotFound), the activation not recorded yet. Poll again.
	Pending bool
	// Start is when the first attempt was sent; Duration runs to the end of
	// reading the body of the last attempt. Attempts counts transport
	// attempts (1 when no transport retry happened).
	Start    time.Time
	Duration time.Duration
	Attempts int
	// Retried holds the attempts before this answer, each of which was sent
	// again (nil when the first attempt gave this answer).
	Retried []Try
	// Transport is set when this answer came from the API gateway or a
	// proxy in front of it rather than from Cloud Functions, and was not
	// sent again: it says what the answer was and whether the action may
	// have run. It is set for a 429 or the gateway's JSON 503 (errorCode
	// 500) when the retries ran out (Refused: the action did not run); for
	// an answer whose body is not JSON, whatever its status (a proxy
	// answered after the request was written); for a 5xx whose JSON body
	// is not shaped as the API's errors (a proxy's JSON); and for the
	// gateway's 504 errorCode 510 or 500 errorCode 900. Those may have run
	// the action: MayHaveRun is set, unless the call was an activation
	// poll (a GET, which runs nothing).
	Transport string
	// Refused is true when Transport is set for an answer of the gateway
	// that refused the call before passing it on (HTTP 429, or its JSON 503
	// errorCode 500) after the transport retries ran out: the action did
	// not run, and more retries (Config.MaxRetries) might have got through.
	Refused bool
	// MayHaveRun is true when Transport is set and the action may have run.
	MayHaveRun bool
	// Request is the last request as sent, signature headers included
	// (its body in RequestBody), for verbose output; callers must redact
	// the signature before printing.
	Request     *http.Request
	RequestBody []byte
}

// APIError is the `error` object of a Cloud Functions or API Gateway error
// body. Code is kept as text whether it arrived as a string or a number.
type APIError struct {
	Code    string
	Message string
	Details string
}

// TransportError is returned when no complete response was had.
type TransportError struct {
	// Op is "POST URL" or "GET URL".
	Op string
	// MayHaveRun is true when the request may have reached the action (the
	// connection broke after it was sent, or its answer could not be read):
	// it was therefore not sent again.
	MayHaveRun bool
	// Attempts counts the attempts made (requests sent, or tried and not
	// connected); a wait cut short before an attempt does not count.
	// Retried holds those that were sent again; Last is the answer of the
	// last attempt when the call ended while waiting to send it again (see
	// WaitError), nil otherwise.
	Attempts int
	Retried  []Try
	Last     *Try
	Err      error
}

// WaitError is the cause of a TransportError when the call ended while
// the client waited before sending a request: for the request's turn under
// Config.Rate (Rate is set), or for the delay before sending again a call
// that certainly did not run the action (After says what it was answered).
// Nothing was sent during the wait.
type WaitError struct {
	// Rate is Config.Rate when the wait was for the rate limit, else 0.
	Rate float64
	// Delay is the wait before sending again; After is the answer that is
	// being sent again, e.g. "HTTP 429 (errorCode 420: Rate Limited)".
	Delay time.Duration
	After string
	// Err is why the wait ended: the context's error, or the rate
	// limiter's when the turn would come after the context's deadline
	// (then errors.Is(Err, context.DeadlineExceeded) holds too).
	Err error
}

// Error says what was being waited for and why the wait ended.
func (e *WaitError) Error() string {
	if e.Rate > 0 {
		return fmt.Sprintf("waiting for the rate limit (%g requests a second): %v", e.Rate, e.Err)
	}
	return fmt.Sprintf("%s while waiting to retry after %s: %v", stoppedBy(e.Err), e.After, e.Err)
}

// Unwrap returns Err.
func (e *WaitError) Unwrap() error { return e.Err }

// Try is one transport attempt of a call that was sent again: when it was
// made, what was answered (StatusCode, Header and Body, or Err when no
// response came) and why it was sent again.
type Try struct {
	Start    time.Time
	Duration time.Duration
	// Request is the request as sent, signature headers included (nil when
	// no response came); callers must redact the signature before printing.
	Request    *http.Request
	StatusCode int
	Header     http.Header
	Body       []byte
	// Error is the parsed error object of Body, as Response.Error.
	Error *APIError
	Err   error
	// Why says what the answer was and why the call was sent again, e.g.
	// "HTTP 429 (errorCode 420: Rate Limited), so the action did not run:
	// sent again after 150ms".
	Why string
}

// Error returns "Op: cause". When MayHaveRun is true the cause says that the
// action may have run.
func (e *TransportError) Error() string { return e.Op + ": " + e.Err.Error() }

// Unwrap returns the cause, so errors.Is(err, context.Canceled) and
// errors.As(err, new(*ResponseTooLargeError)) see through a TransportError.
func (e *TransportError) Unwrap() error { return e.Err }
