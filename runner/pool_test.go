package runner

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPoolRunsEveryFunctionAndReusesIdleWorkers(t *testing.T) {
	tests := []struct {
		name     string
		funcs    int
		parallel int // functions allowed to run at once, as the semaphore allows
		// maxWorkers bounds the goroutines the pool may start: the
		// functions at once, and a wide margin for hand-overs that a busy
		// machine delays (a worker not yet back in its select).
		maxWorkers int64
	}{
		{"one at a time reuses workers", 50, 1, 10},
		{"four at a time reuses workers", 200, 4, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPool()
			slots := make(chan struct{}, tt.parallel)
			var ran, workers atomic.Int64
			var mu sync.Mutex
			seen := map[uint64]bool{}
			var wg sync.WaitGroup
			for range tt.funcs {
				slots <- struct{}{}
				wg.Add(1)
				p.spawn(func() {
					defer wg.Done()
					defer func() { <-slots }()
					id := goid()
					mu.Lock()
					if !seen[id] {
						seen[id] = true
						workers.Add(1)
					}
					mu.Unlock()
					ran.Add(1)
				})
			}
			wg.Wait()
			p.close()
			if got := ran.Load(); got != int64(tt.funcs) {
				t.Errorf("ran %d functions, want %d", got, tt.funcs)
			}
			if got := workers.Load(); got > tt.maxWorkers {
				t.Errorf("the pool used %d goroutines for %d functions %d at a time, want at most %d", got, tt.funcs, tt.parallel, tt.maxWorkers)
			}
		})
	}
}

func TestPoolCloseStopsIdleWorkers(t *testing.T) {
	before := runtime.NumGoroutine()
	p := newPool()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		p.spawn(func() { defer wg.Done(); time.Sleep(time.Millisecond) })
	}
	wg.Wait()
	p.close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines remain after close, want %d", runtime.NumGoroutine(), before)
		}
		time.Sleep(time.Millisecond)
	}
}

// goid returns the current goroutine's id, parsed from its stack header
// ("goroutine 123 [running]:"); tests only.
func goid() uint64 {
	var buf [32]byte
	n := runtime.Stack(buf[:], false)
	var id uint64
	for _, c := range buf[len("goroutine "):n] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	return id
}
