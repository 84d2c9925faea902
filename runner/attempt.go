package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/specrun/specrun/assert"
	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/internal/valuetext"
	"github.com/specrun/specrun/internal/words"
	"github.com/specrun/specrun/spec"
)

// maxValueText bounds expected and actual values in failure messages; the
// data itself is never truncated.
const maxValueText = 2048

// maxBodyText bounds a request or response body kept in an Exchange.
const maxBodyText = 64 << 10

// attempt invokes the step once, polls if the action outlived its wait,
// checks the expectations and takes the captures.
func (e *engine) attempt(ctx context.Context, deadline time.Duration, st *spec.Step, vars map[string]any, start time.Time) (*Attempt, map[string]any) {
	a := &Attempt{Start: start}
	defer func() { a.Duration = e.opts.Now().Sub(a.Start) }()

	inv, err := e.invocation(st, vars, a)
	if err != nil {
		e.setError(a, "resolving the step's variables: "+err.Error(), "check the captures this step uses")
		return a, nil
	}
	var log callLog
	resp, err := e.inv.Invoke(ctx, inv)
	log.first = call{resp, err}
	if err == nil && resp.Pending && resp.Transport == "" {
		a.HTTPStatus, a.ActivationID = resp.StatusCode, resp.ActivationID
		// The action was started: whatever goes wrong while polling, it
		// may have run, and the attempt must not be made again.
		defer func() { a.MayHaveRun = a.MayHaveRun || a.Status == Error || a.Status == Interrupted }()
		resp, err = e.poll(ctx, inv, resp.ActivationID, a, &log)
		if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			e.setError(a, fmt.Sprintf("the action outlived its wait (timeout %s) and had not finished when the deadline of %s passed (%s of activation %s)",
				st.Timeout, deadline, words.Plural(a.Polls, "poll"), a.ActivationID),
				"raise the test's `deadline`, or find out in the NCP console why the action is slow")
			a.MayHaveRun = true
			e.record(a, &log, inv.Body, true)
			return a, nil
		}
	}
	if err != nil {
		e.transportError(ctx, deadline, a, err, idempotent(st))
		e.record(a, &log, inv.Body, true)
		return a, nil
	}
	a.HTTPStatus = resp.StatusCode
	if resp.ActivationID != "" {
		a.ActivationID = resp.ActivationID
	}
	// Before anything of the attempt is written down: what a capture of a
	// --secret name selects is a secret from now on, whether or not the
	// checks pass.
	e.revealSecrets(st, resp)
	caps := e.check(a, st, resp, vars)
	e.record(a, &log, inv.Body, a.Status != Pass || e.opts.Verbose)
	return a, caps
}

// call is one call of an attempt: its response, or the error when none
// came.
type call struct {
	resp *client.Response
	err  error
}

// callLog holds the calls of an attempt in order: the run-action call, then
// the polls (nil unless the action outlived its wait).
type callLog struct {
	first call
	polls []call
}

func (l *callLog) len() int { return 1 + len(l.polls) }

func (l *callLog) at(i int) call {
	if i == 0 {
		return l.first
	}
	return l.polls[i-1]
}

// record fills the attempt's Tries and, when keep, its Exchanges, from the
// calls it made. body is the run-action call's body.
func (e *engine) record(a *Attempt, log *callLog, body []byte, keep bool) {
	plain := true
	for i := range log.len() {
		c := log.at(i)
		plain = plain && c.err == nil && len(c.resp.Retried) == 0 && c.resp.Transport == ""
	}
	if !plain {
		for i := range log.len() {
			var start time.Time // a poll's start is not known without an answer
			if i == 0 {
				start = a.Start
			}
			a.Tries = append(a.Tries, e.tries(log.at(i), start)...)
		}
	}
	if !keep {
		return
	}
	for i := range log.len() {
		xs := e.callExchanges(log.at(i), body)
		for _, x := range xs {
			x.Poll = i > 0
		}
		a.Exchanges = append(a.Exchanges, xs...)
	}
}

