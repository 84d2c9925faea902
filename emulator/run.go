package emulator

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

const (
	shutdownMsg   = `{"error":"The emulator shut down while the action was running."}`
	logTimeLayout = "2006-01-02T15:04:05.000000000Z"
)

// run executes an asynchronous activation, stores its record and sends it on done.
func (s *Server) run(act *action, inv *invocation, params []byte, done chan<- *record) {
	defer s.wg.Done()
	rec := &record{id: inv.id, act: act, start: inv.start}
	ctx, cancel := context.WithTimeout(s.ctx, act.a.Timeout)
	defer cancel()
	deadline := time.UnixMilli(inv.start).Add(act.a.Timeout)
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
			rec.result, rec.status, rec.logs = s.runProcess(ctx, act, inv, params, deadline)
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
	s.inflight.Add(-1) // before the record is visible: a client that saw it may invoke again
	s.store.put(rec)
	done <- rec
}

// maxArgParams is the longest parameters OpenWhisk's docker action proxy passes in argv[1]
// (Linux's MAX_ARG_STRLEN less one); longer ones arrive on stdin only.
const maxArgParams = 131071

// runProcess runs a native, Node.js or Python action under ctx and interprets its output as
// OpenWhisk's runtime for its kind does.
func (s *Server) runProcess(ctx context.Context, act *action, inv *invocation, params []byte, deadline time.Time) ([]byte, string, []string) {
	args := act.argv[1:len(act.argv):len(act.argv)]
	if act.a.Kind == KindExec && len(params) <= maxArgParams {
		args = append(args, string(params))
	}
	cmd := exec.CommandContext(ctx, act.argv[0], args...)
	cmd.Dir = s.m.Dir
	cmd.Env = inv.environ(act, deadline)
	cmd.Stdin = bytes.NewReader(params)
	col := &collector{now: s.now}
	setProcessGroup(cmd)
	cmd.WaitDelay = time.Second // for the copy of the parameters to stdin
	output, err := openOutput(cmd, col)
	if err != nil {
		return errorText("The emulator could not start the action: " + err.Error()), statusInternal, nil
	}
	var channel *resultChannel
	if act.a.Kind != KindExec {
		if channel, err = openChannel(cmd); err != nil {
			output.started()
			output.drain(0)
			return errorText("The emulator could not start the runtime: " + err.Error()), statusInternal, nil
		}
	}
	startErr := cmd.Start()
	output.started()
	channel.started()
	if startErr == nil {
		_ = cmd.Wait() // the exit status means nothing to OpenWhisk: the answer does
	}
	settle(cmd, act.a.Kind, output)
	lines := channel.lines()
	if ctx.Err() != nil {
		return nil, "", col.finish(false)
	}
	if startErr != nil {
		col.note("The action could not be started: " + startErr.Error())
		if act.a.Kind != KindExec {
			return errorText("The emulator could not start the runtime: " + startErr.Error()), statusInternal, col.finish(false)
		}
	}
	var a answer
	switch act.a.Kind {
	case KindNode:
		a = nodeAnswer(lines)
	case KindPython:
		var lost bool
		if a, lost = pythonAnswer(lines); lost {
			col.note(msgPythonNoStartLg)
		}
	default:
		var isResult bool
		a, isResult = nativeAnswer(col.lastLine())
		result, status := classify(a)
		return result, status, col.finish(isResult)
	}
	result, status := classify(a)
	return result, status, col.finish(false)
}

// settle ends what an action's process left behind once it exited. OpenWhisk's Node.js and
// Python runtimes answer as soon as the result is written: children still running are no
// part of the activation, so the process group is killed at once. The docker action proxy
// reads a native program's output to its end (communicate()): a child holding stdout gets a
// second before the group is killed.
func settle(cmd *exec.Cmd, kind Kind, output *outputPipes) {
	if kind != KindExec {
		killGroup(cmd)
	}
	output.drain(time.Second)
	killGroup(cmd)
}

// outputPipes carry an action's stdout and stderr to its collector through pipes of the
// emulator's own, so that waiting for the process does not wait for what it left behind
// holding them (os/exec waits for its copies of stdout and stderr to end).
type outputPipes struct {
	r, w   [2]*os.File // stdout, stderr
	lw     [2]*lineWriter
	copied sync.WaitGroup
}

func openOutput(cmd *exec.Cmd, col *collector) (*outputPipes, error) {
	o := &outputPipes{lw: [2]*lineWriter{{col: col, stdout: true}, {col: col}}}
	for i := range o.r {
		r, w, err := os.Pipe()
		if err != nil {
			o.started()
			o.drain(0)
			return nil, err
		}
		o.r[i], o.w[i] = r, w
		o.copied.Add(1)
		go func() {
			defer o.copied.Done()
			_, _ = io.Copy(o.lw[i], r)
		}()
	}
	cmd.Stdout, cmd.Stderr = o.w[0], o.w[1]
	return o, nil
}

