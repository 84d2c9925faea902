// Package jsonreport writes a run's result as one versioned JSON document,
// for dashboards and for combining the reports of shards.
//
// The document is described field by field in FORMAT.md next to this file.
// Its schema_version is SchemaVersion; within one schema version fields are
// only ever added, never renamed, removed or given another meaning, so a
// reader must ignore fields it does not know.
//
// Write turns a runner.Result into the document. Read parses a document back
// into a Report, Merge combines the Reports of several shards into one, and
// Encode writes a Report. Output is deterministic given its input: the same
// Result always gives the same bytes.
package jsonreport