// tries lists the transport attempts of one call; start is when the
// attempt began, the time of a first try that got no answer.
func (e *engine) tries(c call, start time.Time) []Try {
	var retried []client.Try
	var last *Try // nil when nothing was sent after the tries sent again
	var te *client.TransportError
	switch {
	case c.resp != nil:
		retried = c.resp.Retried
		last = &Try{Method: method(c.resp.Request), Start: c.resp.Start, HTTPStatus: c.resp.StatusCode,
			Answer: e.answerText(c.resp.StatusCode, c.resp.Error), Why: e.redact.String(c.resp.Transport)}
	case errors.As(c.err, &te):
		retried = te.Retried
		last = e.lastTry(te, start)
	default:
		return nil
	}
	if n := len(retried); n > 0 && last != nil && (te == nil || te.Last == nil) {
		last.Start = retried[n-1].Start.Add(retried[n-1].Duration)
	}
	out := make([]Try, 0, len(retried)+1)
	m := opMethod(te)
	if c.resp != nil {
		m = last.Method
	}
	for _, t := range retried {
		out = append(out, e.try(m, t, true))
	}
	if last == nil {
		return out
	}
	return append(out, *last)
}

// lastTry is the last try of a call that got no answer it could use: the
// last answer when the wait to send it again was cut short, nothing when
// nothing was sent after the tries sent again (the wait for the rate limit
// failed), else the request that got no answer.
func (e *engine) lastTry(te *client.TransportError, start time.Time) *Try {
	switch {
	case te.Last != nil:
		t := e.try(opMethod(te), *te.Last, false)
		return &t
	case te.Attempts == len(te.Retried):
		return nil
	}
	t := &Try{Method: opMethod(te), Start: start, Answer: e.redact.String(te.Err.Error())}
	if te.MayHaveRun {
		t.Why = "the request was sent, so the action may have run"
	}
	return t
}

// try is the record of one transport try of the client.
func (e *engine) try(method string, t client.Try, resent bool) Try {
	tr := Try{Method: method, Start: t.Start, HTTPStatus: t.StatusCode, Resent: resent, Why: e.redact.String(t.Why)}
	if t.Err != nil {
		tr.Answer = e.redact.String(t.Err.Error())
	} else {
		tr.Answer = e.answerText(t.StatusCode, t.Error)
	}
	return tr
}

// opMethod is the method of te's call.
func opMethod(te *client.TransportError) string {
	if te == nil {
		return ""
	}
	m, _, _ := strings.Cut(te.Op, " ")
	return m
}

// method is req's method, or "" when there is no request.
func method(req *http.Request) string {
	if req == nil {
		return ""
	}
	return req.Method
}

// maxAnswerText bounds a try's Answer: the whole text of a proxy's error
// page would drown the report.
const maxAnswerText = 512

// answerText is "HTTP STATUS" and what the error body said (the whole text
// of a body that is not JSON), redacted, then cut.
func (e *engine) answerText(status int, apiErr *client.APIError) string {
	s := "HTTP " + strconv.Itoa(status)
	if apiErr != nil {
		s += " " + apiErr.Error()
	}
	return e.clip(s, maxAnswerText)
}

// callExchanges renders the exchanges of one call: each transport try, then
// the final answer (or the request alone when none came).
func (e *engine) callExchanges(c call, body []byte) []*Exchange {
	var out []*Exchange
	if c.resp != nil {
		for _, t := range c.resp.Retried {
			if t.Request == nil {
				continue
			}
			x := e.exchange(t.Dump(c.resp.RequestBody, maxBodyText, e.redact.String))
			x.Start, x.Note = t.Start, e.redact.String(t.Why)
			out = append(out, x)
		}
		x := e.exchange(c.resp.Dump(maxBodyText, e.redact.String))
		x.Start, x.Note = c.resp.Start, e.redact.String(c.resp.Transport)
		if n := len(c.resp.Retried); n > 0 {
			x.Start = c.resp.Retried[n-1].Start.Add(c.resp.Retried[n-1].Duration)
		}
		return append(out, x)
	}
	var te *client.TransportError
	if !errors.As(c.err, &te) {
		return nil
	}
	reqBody := ""
	if strings.HasPrefix(te.Op, "POST ") {
		reqBody = e.clip(string(body), maxBodyText)
	}
	return append(out, &Exchange{Request: e.redact.String(te.Op + "\n\n" + reqBody), Note: e.redact.String(te.Err.Error())})
}

