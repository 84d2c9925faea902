package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/specrun/specrun/internal/syncbuf"
)

// newTestStopper is a stopper whose exit records its code.
func newTestStopper(abort *aborter) (s *stopper, ctx context.Context, exits chan int, stderr *syncbuf.Buffer) {
	ctx, cancel := context.WithCancel(context.Background())
	exits = make(chan int, 2)
	stderr = &syncbuf.Buffer{}
	s = &stopper{cancel: cancel, abort: abort, stderr: stderr, exit: func(c int) { exits <- c }, aborted: make(chan struct{})}
	return s, ctx, exits, stderr
}

func TestStopperCodes(t *testing.T) {
	tests := []struct {
		name   string
		events string // r: the reader goes away, i: an interrupt
		code   int    // the command's own exit code
		want   int
	}{
		{"nothing happened", "", exitOK, exitOK},
		{"reader gone, run passed", "r", exitOK, exitReaderGone},
		{"reader gone, tests failed", "r", exitFailed, exitReaderGone},
		{"reader gone, run interrupted", "r", exitInterrupted, exitReaderGone},
		{"reader gone, bad usage", "r", exitUsage, exitUsage},
		// Ctrl-C on `specrun | head` reaches head too: the pipe breaks
		// after the interrupt, which stays the reason.
		{"interrupt, then reader gone", "ir", exitInterrupted, exitInterrupted},
		{"interrupt", "i", exitInterrupted, exitInterrupted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ctx, exits, stderr := newTestStopper(&aborter{})
			for _, e := range tt.events {
				if e == 'r' {
					s.readerGone()
				} else {
					s.interrupt()
				}
			}
			if len(tt.events) > 0 && ctx.Err() == nil {
				t.Errorf("the run was not cancelled")
			}
			if len(exits) > 0 {
				t.Fatalf("exited at once (%d): %s", <-exits, stderr)
			}
			if got := s.code(tt.code); got != tt.want {
				t.Errorf("code(%d) = %d, want %d", tt.code, got, tt.want)
			}
			if strings.HasPrefix(tt.events, "r") && !strings.Contains(stderr.String(), "standard output was closed by its reader: finishing up") {
				t.Errorf("stderr does not say why the run stops: %q", stderr)
			}
		})
	}
}

// A second interrupt runs the aborter (writes, then stops) and exits 130,
// or 141 when the reader going away was the first; the command's own end,
// racing with it, waits for it.
func TestStopperSecondInterrupt(t *testing.T) {
	for _, first := range []string{"interrupt", "reader gone"} {
		var mu sync.Mutex
		var calls []string
		record := func(s string) func() {
			return func() { mu.Lock(); calls = append(calls, s); mu.Unlock() }
		}
		abort := &aborter{}
		abort.addStop(record("stop"))
		abort.add(record("write"))
		s, _, exits, _ := newTestStopper(abort)
		if first == "interrupt" {
			s.interrupt()
		} else {
			s.readerGone()
		}
		s.interrupt()
		want := map[string]int{"interrupt": exitInterrupted, "reader gone": exitReaderGone}[first]
		if got := <-exits; got != want {
			t.Errorf("%s, then an interrupt: exit %d, want %d", first, got, want)
		}
		if strings.Join(calls, ",") != "write,stop" {
			t.Errorf("%s: the aborter called %v, want the write, then the stop", first, calls)
		}
		s.end(errors.New("the run ended as the process exits"))
		if got := <-exits; got != want {
			t.Errorf("%s: the command's end exits %d, want %d", first, got, want)
		}
	}
}

// A write stuck on a pipe nobody reads must not keep the stops from
// running: each phase is bounded.
func TestAborterStopsAfterAStuckWrite(t *testing.T) {
	stuck := make(chan struct{})
	defer close(stuck)
	stopped := make(chan struct{})
	abort := &aborter{}
	abort.add(func() { <-stuck })
	abort.addStop(func() { close(stopped) })
	abort.run(10 * time.Millisecond)
	select {
	case <-stopped:
	default:
		t.Fatal("the stop did not run after the stuck write")
	}
}

func TestReaderWatch(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	gone := 0
	rw := &readerWatch{w: w, gone: func() { gone++ }}
	if _, err := rw.Write([]byte("first\n")); err != nil {
		t.Fatal(err)
	}
	r.Close()
	for i := 0; i < 3; i++ {
		if _, err := rw.Write([]byte("more\n")); !errors.Is(err, errReaderGone) {
			t.Errorf("write %d after the reader went away: %v, want errReaderGone", i, err)
		}
	}
	if gone != 1 {
		t.Errorf("gone called %d times, want once", gone)
	}
}

func TestReaderWatchWriteLastAndSeal(t *testing.T) {
	var buf bytes.Buffer
	rw := &readerWatch{w: &buf, gone: func() {}}
	_, _ = rw.Write([]byte("line\n"))
	if _, err := rw.writeLast([]byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	_, err := rw.Write([]byte("late line\n"))
	if buf.String() != "line\n{}\n" || !errors.Is(err, errReaderGone) {
		t.Errorf("a line was written after the last write (%v): %q", err, buf.String())
	}

	// seal does not wait for a write blocked on a full pipe.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rw = &readerWatch{w: w, gone: func() {}}
	go func() { _, _ = rw.Write(make([]byte, 1<<22)) }()
	waitUntil(t, "a write blocked on the full pipe", func() bool {
		if rw.mu.TryLock() {
			rw.mu.Unlock()
			return false
		}
		return true
	})
	sealed := make(chan struct{})
	go func() { rw.seal(); close(sealed) }()
	select {
	case <-sealed:
	case <-time.After(30 * time.Second):
		t.Fatal("seal waits for a blocked write")
	}
	r.Close()
	if _, err := rw.Write([]byte("x")); !errors.Is(err, errReaderGone) {
		t.Errorf("a write after seal: %v", err)
	}
}
