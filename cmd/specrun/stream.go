package main

import (
	"sync"

	"github.com/specrun/specrun/reporters/jsonl"
	"github.com/specrun/specrun/reporters/tap"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// handlers delivers each event to every handler, in order.
type handlers []runner.Handler

func (hs handlers) Event(e runner.Event) {
	for _, h := range hs {
		h.Event(e)
	}
}

// abortHooks are run by main on a second interrupt, just before it exits,
// so that a streamed output can be completed (a TAP stream gets its plan
// and a bail-out, and still parses).
var abortHooks struct {
	sync.Mutex
	fns []func()
}

// onAbort registers f to run on a second interrupt; the returned function
// unregisters it.
func onAbort(f func()) func() {
	abortHooks.Lock()
	defer abortHooks.Unlock()
	abortHooks.fns = append(abortHooks.fns, f)
	i := len(abortHooks.fns) - 1
	return func() {
		abortHooks.Lock()
		defer abortHooks.Unlock()
		abortHooks.fns[i] = nil
	}
}

// runAbortHooks runs every registered hook.
func runAbortHooks() {
	abortHooks.Lock()
	defer abortHooks.Unlock()
	for _, f := range abortHooks.fns {
		if f != nil {
			f()
		}
	}
}

// streamHandler returns the handler that streams stdout's machine format
// (--format tap, --format jsonl) as the run goes, or nil for formats
// written after the run; done unregisters its abort hook.
func (sys *system) streamHandler(o *runOptions, selected []*spec.Test, info runner.RunInfo) (h runner.Handler, done func(), err error) {
	switch o.format {
	case "tap":
		s, err := tap.NewStream(sys.stdout, tap.StreamOptions{Version: o.tapVersion, PlanFirst: !anyFixtures(selected)})
		if err != nil {
			return nil, nil, err
		}
		return s, onAbort(s.Abort), nil
	case "jsonl":
		s := jsonl.NewStream(sys.stdout, jsonl.Options{Now: sys.now, Info: info})
		return s, onAbort(s.Abort), nil
	}
	return nil, func() {}, nil
}

// anyFixtures reports whether a suite of the selected tests has setup or
// teardown steps (whose failure adds a result, so the count of results is
// not known before the run).
func anyFixtures(selected []*spec.Test) bool {
	for _, t := range selected {
		if t.Suite != nil && len(t.Suite.Setup)+len(t.Suite.Teardown) > 0 {
			return true
		}
	}
	return false
}