func (e *engine) invocation(st *spec.Step, vars map[string]any, a *Attempt) (client.Invocation, error) {
	inv := client.Invocation{Timeout: st.Timeout, TimeoutSet: st.TimeoutSet}
	var err error
	hide := e.redact.String
	if inv.Package, err = resolveString(st.Package, vars, st.Pos, "package", hide); err != nil {
		return inv, err
	}
	if inv.Action, err = resolveString(st.Action, vars, st.Pos, "action", hide); err != nil {
		return inv, err
	}
	if inv.Platform, err = resolveString(st.Platform, vars, st.Pos, "platform", hide); err != nil {
		return inv, err
	}
	if inv.Platform == "" {
		inv.Platform = e.opts.Platform
	}
	// The attempt names what was invoked, redacted: a secret may be part
	// of a name.
	a.Package = e.redact.String(inv.Package)
	a.Action = e.redact.String(inv.Action)
	a.Platform = e.redact.String(inv.Platform)
	inv.Body, err = st.Body(vars)
	return inv, err
}

// resolveString resolves a name of the step at pos that must be a string;
// the error quotes a value that is not, redacted with hide, then cut.
func resolveString(t *spec.Template, vars map[string]any, pos spec.Pos, what string, hide func(string) string) (string, error) {
	if t == nil {
		return "", nil
	}
	v, err := t.Resolve(vars)
	if err != nil {
		return "", err
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case nil:
		return "", nil
	}
	return "", &spec.Error{Pos: pos, Msg: fmt.Sprintf("%s must be a string, got %s", what, assert.Format(v, 80, hide))}
}

// poll fetches the activation detail until the action has finished (an
// answer that is not Pending) or ctx ends.
func (e *engine) poll(ctx context.Context, inv client.Invocation, id string, a *Attempt, log *callLog) (*client.Response, error) {
	if id == "" {
		return nil, errors.New("the action outlived its wait but the response held no activationId to poll")
	}
	delay := e.opts.PollDelay
	for {
		if !sleep(ctx, e.jitter(delay)) {
			return nil, ctx.Err()
		}
		a.Polls++
		r, err := e.inv.Activation(ctx, inv.Package, inv.Action, inv.Platform, id)
		if err != nil && ctx.Err() != nil {
			// The test's deadline (or an interrupt) cut this fetch short,
			// not the network: the same outcome as when it ends the wait
			// before a fetch, and no answer to show.
			return nil, ctx.Err()
		}
		log.polls = append(log.polls, call{r, err})
		if err != nil {
			return nil, err
		}
		if !r.Pending {
			return r, nil
		}
		delay = min(delay*3/2, e.opts.MaxPollDelay)
	}
}

func (e *engine) setError(a *Attempt, msg, hint string) {
	a.Status = Error
	a.Err = e.redact.String(msg)
	a.Hint = e.redact.String(hint)
}

