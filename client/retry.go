package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// do sends one request with transport retries, each attempt a new request
// signed afresh (by the client itself or by the Signer of the caller's HTTP
// client).
//
// Sent again (the action certainly did not run), at most Config.MaxRetries
// times: HTTP 429; HTTP 503 whose body is the gateway's JSON error with
// errorCode 500; a failure to connect (dial error) before anything was
// written. Nothing else is sent again: not a connection that broke after the
// request was written, not a 5xx whose body is not JSON (a proxy's page, sent
// after the request reached it, so the action may have run). Every attempt
// that was sent again is recorded in Response.Retried or
// TransportError.Retried.
func (c *Client) do(ctx context.Context, method string, u *url.URL, body []byte) (*Response, error) {
	var start time.Time
	var retried []Try
	for attempt := 1; ; attempt++ {
		if c.limiter != nil {
			if err := c.limiter.Wait(ctx); err != nil {
				return nil, c.transportError(method, u, attempt-1, retried, false, fmt.Errorf("waiting for the rate limit (%g requests a second): %w", c.cfg.Rate, waitError(ctx, err)))
			}
		}
		tryStart := c.now()
		if attempt == 1 {
			start = tryStart
		}
		r, sent, err := c.send(ctx, method, u, body)
		if err != nil {
			if sent || !isDialError(err) || ctx.Err() != nil || attempt > c.cfg.MaxRetries {
				return nil, c.transportError(method, u, attempt, retried, sent, c.sendError(ctx, attempt, sent, err))
			}
			delay := c.backoff(attempt)
			try := Try{Start: tryStart, Duration: c.now().Sub(tryStart), Err: err,
				Why: fmt.Sprintf("could not connect, so the action did not run: sent again after %s", delay.Round(time.Millisecond))}
			retried = append(retried, try)
			if serr := c.sleep(ctx, delay); serr != nil {
				return nil, c.transportError(method, u, attempt, retried, false, fmt.Errorf("%s while waiting to retry after %v: %w", stopped(ctx), err, serr))
			}
			continue
		}
		r.Start, r.Attempts, r.Retried = start, attempt, retried
		r.Duration = c.now().Sub(start)
		delay, what := c.verdict(r, attempt)
		if delay < 0 {
			return r, nil
		}
		retried = append(retried, Try{Start: tryStart, Duration: c.now().Sub(tryStart), Request: r.Request,
			StatusCode: r.StatusCode, Header: r.Header, Body: r.Body, Error: r.Error,
			Why: what + ", so the action did not run: sent again after " + delay.Round(time.Millisecond).String()})
		if err := c.sleep(ctx, delay); err != nil {
			return nil, c.transportError(method, u, attempt, retried, false, fmt.Errorf("%s while waiting to retry after HTTP %d: %w", stopped(ctx), r.StatusCode, err))
		}
	}
}

// send makes one attempt: it signs and sends the request and reads the
// response. sent says whether the request was written (then the action may
// have run when no response came).
func (c *Client) send(ctx context.Context, method string, u *url.URL, body []byte) (*Response, bool, error) {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) }}
	req := newRequest(httptrace.WithClientTrace(ctx, trace), method, u, body)
	var resp *http.Response
	var err error
	if c.transport != nil {
		// The client's own transport, directly: no redirect is followed
		// (see Client.transport), and http.Client's header copy and
		// redirect bookkeeping are spared on every call.
		c.signer.sign(req)
		resp, err = c.transport.RoundTrip(req)
	} else {
		resp, err = c.hc.Do(req)
	}
	if err != nil {
		return nil, wrote.Load(), unwrapURLError(err)
	}
	data, err := readBody(resp, c.cfg.MaxResponseBytes)
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%s while reading the response, so the action may have run: %w", stopped(ctx), ctx.Err())
		} else {
			var tooLarge *ResponseTooLargeError
			if !errors.As(err, &tooLarge) {
				err = fmt.Errorf("the connection broke while reading the response, so the action may have run: %w", err)
			}
		}
		return nil, true, &readError{err}
	}
	sentReq := req
	if resp.Request != nil {
		sentReq = resp.Request // as signed, with the signature headers
	}
	r := &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: data, Request: sentReq, RequestBody: body}
	parseBody(r)
	return r, true, nil
}

// readError is a failure to read a response, already described.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// sendError describes an attempt that got no response.
func (c *Client) sendError(ctx context.Context, attempt int, sent bool, err error) error {
	var re *readError
	switch {
	case errors.As(err, &re):
		return re.err
	case ctx.Err() != nil && sent:
		return fmt.Errorf("%s after the request was sent, so the action may have run: %w", stopped(ctx), ctx.Err())
	case ctx.Err() != nil:
		return fmt.Errorf("%s before the request was sent: %w", stopped(ctx), ctx.Err())
	case sent:
		return fmt.Errorf("no response after the request was sent, so the action may have run; it was not sent again: %w", err)
	case isDialError(err):
		return fmt.Errorf("cannot connect (%s; check the endpoint and the network), so the action did not run: %w", attemptsText(attempt), err)
	}
	return fmt.Errorf("the request could not be sent: %w", err)
}

