package runner

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

func TestDeadlineExpires(t *testing.T) {
	dl := newDeadlines(context.Background())
	defer dl.close()
	before := time.Now()
	ctx := dl.start(20 * time.Millisecond)
	if d, ok := ctx.Deadline(); !ok || d.Before(before.Add(20*time.Millisecond)) || d.After(time.Now().Add(20*time.Millisecond)) {
		t.Errorf("Deadline() = %v, %v; want about 20ms from the start", d, ok)
	}
	if ctx.Err() != nil {
		t.Fatalf("a fresh test context is done: %v", ctx.Err())
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the deadline never ended the context")
	}
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) || !errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		t.Errorf("Err() = %v, Cause = %v; want context.DeadlineExceeded for both", ctx.Err(), context.Cause(ctx))
	}
	dl.finish()

	// The next test gets a live context of its own.
	next := dl.start(time.Hour)
	if next.Err() != nil {
		t.Fatalf("the test after a timed-out one starts done: %v", next.Err())
	}
	dl.finish()
}

// A test that ends in time leaves the generation to the next test, whose
// own deadline counts, not the first one's.
func TestDeadlineReusedAfterATestInTime(t *testing.T) {
	dl := newDeadlines(context.Background())
	defer dl.close()
	first := dl.start(30 * time.Millisecond)
	dl.finish()
	second := dl.start(time.Hour)
	if dl.cur == nil || first.(*deadlineCtx).Context != second.(*deadlineCtx).Context {
		t.Error("the second test did not reuse the generation of the first, which ended in time")
	}
	time.Sleep(80 * time.Millisecond) // past the first test's deadline
	if second.Err() != nil {
		t.Fatalf("the first test's deadline ended the second test: %v", second.Err())
	}
	dl.finish()
}

func TestDeadlineRunCancelled(t *testing.T) {
	run, cancel := context.WithCancel(context.Background())
	dl := newDeadlines(run)
	defer dl.close()
	ctx := dl.start(time.Hour)
	cancel()
	<-ctx.Done()
	if !errors.Is(ctx.Err(), context.Canceled) || !errors.Is(context.Cause(ctx), context.Canceled) {
		t.Errorf("Err() = %v, Cause = %v; want context.Canceled: the run was interrupted", ctx.Err(), context.Cause(ctx))
	}
	dl.finish()
	if next := dl.start(time.Hour); next.Err() == nil {
		t.Error("a test started after the run was cancelled is not done")
	}
	dl.finish()
}

// A context derived from a test's context, as the HTTP transport derives
// one per request, ends with it, and deriving starts no goroutine.
func TestDeadlineDerivedContexts(t *testing.T) {
	dl := newDeadlines(context.Background())
	defer dl.close()
	ctx := dl.start(50 * time.Millisecond)
	base := runtime.NumGoroutine()
	var children []context.Context
	for range 100 {
		c, cancel := context.WithCancelCause(context.WithValue(ctx, struct{}{}, 1))
		defer cancel(nil)
		children = append(children, c)
	}
	if n := runtime.NumGoroutine(); n > base+5 {
		t.Errorf("deriving 100 contexts started %d goroutines; want none (the transport must see the generation's cancelCtx)", n-base)
	}
	for _, c := range children {
		select {
		case <-c.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("a derived context outlived the test's deadline")
		}
		if !errors.Is(context.Cause(c), context.DeadlineExceeded) {
			t.Errorf("derived context's cause %v; want context.DeadlineExceeded", context.Cause(c))
		}
	}
	dl.finish()
}

// A deadline that fires while its test is finishing never reaches the next
// test: the generation is dropped whenever the timer cannot be stopped.
func TestDeadlineFiringAtFinishSparesTheNextTest(t *testing.T) {
	dl := newDeadlines(context.Background())
	defer dl.close()
	for i := range 500 {
		dl.start(time.Duration(i%50) * time.Microsecond)
		if i%3 == 0 {
			runtime.Gosched()
		}
		dl.finish()
		next := dl.start(time.Hour)
		time.Sleep(20 * time.Microsecond) // room for a late timer to run
		if next.Err() != nil {
			t.Fatalf("round %d: the previous test's deadline ended the next test (%v)", i, context.Cause(next))
		}
		dl.finish()
	}
}
