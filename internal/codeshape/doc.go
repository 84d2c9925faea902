// Package codeshape holds the test that keeps every function of the
// project's code (outside tests and generated files) at most 60 lines
// long; CI's other shape check, cyclomatic complexity over 15, runs
// gocyclo. Functions that exceeded a limit when the checks came are
// named in .ci/shape-allow.txt, a list that may only shrink.
package codeshape
