package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
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
// request was written, not an answer that is not Cloud Functions' own (see
// transportAnswer), since the action may have run. Every attempt that was
// sent again is recorded in Response.Retried or TransportError.Retried; an
// answer whose wait before it could be sent again was cut short is
// TransportError.Last.
func (c *Client) do(ctx context.Context, method string, u *url.URL, body []byte) (*Response, error) {
	var start time.Time
	var retried []Try
	var next *resend // the last answer, to send again
	for attempt := 1; ; attempt++ {
		if err := c.wait(ctx, next); err != nil {
			return nil, c.waitFailed(method, u, attempt-1, retried, next, err)
		}
		if next != nil {
			retried = append(retried, next.sent())
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
			next = &resend{try: Try{Start: tryStart, Duration: c.now().Sub(tryStart), Err: err},
				what: "could not connect", after: "a failed connection (" + err.Error() + ")", get: method == http.MethodGet, delay: c.backoff(attempt)}
			continue
		}
		r.Start, r.Attempts, r.Retried = start, attempt, retried
		r.Duration = c.now().Sub(start)
		delay, what := c.verdict(r, attempt)
		if delay < 0 {
			return r, nil
		}
		next = &resend{try: Try{Start: tryStart, Duration: c.now().Sub(tryStart), Request: r.Request,
			StatusCode: r.StatusCode, Header: r.Header, Body: r.Body, Error: r.Error},
			what: what, after: what, get: method == http.MethodGet, delay: delay}
	}
}

// resend is an answer that certainly did not run the action, to be sent
// again after delay: try, without its Why until it is known whether it was
// sent again; what the answer was, for Why; after, for a WaitError.
type resend struct {
	try         Try
	what, after string
	get         bool // a poll: it runs nothing whatever the answer
	delay       time.Duration
}

// sent is the try, sent again.
func (n *resend) sent() Try {
	t := n.try
	if n.get {
		t.Why = n.what + ": the poll was sent again after " + n.delay.Round(time.Millisecond).String()
	} else {
		t.Why = n.what + ", so the action did not run: sent again after " + n.delay.Round(time.Millisecond).String()
	}
	return t
}

// wait waits before an attempt: next's delay (when there is an answer to
// send again), then the request's turn under Config.Rate.
func (c *Client) wait(ctx context.Context, next *resend) *WaitError {
	if next != nil {
		if err := c.sleep(ctx, next.delay); err != nil {
			return &WaitError{Delay: next.delay, After: next.after, Err: err}
		}
	}
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return &WaitError{Rate: c.cfg.Rate, Err: waitError(ctx, err)}
		}
	}
	return nil
}

// waitFailed is the error of a call whose wait before attempt+1 failed:
// nothing more was sent, and next (the last answer, if any) was not sent
// again.
func (c *Client) waitFailed(method string, u *url.URL, attempts int, retried []Try, next *resend, err *WaitError) *TransportError {
	te := c.transportError(method, u, attempts, retried, false, err)
	if next == nil {
		return te
	}
	why := "not sent again: " + err.Error()
	if err.Rate == 0 {
		why = "not sent again: " + stoppedBy(err.Err) + " while waiting " + err.Delay.Round(time.Millisecond).String() + " to send it again"
	}
	last := next.try
	if next.get {
		last.Why = next.what + ": the poll was " + why
	} else {
		last.Why = next.what + ", so the action did not run; " + why
	}
	te.Last = &last
	return te
}

// send makes one attempt: it signs and sends the request and reads the
// response. sent says whether the request was written (then the action may
// have run when no response came).
func (c *Client) send(ctx context.Context, method string, u *url.URL, body []byte) (*Response, bool, error) {
	st := new(sendState)
	req := newRequest(httptrace.WithClientTrace(ctx, st.trace()), method, u, body, st)
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
		return nil, st.wrote.Load(), unwrapURLError(err)
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
		return fmt.Errorf("no response after the request was sent, so the action may have run: %w", err)
	case isDialError(err):
		return fmt.Errorf("cannot connect (%s; check the endpoint and the network), so the action did not run: %w", attemptsText(attempt), err)
	}
	return fmt.Errorf("the request could not be sent: %w", err)
}

