package runner

// pool reuses goroutines for tests. A test's goroutine grows its stack
// through the HTTP client on every invocation; a fresh goroutine per test
// pays for that growth (runtime.newstack/copystack) each time, which was
// about a quarter of the runner's own CPU per test. Workers of a pool
// keep their grown stacks. The number of workers never exceeds the number
// of functions running at once, which the engine's semaphore bounds.
//
// A pool is used by one engine for one Run; close it when every function
// given to spawn has returned.
type pool struct {
	// work hands a function to an idle worker; it is unbuffered, so a send
	// succeeds only when a worker is waiting.
	work chan func()
	quit chan struct{}
}

func newPool() *pool {
	return &pool{work: make(chan func()), quit: make(chan struct{})}
}

// spawn runs f on an idle worker, or on a new one when none is idle.
func (p *pool) spawn(f func()) {
	select {
	case p.work <- f:
	default:
		go p.worker(f)
	}
}

func (p *pool) worker(f func()) {
	for {
		f()
		select {
		case f = <-p.work:
		case <-p.quit:
			return
		}
	}
}

// close makes idle workers exit; each busy one exits when its function
// returns. Call it once.
func (p *pool) close() { close(p.quit) }
