// Package codeshape holds the test that keeps every function of the
// project's code (outside tests and generated files) at most 60 lines
// long; CI's other shape check, cyclomatic complexity over 15, runs
// gocyclo. No function is allowed over either limit.
package codeshape