// verdict decides whether r, the answer to attempt, is sent again: it
// returns the delay before the next attempt and what the answer was, or a
// negative delay when r is final. A final answer that came from the gateway
// or a proxy rather than from Cloud Functions gets Transport set, and
// either Refused (the gateway refused the call: the action did not run) or,
// for a run-action call, MayHaveRun.
func (c *Client) verdict(r *Response, attempt int) (time.Duration, string) {
	what, safe := transportAnswer(r)
	switch {
	case what == "":
		return -1, ""
	case !safe && r.Request != nil && r.Request.Method == http.MethodGet:
		// An activation poll runs nothing; it is not sent again either.
		r.Transport = what + " from the gateway or a proxy, not from Cloud Functions"
		return -1, ""
	case !safe:
		r.Transport = what + " after the request was sent, so the action may have run"
		r.MayHaveRun = true
		return -1, ""
	case attempt > c.cfg.MaxRetries:
		r.Transport = what + " after " + attemptsText(attempt) + " (retries allowed: " + strconv.Itoa(c.cfg.MaxRetries) + "); the gateway refused the call, so the action did not run"
		r.Refused = true
		return -1, ""
	}
	delay := c.backoff(attempt)
	if ra, ok := retryAfter(r.Header.Get("Retry-After"), c.now()); ok {
		if ra > c.cfg.MaxRetryDelay {
			r.Transport = what + " asking to wait " + ra.String() + " (Retry-After), longer than the " + c.cfg.MaxRetryDelay.String() +
				" specrun waits, after " + attemptsText(attempt) + "; the gateway refused the call, so the action did not run"
			r.Refused = true
			return -1, ""
		}
		delay = max(delay, ra)
	}
	return delay, what
}

// transportAnswer says whether r came from the gateway or a proxy rather
// than from Cloud Functions, and what it was ("" when it did not); safe says
// that the action certainly did not run, so the call may be sent again.
//
// Safe: HTTP 429, and the gateway's 503 with its JSON error errorCode 500
// (Endpoint Error). Not safe, since they came after the request was
// written and the action may have run: any answer whose body is not JSON
// (HTML, plain text, empty, cut short), whatever its status, for Cloud
// Functions answers JSON only; an answer, whatever its status, whose JSON
// body has none of the shapes the API answers with (see apiShaped), such
// as a proxy's {"message": "upstream timed out"} or a 200 that is no
// activation record; and the gateway's 504 errorCode 510
// (Endpoint Timeout) and 500 errorCode 900 (Unexpected Error), which come
// after it passed the call on.
func transportAnswer(r *Response) (what string, safe bool) {
	status := "HTTP " + strconv.Itoa(r.StatusCode)
	switch {
	case r.StatusCode == http.StatusTooManyRequests && r.JSONErr != nil:
		return status + " with " + bodyKind(r), true
	case r.StatusCode == http.StatusTooManyRequests:
		return status + errorText(r), true
	case r.JSONErr != nil:
		return status + " with " + bodyKind(r), false
	case !apiShaped(r.JSON):
		return status + " with a JSON body that is not an answer of Cloud Functions or of its gateway", false
	case r.StatusCode < 500:
		return "", false
	case r.StatusCode == http.StatusServiceUnavailable && isErrorObject(r) && r.Error.Code == "500":
		return status + errorText(r), true
	case r.Error != nil && (r.Error.Code == "510" || r.Error.Code == "900"):
		// The gateway's Endpoint Timeout and Unexpected Error: it had
		// passed the call on.
		return status + errorText(r) + " from the gateway", false
	}
	return "", false
}

// apiShaped says whether v, a decoded JSON body, has a shape the API gives
// a 5xx (NCP-API.md sections 3 and 6): the error object of Cloud Functions
// and of its gateway, {"error": {"errorCode": "80301", ...}} with an
// errorCode that is a string or a number; OpenWhisk's error,
// {"error": "...", "code": "..."}; or an activation record (OpenWhisk
// answers 502 with it for an action's error), with or without the
// "content" wrapper.
func apiShaped(v any) bool {
	obj, _ := v.(map[string]any)
	switch e := obj["error"].(type) {
	case map[string]any:
		switch code := e["errorCode"].(type) {
		case string:
			return code != ""
		case json.Number:
			return true
		}
		return false
	case string:
		_, ok := obj["code"].(string)
		return ok
	}
	if content, ok := obj["content"].(map[string]any); ok {
		obj = content
	}
	id, _ := obj["activationId"].(string)
	return id != ""
}

// isErrorObject says whether r's body holds an "error" object, the shape
// of Cloud Functions' and the gateway's errors.
func isErrorObject(r *Response) bool {
	_, ok := field(r.JSON, "error").(map[string]any)
	return ok && r.Error != nil
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
	switch {
	case ct == "":
		return "a body that is not JSON"
	case strings.Contains(ct, "json"):
		return article(ct) + " " + ct + " body that is not valid JSON"
	}
	return article(ct) + " " + ct + " body"
}

// article is "an" before a word that starts with a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an"
	}
	return "a"
}

// transportError is the error of a call that got no response after
// attempts attempts (requests sent or tried), those sent again in retried.
func (c *Client) transportError(method string, u *url.URL, attempts int, retried []Try, mayHaveRun bool, err error) *TransportError {
	return &TransportError{Op: method + " " + u.String(), MayHaveRun: mayHaveRun, Attempts: attempts, Retried: retried, Err: err}
}

// stopped says why ctx is done, for messages.
func stopped(ctx context.Context) string { return stoppedBy(ctx.Err()) }

// stoppedBy says what err, a context's error, means, for messages.
func stoppedBy(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
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