// started closes the parent's copies of the write ends, so that the readers see EOF when
// the action's processes are gone.
func (o *outputPipes) started() {
	for _, w := range o.w {
		if w != nil {
			_ = w.Close()
		}
	}
}

// drain waits up to grace for the readers to reach EOF, then closes the read ends under
// whatever still holds the write ends, and emits the last lines without a newline.
func (o *outputPipes) drain(grace time.Duration) {
	done := make(chan struct{})
	go func() {
		o.copied.Wait()
		close(done)
	}()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
	for _, r := range o.r {
		if r != nil {
			_ = r.Close()
		}
	}
	<-done
	for _, lw := range o.lw {
		lw.flush()
	}
}

// resultChannel is the read end of a runtime's file descriptor 3.
type resultChannel struct {
	r, w *os.File
	done chan []channelLine
}

func openChannel(cmd *exec.Cmd) (*resultChannel, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.ExtraFiles = []*os.File{w}
	c := &resultChannel{r: r, w: w, done: make(chan []channelLine, 1)}
	go func() { c.done <- readChannel(r, MaxResultBytes+64) }()
	return c, nil
}

// started closes the parent's copy of the write end, so that the reader sees EOF when the
// action's processes are gone.
func (c *resultChannel) started() {
	if c != nil {
		_ = c.w.Close()
	}
}

// lines returns what the runtime wrote; a process that escaped the group and keeps the
// channel open gets a second, then the channel is closed under it.
func (c *resultChannel) lines() []channelLine {
	if c == nil {
		return nil
	}
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case l := <-c.done:
		_ = c.r.Close()
		return l
	case <-t.C:
		_ = c.r.Close()
		return <-c.done
	}
}

// collector gathers an activation's log lines from stdout and stderr in arrival order,
// remembering the last stdout line: a native action's result candidate.
type collector struct {
	now       func() time.Time
	mu        sync.Mutex
	logs      []string
	size      int
	truncated bool
	last      string // last stdout line, even blank
	lastIdx   int    // its index in logs, -1 when it was dropped
	hasLast   bool
}

// logsTruncated is OpenWhisk's line (Messages.truncateLogs), added once as a stderr line.
var logsTruncated = "Logs were truncated because the total bytes size exceeds the limit of " + strconv.Itoa(MaxLogBytes) + " bytes."

func (c *collector) add(at time.Time, stream, text string) int {
	if c.truncated {
		return -1
	}
	if c.size+len(text) > MaxLogBytes {
		c.truncated = true
		c.logs = append(c.logs, at.UTC().Format(logTimeLayout)+" stderr: "+logsTruncated)
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
	c.last, c.lastIdx, c.hasLast = text, c.add(at, "stdout", text), true
}

// note adds a line of the emulator's own to stderr.
func (c *collector) note(text string) {
	c.line(false, text)
}

// lastLine returns the last stdout line ("" when there was none).
func (c *collector) lastLine() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
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
// goroutine (outputPipes copies stdout and stderr in separate goroutines).
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

// store keeps the last finished activation records, at most max of them and at most
// maxBytes of their results and logs together (the newest is kept whatever its size); the
// oldest are dropped first. It is safe for concurrent use.
type store struct {
	mu       sync.Mutex
	max      int
	maxBytes int64
	bytes    int64
	byID     map[string]*record
	queue    []*record // oldest first, from head
	head     int
}

func newStore(limit int, maxBytes int64) *store {
	return &store{max: limit, maxBytes: maxBytes, byID: make(map[string]*record, min(limit, 1024))}
}

// recordBytes estimates the memory a record holds: its result and logs, plus a fixed share
// for the record, its id and the map entry.
func recordBytes(rec *record) int64 {
	n := 256 + len(rec.id) + len(rec.result)
	for _, l := range rec.logs {
		n += 16 + len(l)
	}
	return int64(n)
}

func (st *store) put(rec *record) {
	st.mu.Lock()
	defer st.mu.Unlock()
	rec.size = recordBytes(rec)
	st.queue = append(st.queue, rec)
	st.bytes += rec.size
	st.byID[rec.id] = rec
	for n := len(st.queue) - st.head; n > 1 && (n > st.max || st.bytes > st.maxBytes); n-- {
		old := st.queue[st.head]
		st.queue[st.head] = nil
		st.head++
		st.bytes -= old.size
		if st.byID[old.id] == old {
			delete(st.byID, old.id)
		}
	}
	if st.head > 1024 && st.head*2 > len(st.queue) {
		n := copy(st.queue, st.queue[st.head:])
		clear(st.queue[n:])
		st.queue, st.head = st.queue[:n], 0
	}
}

func (st *store) get(id string) *record {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.byID[id]
}
