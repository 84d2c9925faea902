// Package spec loads specrun's spec files: YAML suites of declarative tests
// of Cloud Functions actions, decoded strictly into read-only Project, Suite,
// Test, Step and Check values that keep the source position of everything.
//
// Load does all the work that can be done before anything runs: it walks
// the paths, decodes every file through yaml.Node (unknown keys, wrong types
// and bad values are errors with FILE:LINE:COL and, where one is close, a
// "did you mean" hint), applies `defaults`, substitutes every variable known
// at load time (--var, --var-file, suite vars, ${env.NAME}), and compiles
// every JSONPath, regular expression and JSON Schema. All problems of all
// files come back at once as *Error values joined with errors.Join.
//
// A file goes through two passes: the first (raw.go) from YAML nodes to
// raw structs that keep each key and value as written, with one field
// checker for every kind of mapping; the resolve pass (resolve.go,
// vars.go, expect.go) from raw structs to the loaded values.
//
// What is left for run time is the values of captures. A ${NAME} that a
// step captures stays in a precompiled Template; Template.Resolve,
// Step.Body and Check.Assertion substitute it from the run's variables
// without parsing anything again, and return load-time results without
// allocating when nothing depends on a capture.
//
// Choices where the format document is silent (see DEFAULTS.md):
//
//   - Mapping keys of params and expected values are literal; only values
//     hold ${...} references.
//   - ${env.NAME} values are strings; --var values are YAML scalars whose
//     numbers are only what JSON writes as numbers (007 stays text).
//   - --var-file values are taken literally, without substitution.
//   - Directories are walked for *.yaml and *.yml, skipping directories
//     whose name starts with "." (such as .git and .github).
//   - A test with `steps` has no expect, capture or retry of its own.
//   - Tags are names usable in --tags expressions: letters, digits and
//     _ . : / -, and not and, or, not.
//   - defaults.retry applies to every test and step without its own retry,
//     setup and teardown included; so does defaults.action to every one
//     without its own action (a test with neither action nor steps then
//     invokes it).
//
// The format's JSON Schema is Schema(), identical to docs/spec.schema.json.
package spec
