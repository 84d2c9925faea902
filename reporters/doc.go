// Package reporters holds what every end-of-run report shares: WriteFile,
// which replaces a report file atomically so that a reader (a CI job, a
// dashboard) never sees a half-written report, even when specrun is killed
// while writing it.
//
// The formats themselves live in the sub-packages junit, tap, jsonreport and
// console; each turns a *runner.Result into bytes on an io.Writer and knows
// nothing about files.
package reporters
