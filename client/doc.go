// Package client calls the NAVER Cloud Platform Cloud Functions API.
//
// A Client is built once from a Config (endpoint, credentials, HTTP client,
// retry policy, rate limit, clock) and shared by all goroutines. Invoke runs
// an action and Activation fetches an activation's detail; both return the
// raw body together with its JSON, decoded once, and the parsed error object
// of an error body. A non-2xx status is a Response, not an error: an error
// means no response could be had (a *TransportError).
//
// Every request is signed with the API Gateway signature v2: by the Client
// itself on the requests it builds when it uses its own transport, or by a
// Signer wrapping the transport of Config.HTTPClient. A Signer is an
// http.RoundTripper that can sign for any HTTP client. Sign computes the
// signature itself.
//
// Running an action is not idempotent, so the client sends a call again
// (up to Config.MaxRetries times, each attempt re-signed and waiting on the
// rate limiter) only when the action certainly did not run:
//
//   - HTTP 429;
//   - HTTP 503 whose body is the gateway's JSON error with errorCode 500;
//   - a failure to connect (dial error, but not an unknown host), before
//     anything was written.
//
// Anything else after the request was written may have run the action and
// is never sent again: a connection that breaks (or a context that ends),
// reported as a TransportError with MayHaveRun set; an answer whose body is
// not JSON, whatever its status (an HTML, plain-text, empty or cut-short
// body from a proxy: Cloud Functions answers JSON), a 5xx whose JSON body is
// not shaped as the API's errors (a proxy's {"message": "..."}), and the
// gateway's 504 errorCode 510 or 500 errorCode 900, returned as a Response
// with Transport and MayHaveRun set. A 5xx whose JSON body is the API's
// error ({"error": {"errorCode": ...}}, or OpenWhisk's error or activation
// record) is Cloud Functions' own answer and is returned as it is. Nor does
// the transport send it again behind the client's back: a request's body
// does not rewind once it was written whole and no answer began, which
// Go's HTTP/2 transport would otherwise do after a stream reset
// (golang/go#47635); a caller's http.Client still follows a redirect.
//
// The delay is RetryDelay doubled per retry, capped at MaxRetryDelay, and
// jittered into [d/2, d); a Retry-After (seconds or HTTP date) longer than
// that delay is waited instead, and one longer than MaxRetryDelay ends the
// retries. When retries run out on a 429 or 503, that response is returned
// with Transport and Refused set, not an error. Every attempt that was sent
// again is kept in Response.Retried (or TransportError.Retried) with when it
// was made, what it was answered and why it was sent again. A context that
// ends during a wait (the retry delay, or the turn under Config.Rate) gives
// a TransportError caused by a *WaitError, with the answer that was not
// sent again in TransportError.Last; nothing is counted for the wait.
//
// LoadCredentials finds the key pair in the environment or in
// ~/.ncloud/configure. The secret key never appears in an error or in the
// printed form of Credentials, Config, Client or Signer.
package client