// transportError settles an attempt whose call got no answer it could
// use. idem says that the step's retry calls the action idempotent.
func (e *engine) transportError(ctx context.Context, deadline time.Duration, a *Attempt, err error, idem bool) {
	var te *client.TransportError
	var tooLarge *client.ResponseTooLargeError
	var wait *client.WaitError
	a.MayHaveRun = errors.As(err, &te) && te.MayHaveRun
	switch {
	case te != nil && errors.As(err, &wait) && !errors.Is(err, context.Canceled):
		e.waitCutShort(a, deadline, te, wait)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		e.setError(a, "deadline of "+deadline.String()+" exceeded while waiting for the API",
			"raise the test's `deadline`, or the step's `timeout` if the action is slow")
	case ctx.Err() != nil:
		e.setError(a, ReasonInterrupted, "")
		a.Status = Interrupted
		if a.MayHaveRun {
			a.Err = ReasonMayHaveRun
		}
	case errors.As(err, &tooLarge):
		e.setError(a, tooLargeText(tooLarge, idem),
			"raise the cap with --max-response-mb, or make the action return less")
	case a.MayHaveRun:
		e.setError(a, err.Error()+notSentAgain(idem), mayHaveRunHint(idem))
	default:
		e.setError(a, err.Error(), "check --endpoint, the network and any proxy (HTTPS_PROXY)")
	}
}

// waitCutShort settles an attempt whose call the test's deadline ended
// while the client waited before sending a request: for its turn under
// --rate, or to send again a call the gateway refused or that could not
// connect. Nothing was sent during the wait.
func (e *engine) waitCutShort(a *Attempt, deadline time.Duration, te *client.TransportError, wait *client.WaitError) {
	if wait.Rate > 0 {
		e.setError(a, fmt.Sprintf("the next request could not be sent before the deadline of %s: at --rate %g (requests a second, across all tests) its turn came too late", deadline, wait.Rate),
			fmt.Sprintf("raise --rate (%g lets one request go every %s), or lower --parallel so that fewer tests share it", wait.Rate, rateInterval(wait.Rate)))
		return
	}
	e.setError(a, "deadline of "+deadline.String()+" reached while waiting to send the call again after "+wait.After+"; it did not reach the action, so the action did not run",
		"raise the test's `deadline`")
	switch {
	case te.Last != nil && te.Last.StatusCode == http.StatusTooManyRequests:
		a.Hint = "the API is throttling the calls: lower --rate or --parallel, or raise the test's `deadline`"
	case te.Last != nil && te.Last.StatusCode == 0:
		a.Hint = "check --endpoint, the network and any proxy (HTTPS_PROXY), or raise the test's `deadline`"
	}
}

// rateInterval is the time between two requests at rate requests a second.
func rateInterval(rate float64) string {
	secs := 1 / rate
	if secs >= float64(math.MaxInt64/int64(time.Second)) {
		return fmt.Sprintf("%g s", secs)
	}
	return time.Duration(secs * float64(time.Second)).Round(time.Millisecond).String()
}

// notSentAgain is what an error that may have run the action says about
// sending it again: nothing when the step's retry calls the action
// idempotent (it is attempted again while attempts remain).
func notSentAgain(idem bool) string {
	if idem {
		return ""
	}
	return "; it was not sent again"
}

// mayHaveRunHint is the hint of an attempt that may have run the action.
func mayHaveRunHint(idem bool) string {
	if idem {
		return "the step's retry says that the action is idempotent, so an attempt that may have run it is made again while attempts remain; check the network and any proxy between specrun and --endpoint"
	}
	return "the action may have run, so specrun did not send it again; if running it twice is safe, set `retry: {idempotent: true}` on the step to retry it"
}

// idempotent says whether st's retry calls its action idempotent.
func idempotent(st *spec.Step) bool { return st.Retry != nil && st.Retry.Idempotent }

