package assert

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/specrun/specrun/internal/inputfile"
)

// SchemaCache holds JSON Schemas compiled from files, keyed by absolute file
// path, so a file used by many assertions is read and compiled once. The zero
// value is ready to use; a SchemaCache is safe for concurrent use. A failed
// compilation is cached too (the file is not read again).
type SchemaCache struct {
	mu      sync.Mutex
	entries map[string]*schemaEntry
}

type schemaEntry struct {
	once sync.Once
	sch  *jsonschema.Schema
	err  error
}

// Len returns the number of files the cache holds.
func (c *SchemaCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Files returns the absolute paths of the schema files the cache holds,
// sorted.
func (c *SchemaCache) Files() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	files := make([]string, 0, len(c.entries))
	for f := range c.entries {
		files = append(files, f)
	}
	slices.Sort(files)
	return files
}

func (c *SchemaCache) get(abs string) (*jsonschema.Schema, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = make(map[string]*schemaEntry)
	}
	e, ok := c.entries[abs]
	if !ok {
		e = &schemaEntry{}
		c.entries[abs] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.sch, e.err = compileSchemaFile(abs) })
	return e.sch, e.err
}

// loadSchemaFile resolves name against base and compiles it, through cache
// when it is not nil.
func loadSchemaFile(name, base string, cache *SchemaCache) (*jsonschema.Schema, error) {
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, fmt.Errorf("schema file %q: %w", name, err)
	}
	var sch *jsonschema.Schema
	if cache != nil {
		sch, err = cache.get(abs)
	} else {
		sch, err = compileSchemaFile(abs)
	}
	if err != nil {
		// The error says what is wrong with the file; the name is the one
		// this spec wrote (the cache is shared by files that may spell the
		// same path differently).
		return nil, fmt.Errorf("schema file %q %w", name, err)
	}
	return sch, nil
}

// maxSchemaFile bounds a schema file, so that a path such as /dev/zero
// cannot hang or exhaust a load.
const maxSchemaFile = inputfile.MaxSize

func compileSchemaFile(abs string) (*jsonschema.Schema, error) {
	data, err := readSchemaFile(abs)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("is not valid JSON: %w", err)
	}
	loc := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	c := jsonschema.NewCompiler()
	if err := c.AddResource(loc, doc); err != nil {
		return nil, fmt.Errorf("cannot be used: %w", err)
	}
	sch, err := c.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("is not a valid JSON Schema: %s", oneLine(err.Error()))
	}
	return sch, nil
}

// readSchemaFile reads the schema file at abs. Its errors complete the
// sentence "schema file NAME ..." and say what to do.
func readSchemaFile(abs string) ([]byte, error) {
	data, err := inputfile.Read(abs, maxSchemaFile)
	var nr *inputfile.NotRegularError
	var tl *inputfile.TooLargeError
	switch {
	case errors.As(err, &nr):
		return nil, fmt.Errorf("is not a regular file (%s): it is %s; give the path of a JSON Schema file", abs, nr.Kind)
	case errors.As(err, &tl):
		return nil, fmt.Errorf("(%s) %s", abs, tl.Reason())
	case err != nil:
		return nil, describeOpenError(abs, err)
	}
	return data, nil
}

func describeOpenError(abs string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("was not found (looked for %s): a relative path starts from the spec file's directory", abs)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot be read (%s): permission denied; make it readable", abs)
	}
	return fmt.Errorf("cannot be read (%s): %w", abs, err)
}

const inlineSchemaURL = "urn:specrun:inline-schema"

func compileInlineSchema(doc any) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	if err := c.AddResource(inlineSchemaURL, doc); err != nil {
		return nil, fmt.Errorf("invalid inline schema: %s", oneLine(err.Error()))
	}
	sch, err := c.Compile(inlineSchemaURL)
	if err != nil {
		return nil, fmt.Errorf("invalid inline schema: %s", oneLine(err.Error()))
	}
	return sch, nil
}

// oneLine joins a multi-line library message into one line.
func oneLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, "; ")
}

// schemaReason turns a validation error into a short reason and the JSON
// pointer of the first failing location.
func schemaReason(err error) (reason, pointer string) {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return "does not match the schema: " + oneLine(err.Error()), ""
	}
	leaf := ve
	for len(leaf.Causes) > 0 {
		leaf = leaf.Causes[0]
	}
	var b strings.Builder
	for _, tok := range leaf.InstanceLocation {
		b.WriteString("/")
		b.WriteString(escapePointer(tok))
	}
	pointer = b.String()
	msg := "invalid"
	out := leaf.BasicOutput()
	if out.Error != nil {
		msg = out.Error.String()
	} else {
		for _, u := range out.Errors {
			if u.Error != nil {
				msg = u.Error.String()
				break
			}
		}
	}
	if pointer != "" {
		return "does not match the schema at " + pointer + ": " + msg, pointer
	}
	return "does not match the schema: " + msg, pointer
}
