// Package emulator serves the NCP Cloud Functions API on the user's machine from a manifest
// of local actions, so specs run without a cloud account and end-to-end tests run offline.
//
// A Manifest (LoadManifest, ParseManifest) lists packages and their actions. An action is
// one of: a builtin (echo returns its parameters, counter counts its invocations), a fixed
// result, a native executable (exec: params JSON on stdin and, up to 131071 bytes, as the last
// argument; result JSON on the last line of stdout), a Node.js file defining main(params), or
// a Python file defining main(args). Any action may add a delay, a time limit, bound
// parameters, the platforms it serves and, for Node.js and Python, another entry point. The
// manifest may limit the activations in flight. Parsing is strict and reports every problem
// as FILE:LINE:COL.
//
// Actions run as OpenWhisk's runtimes run them and their outcomes are classified as
// OpenWhisk's invoker does, with its messages (docs/openwhisk-contract.md): Node.js and
// Python results travel on file descriptor 3, apart from the logs; an application error's
// result keeps only its error key; results and logs are limited to 1 MB.
//
// New returns a Server, an http.Handler that checks NCP API Gateway signature v2 exactly as
// the gateway does (its own implementation, independent of package client), runs actions
// concurrently, answers 202 with an activation id when an action outlives the request's
// timeout, and keeps a store of finished activations, bounded in count and bytes, for the
// activation detail endpoint. Every answer carries an X-Ncp-Trace-Id request id. Responses and errors have the shapes of the real API (see
// docs NCP-API.md §2-3). Close kills running action processes.
//
// Node.js and Python actions run through small shim programs embedded in the binary
// (runtimes/node_shim.js, runtimes/python_shim.py), passed to the interpreter with -e / -c,
// so nothing is written to disk.
package emulator
