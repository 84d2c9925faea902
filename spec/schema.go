package spec

import (
	_ "embed" // for the JSON Schema of the format
	"slices"
)

//go:embed spec.schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) of the spec format, for
// editors (yaml-language-server) and `specrun schema`. It returns a new
// copy on each call; the caller may modify it. docs/spec.schema.json is
// the same document.
func Schema() []byte { return slices.Clone(schemaJSON) }
