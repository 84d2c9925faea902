// Package race says whether the race detector is built in, for the tests
// whose exact allocation counts it changes (it drops some of what
// sync.Pool keeps, and instruments allocations).
package race