// verdict decides whether r, the answer to attempt, is sent again: it
// returns the delay before the next attempt and what the answer was, or a
// negative delay when r is final. A final answer that came from the gateway
// or a proxy rather than from Cloud Functions gets Transport (and
// MayHaveRun) set.
func (c *Client) verdict(r *Response, attempt int) (time.Duration, string) {
	what, safe := transportAnswer(r)
	switch {
	case what == "":
		return -1, ""
	case !safe && r.Request != nil && r.Request.Method == http.MethodGet:
		// An activation poll runs nothing; it is not sent again either.
		r.Transport = what + " from the gateway or a proxy; it was not sent again"
		return -1, ""
	case !safe:
		r.Transport = what + " after the request was sent, so the action may have run; it was not sent again"
		r.MayHaveRun = true
		return -1, ""
	case attempt > c.cfg.MaxRetries:
		r.Transport = what + " after " + attemptsText(attempt) + " (retries allowed: " + strconv.Itoa(c.cfg.MaxRetries) + "); the gateway refused the call, so the action did not run"
		return -1, ""
	}
	delay := c.backoff(attempt)
	if ra, ok := retryAfter(r.Header.Get("Retry-After"), c.now()); ok {
		if ra > c.cfg.MaxRetryDelay {
			r.Transport = what + " asking to wait " + ra.String() + " (Retry-After), longer than the " + c.cfg.MaxRetryDelay.String() +
				" specrun waits, after " + attemptsText(attempt) + "; the gateway refused the call, so the action did not run"
			return -1, ""
		}
		delay = max(delay, ra)
	}
	return delay, what
}

// transportAnswer says whether r came from the gateway or a proxy rather
// than from Cloud Functions, and what it was ("" when it did not); safe says
// that the action certainly did not run, so the call may be sent again.
// That is so for HTTP 429 and for the gateway's JSON 503 with errorCode 500.
// A 5xx whose body is not JSON (HTML, plain text, empty) came from a proxy
// after the request was written, and the gateway's 504 errorCode 510
// (Endpoint Timeout) and 500 errorCode 900 (Unexpected Error) came after it
// passed the call on: the action may have run.
func transportAnswer(r *Response) (what string, safe bool) {
	switch {
	case r.StatusCode == http.StatusTooManyRequests:
		return "HTTP 429" + errorText(r), true
	case r.StatusCode == http.StatusServiceUnavailable && r.JSONErr == nil && r.Error != nil && r.Error.Code == "500":
		return "HTTP 503" + errorText(r), true
	case r.StatusCode >= 500 && r.JSONErr != nil:
		return "HTTP " + strconv.Itoa(r.StatusCode) + " with " + bodyKind(r), false
	case r.StatusCode >= 500 && r.Error != nil && (r.Error.Code == "510" || r.Error.Code == "900"):
		// The gateway's Endpoint Timeout and Unexpected Error: it had
		// passed the call on.
		return "HTTP " + strconv.Itoa(r.StatusCode) + errorText(r) + " from the gateway", false
	}
	return "", false
}

// errorText is " (errorCode CODE: MESSAGE)" for an answer with an error
// object, " with a text/html body" for one that is not JSON (its text is
// not quoted: the caller's secrets, which it may hold, are not known
// here), else "".
func errorText(r *Response) string {
	switch {
	case r.Error == nil:
		return ""
	case r.JSONErr != nil:
		return " with " + bodyKind(r)
	}
	return " (" + r.Error.Error() + ")"
}

// bodyKind names the body of an answer that is not JSON: "an empty body",
// "a text/html body".
func bodyKind(r *Response) string {
	if len(bytes.TrimSpace(r.Body)) == 0 {
		return "an empty body"
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		ct = mt
	}
	if ct == "" {
		return "a body that is not JSON"
	}
	return "a " + ct + " body"
}

// transportError is the error of a call that got no response after
// attempts attempts, the earlier ones in retried.
func (c *Client) transportError(method string, u *url.URL, attempts int, retried []Try, mayHaveRun bool, err error) *TransportError {
	return &TransportError{Op: method + " " + u.String(), MayHaveRun: mayHaveRun, Attempts: attempts, Retried: retried, Err: err}
}

// stopped says why ctx is done, for messages.
func stopped(ctx context.Context) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "timed out"
	}
	return "cancelled"
}

func attemptsText(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return strconv.Itoa(n) + " attempts"
}

// waitError turns the limiter's "would exceed context deadline" into the
// context's own error, so errors.Is(err, context.DeadlineExceeded) holds.
func waitError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if _, ok := ctx.Deadline(); ok {
		return fmt.Errorf("%v: %w", err, context.DeadlineExceeded)
	}
	return err
}

// isDialError says whether err is a failure to connect, before any byte of
// the request went out. A host that does not resolve is not retried.
func isDialError(err error) bool {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" {
		return false
	}
	var dns *net.DNSError
	return !errors.As(err, &dns) || !dns.IsNotFound
}

// backoff returns the delay before retry number attempt (1-based): RetryDelay
// doubled per attempt, capped at MaxRetryDelay, then jittered into
// [d/2, d) with Rand.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.RetryDelay
	for i := 1; i < attempt && d < c.cfg.MaxRetryDelay; i++ {
		d *= 2
	}
	d = min(d, c.cfg.MaxRetryDelay)
	half := d / 2
	return half + time.Duration(float64(d-half)*c.rand())
}

// retryAfter parses a Retry-After value: seconds or an HTTP date, relative
// to now. A date in the past means 0.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxDuration/time.Second) {
			return maxDuration, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

const maxDuration = time.Duration(1<<63 - 1)

// sleepCtx waits d, or until ctx is done and then returns its error.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// unwrapURLError drops the *url.Error wrapper, whose text repeats the method
// and URL that TransportError.Op already holds.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
