package client

import (
	"context"
	"errors"
	"fmt"
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
// Retried (the action certainly did not run), at most Config.MaxRetries
// times: HTTP 429; HTTP 503 whose body is a gateway error with errorCode 500,
// or is not JSON at all (Cloud Functions itself always answers JSON, so a 503
// page in HTML or plain text comes from a proxy or load balancer in front of
// it, which did not pass the request on); a failure to connect (dial error)
// before anything was written. Nothing else is retried, above all not a
// connection that broke after the request was written.
func (c *Client) do(ctx context.Context, method string, u *url.URL, body []byte) (*Response, error) {
	var start time.Time
	for attempt := 1; ; attempt++ {
		if c.limiter != nil {
			if err := c.limiter.Wait(ctx); err != nil {
				return nil, c.transportError(method, u, attempt-1, false, fmt.Errorf("waiting for the rate limit (%g requests a second): %w", c.cfg.Rate, waitError(ctx, err)))
			}
		}
		var wrote atomic.Bool
		trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) }}
		req := newRequest(httptrace.WithClientTrace(ctx, trace), method, u, body)
		if attempt == 1 {
			start = c.now()
		}
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
			err = unwrapURLError(err)
			sent := wrote.Load()
			switch {
			case ctx.Err() != nil:
				if sent {
					err = fmt.Errorf("%s after the request was sent, so the action may have run: %w", stopped(ctx), ctx.Err())
				} else {
					err = fmt.Errorf("%s before the request was sent: %w", stopped(ctx), ctx.Err())
				}
			case sent:
				err = fmt.Errorf("no response after the request was sent, so the action may have run; not retried: %w", err)
			case isDialError(err):
				if attempt <= c.cfg.MaxRetries {
					if serr := c.sleep(ctx, c.backoff(attempt)); serr != nil {
						return nil, c.transportError(method, u, attempt, false, fmt.Errorf("%s while waiting to retry after %v: %w", stopped(ctx), err, serr))
					}
					continue
				}
				err = fmt.Errorf("cannot connect (%s; check the endpoint and the network): %w", attemptsText(attempt), err)
			default:
				err = fmt.Errorf("the request could not be sent: %w", err)
			}
			return nil, c.transportError(method, u, attempt, sent, err)
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
			return nil, c.transportError(method, u, attempt, true, err)
		}
		sentReq := req
		if resp.Request != nil {
			sentReq = resp.Request // as signed, with the signature headers
		}
		r := &Response{
			StatusCode:  resp.StatusCode,
			Header:      resp.Header,
			Body:        data,
			Start:       start,
			Attempts:    attempt,
			Request:     sentReq,
			RequestBody: body,
		}
		parseBody(r)
		r.Duration = c.now().Sub(start)
		if attempt > c.cfg.MaxRetries || !retryable(r) {
			return r, nil
		}
		delay := c.backoff(attempt)
		if ra, ok := retryAfter(r.Header.Get("Retry-After"), c.now()); ok {
			if ra > c.cfg.MaxRetryDelay {
				return r, nil // the server asks for longer than we may wait
			}
			delay = max(delay, ra)
		}
		if err := c.sleep(ctx, delay); err != nil {
			return nil, c.transportError(method, u, attempt, false, fmt.Errorf("%s while waiting to retry after HTTP %d: %w", stopped(ctx), r.StatusCode, err))
		}
	}
}

func (c *Client) transportError(method string, u *url.URL, attempts int, mayHaveRun bool, err error) *TransportError {
	return &TransportError{Op: method + " " + u.String(), MayHaveRun: mayHaveRun, Attempts: attempts, Err: err}
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

// retryable says whether a response certainly did not run the action and
// may be sent again.
func retryable(r *Response) bool {
	switch r.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusServiceUnavailable:
		if r.JSONErr != nil {
			return true
		}
		return r.Error != nil && r.Error.Code == "500"
	}
	return false
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