// gatewayAnswer describes an answer that came from the gateway or a proxy
// rather than from Cloud Functions (429s that ran out, a proxy's answer).
func (e *engine) gatewayAnswer(a *Attempt, resp *client.Response, idem bool) {
	a.MayHaveRun = resp.MayHaveRun
	msg := resp.Transport
	if resp.MayHaveRun {
		msg += notSentAgain(idem)
	}
	if !apiErrorBody(resp) && len(bytes.TrimSpace(resp.Body)) > 0 {
		msg += ": " + e.snippet(resp.Body)
	}
	switch {
	case resp.MayHaveRun:
		e.setError(a, msg, "a proxy or load balancer answered instead of Cloud Functions; "+mayHaveRunHint(idem))
	case resp.Refused && resp.StatusCode == http.StatusTooManyRequests:
		e.setError(a, msg, "the API is throttling the calls: lower --rate or --parallel, or raise --max-retries")
	case resp.Refused:
		e.setError(a, msg, "the gateway could not reach Cloud Functions; try again later, or raise --max-retries")
	default:
		// A poll's answer: polls are never sent again, and the action
		// was started.
		e.setError(a, msg, "a proxy or load balancer answered the poll of the started action instead of Cloud Functions, and a poll is not sent again; "+mayHaveRunHint(idem))
	}
	a.HTTPStatus = resp.StatusCode
}

// apiErrorBody says whether resp's body is JSON with an error object that
// has an errorCode, which the client's Transport text already names.
func apiErrorBody(resp *client.Response) bool {
	return resp.JSONErr == nil && resp.Error != nil && resp.Error.Code != ""
}

// notTheAction settles an attempt whose answer did not come from the
// action, unless the step expects that very status: a 401 from the gateway,
// or an answer of the transport (429s that ran out, a proxy's answer). A
// 2xx whose body is not JSON, or is JSON of none of the API's shapes, is
// never Cloud Functions' answer, whatever status the step expects. It
// reports whether it did.
func (e *engine) notTheAction(a *Attempt, exp *spec.Expect, resp *client.Response, idem bool) bool {
	ok2xx := resp.StatusCode >= 200 && resp.StatusCode <= 299
	switch {
	case resp.StatusCode == http.StatusUnauthorized && exp.HTTPStatus != http.StatusUnauthorized:
		e.authError(a, resp)
	case resp.Transport != "" && (exp.HTTPStatus != resp.StatusCode || ok2xx):
		// A 2xx that is not Cloud Functions' answer (not JSON, or no
		// activation record) is never the action's, whatever is expected;
		// another status of a gateway or a proxy may be expected as such.
		e.gatewayAnswer(a, resp, idem)
	default:
		return false
	}
	return true
}

// tooLargeText says that a response was over the cap, and what that means
// for the action: the API answered, so the call was not sent again (unless
// the step's retry calls the action idempotent).
func tooLargeText(e *client.ResponseTooLargeError, idem bool) string {
	limit := fmt.Sprintf("%d bytes", e.Limit)
	if e.Limit%(1<<20) == 0 {
		limit = fmt.Sprintf("%d MB", e.Limit>>20)
	}
	what := "the request reached the API"
	if e.StatusCode/100 == 2 || e.StatusCode == http.StatusBadGateway {
		what = "the action ran"
	}
	again := " (and the call was not sent again)"
	if idem {
		again = ""
	}
	return fmt.Sprintf("the HTTP %d response body is over the %s cap on response bodies: %s, but its response was not read%s", e.StatusCode, limit, what, again)
}

// check evaluates the step's expectations and, when they hold, its captures.
func (e *engine) check(a *Attempt, st *spec.Step, resp *client.Response, vars map[string]any) map[string]any {
	exp := &st.Expect
	if e.notTheAction(a, exp, resp, idempotent(st)) || !e.checkStatus(a, exp, resp) {
		return nil
	}
	if len(exp.Checks) > 0 || len(st.Captures) > 0 {
		if resp.JSONErr != nil || resp.JSON == nil && len(resp.Body) == 0 {
			// Answered after the request was written, and not by Cloud
			// Functions, which answers JSON: the action may have run.
			e.setError(a, "the response is not JSON ("+describeJSONErr(resp)+"): "+e.snippet(resp.Body)+notSentAgain(idempotent(st)),
				"the API or a proxy answered with something else (see the response with --verbose); "+mayHaveRunHint(idempotent(st)))
			a.MayHaveRun = true
			return nil
		}
	}
	a.Status = Pass
	if !e.checkAssertions(a, exp, resp, vars) || a.Status != Pass || len(st.Captures) == 0 {
		return nil
	}
	return e.capture(a, st, resp)
}

