package runner

import (
	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/internal/valuetext"
	"github.com/specrun/specrun/spec"
)

// revealSecrets makes secrets of what the step's captures of --secret
// names select in resp (objects and lists leaf by leaf): from the moment
// the response arrives, before the attempt is recorded, whether or not
// its checks pass and the captures are taken.
func (e *engine) revealSecrets(st *spec.Step, resp *client.Response) {
	if len(e.secretNames) == 0 || resp.JSON == nil {
		return
	}
	for _, c := range st.Captures {
		if e.secretNames[c.Name] {
			for _, v := range c.Path.Select(resp.JSON) {
				e.addSecret(v)
			}
		}
	}
}

// capturesSecret reports whether st captures a --secret name.
func (e *engine) capturesSecret(st *spec.Step) bool {
	for _, c := range st.Captures {
		if e.secretNames[c.Name] {
			return true
		}
	}
	return false
}

// rehide redacts r's attempts before its last one again with the secrets
// known now: the value a capture of a --secret name revealed in the last
// attempt's response may stand in an earlier attempt's record too (a
// retried login whose token came back elsewhere first). Texts cut before
// the secret was known lose what is left of it at the cut
// (redact.Redactor.Cut). An earlier attempt is replaced by a redacted
// copy, never written: the AttemptFinished events of the step share it.
func (e *engine) rehide(r *StepResult) {
	hide := func(s string) string { return e.redact.Cut(s, valuetext.CutMark) }
	for i, a := range r.Attempts[:len(r.Attempts)-1] {
		r.Attempts[i] = hideAttempt(a, hide)
	}
}

// hideAttempt returns a copy of a with every text passed through hide.
func hideAttempt(a *Attempt, hide func(string) string) *Attempt {
	c := *a
	c.Package, c.Action, c.Platform = hide(a.Package), hide(a.Action), hide(a.Platform)
	c.Err, c.Hint = hide(a.Err), hide(a.Hint)
	c.Failures = copyEach(a.Failures, func(f *Failure) *Failure {
		g := *f
		g.Path, g.Expected, g.Actual, g.Node, g.Pointer = hide(f.Path), hide(f.Expected), hide(f.Actual), hide(f.Node), hide(f.Pointer)
		g.Diff, g.Reason, g.Message = hide(f.Diff), hide(f.Reason), hide(f.Message)
		return &g
	})
	c.Tries = copyEach(a.Tries, func(t Try) Try {
		t.Answer, t.Why = hide(t.Answer), hide(t.Why)
		return t
	})
	c.Exchanges = copyEach(a.Exchanges, func(x *Exchange) *Exchange {
		y := *x
		y.Request, y.Response, y.Note = hide(x.Request), hide(x.Response), hide(x.Note)
		return &y
	})
	return &c
}

// copyEach returns the copies that cp makes of list's elements, in order;
// nil for nil.
func copyEach[T any](list []T, cp func(T) T) []T {
	if list == nil {
		return nil
	}
	out := make([]T, len(list))
	for i, v := range list {
		out[i] = cp(v)
	}
	return out
}
