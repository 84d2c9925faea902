package spec

import (
	"slices"

	"github.com/specrun/specrun/assert"
)

// The key tables below are the single source of the format's vocabulary:
// the decoder checks keys against them and the tests check that the JSON
// Schema (spec.schema.json) lists exactly the same keys.
var (
	// suiteKeys are the keys at the top level of a spec file.
	suiteKeys = []string{"suite", "vars", "defaults", "tags", "setup", "teardown", "tests"}
	// invocationKeys say what to invoke.
	invocationKeys = []string{"package", "action", "platform", "timeout", "params"}
	// testKeys are the keys of an item of `tests`.
	testKeys = append([]string{"name", "tags", "skip", "deadline", "steps", "expect", "capture", "retry"}, invocationKeys...)
	// stepKeys are the keys of an item of `steps`, `setup` and `teardown`.
	stepKeys = append([]string{"name"}, append(slices.Clone(invocationKeys), "expect", "capture", "retry")...)
	// defaultsKeys are the keys of `defaults`.
	defaultsKeys = []string{"package", "action", "platform", "timeout", "deadline", "params", "retry"}
	// expectKeys are the keys of `expect`.
	expectKeys = []string{"http_status", "success", "status", "result", "error", "duration", "assert"}
	// retryKeys are the keys of `retry`.
	retryKeys = []string{"attempts", "delay", "backoff", "max_delay", "idempotent"}
	// operatorKeys are the operators of a path assertion (and of
	// `duration`): the assert package's operator table is their source.
	operatorKeys = assert.KeyOperatorNames()
	// assertItemKeys are the keys of an item of `expect.assert`.
	assertItemKeys = append([]string{"path", "message"}, operatorKeys...)
	// platforms are the values of `platform`.
	platforms = []string{"classic", "vpc"}
)
