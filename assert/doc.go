// Package assert compiles and checks the path assertions of specrun specs:
// an RFC 9535 JSONPath (Path) with operators (Op) such as equals, matches,
// lt, len, count, contains, schema and the subset match of `result` and
// `error`, as SPEC-FORMAT.md describes them.
//
// Everything that can be prepared is prepared by ParsePath and New (the
// query, regular expressions, JSON Schemas, operator maps, expected numbers
// and timestamps); Assertion.Check then only walks the document and
// allocates only to describe failures. Paths and assertions are read-only
// and safe for concurrent use.
//
// Documents are values as encoding/json decodes them with UseNumber: nil,
// bool, string, json.Number, []any and map[string]any. Numbers compare by
// exact value whatever their representation (see Equal).
package assert