// checkStatus checks the HTTP status; on a mismatch it records the
// failure and returns false.
func (e *engine) checkStatus(a *Attempt, exp *spec.Expect, resp *client.Response) bool {
	if exp.HTTPStatus == resp.StatusCode || exp.HTTPStatus == 0 && (resp.StatusCode < 200 || resp.StatusCode > 299) {
		return true
	}
	want := strconv.Itoa(exp.HTTPStatus)
	if exp.HTTPStatus == 0 {
		want = "a status outside 200-299"
	}
	a.Status = Fail
	a.Failures = append(a.Failures, &Failure{
		Pos: exp.HTTPStatusPos, Key: "http_status", Op: "equals",
		Expected: want, Actual: strconv.Itoa(resp.StatusCode),
		Reason: e.reason(resp),
	})
	return false
}

// checkAssertions evaluates the checks, recording each failure; it returns
// false after an error (an expected value that could not be resolved).
func (e *engine) checkAssertions(a *Attempt, exp *spec.Expect, resp *client.Response, vars map[string]any) bool {
	for _, c := range exp.Checks {
		as, err := c.Assertion(vars, e.redact.String)
		if err != nil {
			// err is a *spec.Error: it starts with the check's position.
			e.setError(a, err.Error(), "the expected value comes from a capture; check what the earlier step captured (see it with --verbose)")
			return false
		}
		for _, f := range as.Check(resp.JSON, e.redact.String) {
			a.Status = Fail
			fl := e.failure(c, f)
			if c.Key == "success" || c.Key == "status" {
				if why := resp.Outcome(); why != "" {
					fl.Reason = e.clip(why, maxValueText)
				}
			}
			a.Failures = append(a.Failures, fl)
		}
	}
	return true
}

// capture takes the step's captures from the response; nil when one of
// them selected nothing (a failure of the attempt).
func (e *engine) capture(a *Attempt, st *spec.Step, resp *client.Response) map[string]any {
	caps := make(map[string]any, len(st.Captures))
	for _, c := range st.Captures {
		nodes := c.Path.Select(resp.JSON)
		switch len(nodes) {
		case 0:
			a.Status = Fail
			a.Failures = append(a.Failures, &Failure{
				Pos: c.Pos, Key: "capture", Path: c.Path.String(), Op: "capture",
				Expected: c.Name, Reason: "the path selected nothing, so " + c.Name + " has no value",
			})
		case 1:
			caps[c.Name] = nodes[0]
		default:
			caps[c.Name] = nodes
		}
	}
	if a.Status != Pass {
		return nil
	}
	return caps
}

func describeJSONErr(resp *client.Response) string {
	if resp.JSONErr != nil {
		return resp.JSONErr.Error()
	}
	return "empty body"
}

// reason is resp.Reason() redacted, then cut; for a body that is not JSON,
// the start of the body itself, on one line.
func (e *engine) reason(resp *client.Response) string {
	if resp.Error == nil {
		return ""
	}
	if resp.JSONErr != nil {
		return e.snippet(resp.Body)
	}
	return e.clip(resp.Reason(), maxValueText)
}

// authError describes a 401 from the gateway: which key was used (never the
// secret), and what may be wrong (see authHint).
func (e *engine) authError(a *Attempt, resp *client.Response) {
	msg := "authentication failed (HTTP 401"
	if r := e.reason(resp); r != "" {
		msg += ", " + r
	}
	msg += ") with access key " + client.ShortKey(e.opts.AccessKey)
	if e.opts.CredentialSource != "" {
		msg += " from " + e.opts.CredentialSource
	}
	e.setError(a, msg, e.authHint(resp))
}

