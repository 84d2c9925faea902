// Package emulator serves the NCP Cloud Functions API on the user's machine from a manifest
// of local actions, so specs run without a cloud account and end-to-end tests run offline.
//
// A Manifest (LoadManifest, ParseManifest) lists packages and their actions. An action is
// one of: a builtin (echo returns its parameters, counter counts its invocations), a fixed
// result, a native executable (exec: params JSON as the last argument and on stdin, result
// JSON on the last line of stdout), a Node.js file exporting main(params), or a Python file
// defining main(args). Any action may add a delay, a time limit, bound parameters and the
// platforms it serves. Parsing is strict and reports every problem as FILE:LINE:COL.
//
// New returns a Server, an http.Handler that checks NCP API Gateway signature v2 exactly as
// the gateway does (its own implementation, independent of package client), runs actions
// concurrently, answers 202 with an activation id when an action outlives the request's
// timeout, and keeps a bounded store of finished activations for the activation detail
// endpoint. Responses and errors have the shapes of the real API (see
// docs NCP-API.md §2-3). Close kills running action processes.
//
// Node.js and Python actions run through small shim programs embedded in the binary
// (runtimes/node_shim.js, runtimes/python_shim.py), passed to the interpreter with -e / -c,
// so nothing is written to disk.
package emulator
