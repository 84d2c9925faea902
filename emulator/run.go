package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/specrun/specrun/internal/jsontext"
)

const (
	notDictionary = `{"error":"The action did not return a dictionary."}`
	shutdownMsg   = `{"error":"The emulator shut down while the action was running."}`
	logTimeLayout = "2006-01-02T15:04:05.000000000Z"
)

// run executes an asynchronous activation, stores its record and sends it on done.
func (s *Server) run(act *action, id string, start int64, params []byte, done chan<- *record) {
	defer s.wg.Done()
	rec := &record{id: id, act: act, start: start}
	ctx, cancel := context.WithTimeout(s.ctx, act.a.Timeout)
	defer cancel()
	deadline := time.UnixMilli(start).Add(act.a.Timeout)
	if d := act.a.Delay; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	if ctx.Err() == nil {
		if act.argv != nil {
			rec.result, rec.status, rec.logs = s.runProcess(ctx, act, id, params, deadline)
		} else {
			rec.result, rec.status = s.compute(act, params)
		}
	}
	switch {
	case s.ctx.Err() != nil:
		rec.result, rec.status = []byte(shutdownMsg), statusInternal
	case ctx.Err() != nil:
		rec.result, rec.status = act.limitMsg, statusDevError
	}
	rec.end = s.now().UnixMilli()
	s.store.put(rec)
	done <- rec
}

// runProcess runs a native, Node.js or Python action under ctx and interprets its output.
func (s *Server) runProcess(ctx context.Context, act *action, id string, params []byte, deadline time.Time) ([]byte, string, []string) {
	args := act.argv[1:]
	if act.a.Kind == KindExec {
		args = append(args[:len(args):len(args)], string(params))
	}
	cmd := exec.CommandContext(ctx, act.argv[0], args...)
	cmd.Dir = s.m.Dir
	env := act.env[:len(act.env):len(act.env)]
	cmd.Env = append(env, "__OW_ACTIVATION_ID="+id,
		"__OW_DEADLINE="+strconv.FormatInt(deadline.UnixMilli(), 10))
	cmd.Stdin = bytes.NewReader(params)
	col := &collector{now: s.now}
	stdout := &lineWriter{col: col, stdout: true}
	stderr := &lineWriter{col: col}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	setProcessGroup(cmd)
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	killGroup(cmd)
	stdout.flush()
	stderr.flush()
	if ctx.Err() != nil {
		return nil, "", col.finish(false)
	}
	var res []byte
	if col.hasLast {
		last := bytes.TrimSpace([]byte(col.last))
		if len(last) > 0 && last[0] == '{' && json.Valid(last) {
			res = compactObject(last)
		}
	}
	logs := col.finish(res != nil)
	if res == nil {
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			msg := jsontext.AppendString([]byte(`{"error":`), "The action could not be started: "+err.Error())
			return append(msg, '}'), statusDevError, logs
		}
		return []byte(notDictionary), statusDevError, logs
	}
	if hasErrorKey(res) {
		return res, statusAppError, logs
	}
	return res, statusSuccess, logs
}

// collector gathers an activation's log lines from stdout and stderr in arrival order,
// remembering the last non-blank stdout line: it is the result candidate.
type collector struct {
	now       func() time.Time
	mu        sync.Mutex
	logs      []string
	size      int
	truncated bool
	last      string // last non-blank stdout line
	lastIdx   int    // its index in logs, -1 when it was dropped
	hasLast   bool
}

func (c *collector) add(at time.Time, stream, text string) int {
	if c.truncated {
		return -1
	}
	if c.size+len(text) > MaxLogBytes {
		c.truncated = true
		c.logs = append(c.logs, at.UTC().Format(logTimeLayout)+" stderr: "+
			"Logs were truncated because their total size exceeds "+strconv.Itoa(MaxLogBytes)+" bytes.")
		return -1
	}
	c.size += len(text)
	c.logs = append(c.logs, at.UTC().Format(logTimeLayout)+" "+stream+": "+text)
	return len(c.logs) - 1
}

func (c *collector) line(stdout bool, text string) {
	at := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !stdout {
		c.add(at, "stderr", text)
		return
	}
	i := c.add(at, "stdout", text)
	if strings.TrimSpace(text) != "" {
		c.last, c.lastIdx, c.hasLast = text, i, true
	}
}

// finish returns the logs, without the last stdout line when it was the result.
func (c *collector) finish(lastIsResult bool) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hasLast && lastIsResult && c.lastIdx >= 0 {
		c.logs = append(c.logs[:c.lastIdx], c.logs[c.lastIdx+1:]...)
	}
	return c.logs
}

// maxPartialLine bounds a line without a newline kept in memory; longer ones are cut.
const maxPartialLine = 8 << 20

// lineWriter splits a stream into lines for a collector. Each writer is used by one
// goroutine (os/exec copies stdout and stderr in separate goroutines).
type lineWriter struct {
	col    *collector
	stdout bool
	buf    []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.buf = append(w.buf, p...)
			if len(w.buf) > maxPartialLine {
				w.flush()
			}
			break
		}
		w.buf = append(w.buf, p[:i]...)
		w.emit()
		p = p[i+1:]
	}
	return n, nil
}

func (w *lineWriter) emit() {
	line := w.buf
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	w.col.line(w.stdout, string(line))
	w.buf = w.buf[:0]
}

// flush emits a last line without a newline, if any.
func (w *lineWriter) flush() {
	if len(w.buf) > 0 {
		w.emit()
	}
}

// store keeps the last max finished activation records; safe for concurrent use.
type store struct {
	mu   sync.Mutex
	max  int
	byID map[string]*record
	ring []*record
	next int
}

func newStore(limit int) *store {
	return &store{max: limit, byID: make(map[string]*record, min(limit, 1024)), ring: make([]*record, 0, min(limit, 1024))}
}

func (st *store) put(rec *record) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.ring) < st.max {
		st.ring = append(st.ring, rec)
	} else {
		old := st.ring[st.next]
		if st.byID[old.id] == old {
			delete(st.byID, old.id)
		}
		st.ring[st.next] = rec
		st.next = (st.next + 1) % st.max
	}
	st.byID[rec.id] = rec
}

func (st *store) get(id string) *record {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.byID[id]
}