// authHint names both causes of a 401 Authentication Failed, wrong keys and
// a clock 5 minutes or more off, putting first the one the evidence points
// at: what the gateway's details blame, else how far this machine's clock
// is from the response's Date header.
func (e *engine) authHint(resp *client.Response) string {
	keys := "wrong keys (the access key unknown or disabled, or the secret key not its pair: check NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY, or ~/.ncloud/configure, for a stale value, a stray space or a comment on the key's line)"
	clock := "a clock 5 minutes or more off the gateway's (compare `date -u` with the real UTC time; sync it with NTP)"
	first, second, why := keys, clock, ""
	switch skew, dated := resp.ClockSkew(e.opts.Now()); {
	case resp.AuthBlame() == client.BlameKeys:
		why = "the gateway's details name the signature or the key"
	case resp.AuthBlame() == client.BlameClock:
		first, second, why = clock, keys, "the gateway's details name the timestamp"
	case dated && skew >= client.MaxClockSkew:
		first, second, why = clock, keys, fmt.Sprintf("this machine's clock is %s off the Date the gateway answered with", skew)
	case dated:
		why = fmt.Sprintf("this machine's clock is less than %s off the Date the gateway answered with", skew+time.Second)
	default:
		return "either " + keys + ", or " + clock + ": keys that fail from every machine are wrong, a clock fails on one machine only"
	}
	return "most likely " + first + ", as " + why + "; the other cause of a 401 is " + second
}

func (e *engine) failure(c *spec.Check, f assert.Failure) *Failure {
	r := e.redact
	return &Failure{
		Pos:      c.Pos,
		Key:      c.Key,
		Path:     f.Path,
		Op:       f.Op,
		Expected: assert.Format(f.Expected, maxValueText, r.String),
		Actual:   assert.Format(f.Actual, maxValueText, r.String),
		Node:     r.String(f.Node),
		Pointer:  r.String(f.Pointer),
		Diff:     r.String(f.Diff),
		Reason:   r.String(f.Reason),
		Message:  r.String(c.Message),
	}
}

// exchange is a call's request and response text, as the client's Dump
// renders them with this run's secrets redacted.
func (e *engine) exchange(request, response string) *Exchange {
	return &Exchange{Request: request, Response: response}
}

// clip redacts s, then cuts it to n bytes: cut first, a secret would keep
// a visible prefix that no longer matches it.
func (e *engine) clip(s string, n int) string {
	return valuetext.Cut(s, n, e.redact.String)
}

// snippet is the start of body on one line, redacted.
func (e *engine) snippet(body []byte) string {
	// Redacted before its white space is folded: a secret may hold some.
	s := strings.Join(strings.Fields(e.redact.String(string(body))), " ")
	if s == "" {
		return "(empty body)"
	}
	return valuetext.Cut(s, 200, nil) // redacted above, before the folding
}

// accessKeyAlias makes the redactor shorten the access key wherever it
// appears (only a key long enough to have a short form).
func accessKeyAlias(k string) []string {
	if len(k) <= 4 {
		return nil
	}
	return []string{k, client.ShortKey(k)}
}

// addSecret redacts v from now on: a captured value of a --secret variable
// (a string, or the text of a number; objects and lists leaf by leaf).
func (e *engine) addSecret(v any) {
	var leaves []string
	collectLeaves(v, &leaves)
	if len(leaves) > 0 {
		e.redact.Add(leaves...)
	}
}

// collectLeaves appends v's leaves: its strings and numbers.
func collectLeaves(v any, out *[]string) {
	switch v := v.(type) {
	case string:
		if v != "" {
			*out = append(*out, v)
		}
	case json.Number:
		*out = append(*out, v.String())
	case []any:
		for _, x := range v {
			collectLeaves(x, out)
		}
	case map[string]any:
		for _, x := range v {
			collectLeaves(x, out)
		}
	}
}
