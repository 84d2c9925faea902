package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/specrun/specrun/internal/inputfile"
	"github.com/specrun/specrun/internal/suggest"
	"github.com/specrun/specrun/internal/yamlnode"
)

const (
	// maxFileSize bounds a spec or var file.
	maxFileSize = inputfile.MaxSize
	// maxNodes bounds the values of a document after expanding aliases, so
	// that an alias bomb is an error rather than an out-of-memory crash. A
	// string counts as one value per textUnit bytes, so that aliases of a
	// long string are bounded too.
	maxNodes = 1_000_000
	// textUnit is the bytes of text that count as one value.
	textUnit = 64
	// maxWork bounds the values compiled for one file, defaults.params
	// compiled for every step included.
	maxWork = 4 * maxNodes
	// maxErrors bounds the problems reported for one file.
	maxErrors = 100
)

// parseDocument decodes the single YAML document of a file. It returns the
// document's root node with aliases checked (no cycles, bounded expansion),
// or nil after reporting the problem.
func parseDocument(file string, data []byte, probs *problems, emptyMsg string) *yaml.Node {
	if pos, msg, ok := checkText(data); !ok {
		probs.add(Pos{File: file, Line: pos.Line, Col: pos.Col}, msg)
		return nil
	}
	var doc yaml.Node
	if !bytes.Contains(data, []byte("\n---")) && !bytes.Contains(data, []byte("\n...")) && !bytes.Contains(data, []byte("\r---")) && !bytes.Contains(data, []byte("\r...")) {
		// One document for sure: the faster string-input parser.
		if err := yamlnode.Unmarshal(data, &doc); err != nil {
			probs.add(yamlErrorPos(file, err), "invalid YAML: "+yamlErrorText(err))
			return nil
		}
		if doc.Kind == 0 {
			probs.add(Pos{File: file, Line: 1, Col: 1}, emptyMsg)
			return nil
		}
		return checkRoot(file, &doc, probs, emptyMsg, mayAlias(data))
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := yamlnode.Decode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			probs.add(Pos{File: file, Line: 1, Col: 1}, emptyMsg)
			return nil
		}
		probs.add(yamlErrorPos(file, err), "invalid YAML: "+yamlErrorText(err))
		return nil
	}
	var next yaml.Node
	if err := yamlnode.Decode(dec, &next); !errors.Is(err, io.EOF) {
		pos := Pos{File: file, Line: max(next.Line, 1), Col: max(next.Column, 1)}
		if err != nil {
			pos = yamlErrorPos(file, err)
		}
		probs.add(pos, "a second YAML document: a spec file holds one document; remove the `---` separator or move the rest into another file")
		return nil
	}
	return checkRoot(file, &doc, probs, emptyMsg, mayAlias(data))
}

// mayAlias reports whether data may hold an alias: an alias is written
// '*name' and refers to an anchor written '&name' (yaml.v3 refuses one that
// refers to no anchor), so a file without both bytes has none, and
// measuring it would find nothing to refuse (its values are its nodes,
// already made and bounded in depth by yaml.v3). '*' alone is common in
// specs: JSONPath wildcards.
func mayAlias(data []byte) bool {
	return bytes.IndexByte(data, '&') >= 0 && bytes.IndexByte(data, '*') >= 0
}

// checkRoot returns the root of a decoded document after checking its
// aliases when it may have some, or nil after reporting a problem.
func checkRoot(file string, doc *yaml.Node, probs *problems, emptyMsg string, aliases bool) *yaml.Node {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		probs.add(Pos{File: file, Line: 1, Col: 1}, emptyMsg)
		return nil
	}
	root := doc.Content[0]
	if aliases && !withinAliasBound(file, root, probs, maxNodes) {
		return nil
	}
	return root
}

// withinAliasBound reports whether root, its aliases expanded, holds at
// most limit values, with no alias that contains itself; false after
// reporting a problem. A document without an alias is within it whatever
// its size: its values are its nodes, which yaml.v3 has already made.
func withinAliasBound(file string, root *yaml.Node, probs *problems, limit int) bool {
	m := measurer{file: file, probs: probs, limit: limit, sizes: map[*yaml.Node]int{}, active: map[*yaml.Node]bool{}}
	if n := m.count(root, 0); n < 0 {
		return false
	} else if n > limit && m.aliases {
		probs.add(Pos{File: file, Line: root.Line, Col: root.Column}, fmt.Sprintf("the document expands to more than %d values through aliases (%d bytes of text count as one): use fewer nested aliases, or fewer aliases of long strings", limit, textUnit))
		return false
	}
	return true
}

// plainText reports whether data is printable ASCII, tabs and line breaks
// only: text that checkText accepts, found without decoding runes or
// counting lines (nearly every spec file, checked once per load).
func plainText(data []byte) bool {
	for _, c := range data {
		if c >= 0x7f || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			return false
		}
	}
	return true
}

// checkText rejects bytes YAML does not accept as text, with the position
// of the first offending character: invalid UTF-8 and control characters.
func checkText(data []byte) (Pos, string, bool) {
	if plainText(data) {
		return Pos{}, "", true
	}
	return checkRunes(data)
}

// checkRunes is checkText rune by rune, counting lines and columns.
func checkRunes(data []byte) (Pos, string, bool) {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if bad := badChar(data, i, r, size); bad != "" {
			return Pos{Line: line, Col: col}, bad, false
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return Pos{}, "", true
}

// badChar says what is wrong with the character r of size bytes at offset
// i of data; "" when it is allowed.
func badChar(data []byte, i int, r rune, size int) string {
	switch {
	case r == utf8.RuneError && size <= 1:
		return fmt.Sprintf("invalid UTF-8 (byte 0x%02x): a spec file must be UTF-8 text", data[i])
	case r == '\t' || r == '\n' || r == '\r':
		return ""
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f && r != 0x85):
		return fmt.Sprintf("control character %U: a spec file must be text; remove it", r)
	case r == 0xFEFF && i != 0, r == 0xFFFE, r == 0xFFFF:
		return fmt.Sprintf("character %U is not allowed in YAML; remove it", r)
	}
	return ""
}

// measurer counts the values of a document with aliases expanded, and finds
// aliases that contain themselves.
type measurer struct {
	file   string
	probs  *problems
	limit  int // the most values a document or an alias may expand to
	sizes  map[*yaml.Node]int
	active map[*yaml.Node]bool
	// aliases is set when the document holds an alias: without one its
	// values are only its nodes, which yaml.v3 has already made.
	aliases bool
}

// count returns the expanded size of n, or -1 after reporting a problem.
func (m *measurer) count(n *yaml.Node, depth int) int {
	if n == nil {
		return 0
	}
	if depth > 10000 {
		m.probs.add(Pos{File: m.file, Line: n.Line, Col: n.Column}, "values nested deeper than 10000 levels: flatten the document")
		return -1
	}
	if n.Kind == yaml.AliasNode {
		m.aliases = true
		t := n.Alias
		if t == nil {
			return 1
		}
		if m.active[t] {
			m.probs.add(Pos{File: m.file, Line: n.Line, Col: n.Column}, fmt.Sprintf("alias *%s refers to a value that contains the alias itself: break the cycle", n.Value))
			return -1
		}
		if s, ok := m.sizes[t]; ok {
			return s
		}
		m.active[t] = true
		s := m.count(t, depth+1)
		delete(m.active, t)
		if s < 0 {
			return -1
		}
		if s > m.limit {
			m.probs.add(Pos{File: m.file, Line: n.Line, Col: n.Column}, fmt.Sprintf("alias *%s expands to more than %d values (%d bytes of text count as one): use fewer nested aliases, or fewer aliases of long strings", n.Value, m.limit, textUnit))
			return -1
		}
		m.sizes[t] = s
		return s
	}
	total := 1 + len(n.Value)/textUnit
	if n.Anchor != "" {
		m.active[n] = true
		defer delete(m.active, n)
	}
	for _, c := range n.Content {
		s := m.count(c, depth+1)
		if s < 0 {
			return -1
		}
		total += s
		// Stop early only once an alias has been seen: until then the
		// walk is linear in the nodes yaml.v3 made, and stopping would
		// leave an alias further on unmeasured.
		if total > m.limit && m.aliases {
			return total
		}
	}
	return total
}

// yamlErrorPos is the position of a YAML syntax error: its line, or 1:1.
func yamlErrorPos(file string, err error) Pos {
	line, _ := yamlnode.ErrorLine(err)
	return Pos{File: file, Line: max(line, 1), Col: 1}
}

// yamlErrorText is a YAML error without the library's prefixes.
func yamlErrorText(err error) string {
	_, text := yamlnode.ErrorLine(err)
	return text
}

// deref follows aliases (the shared toolkit's, under the decoder's name).
func deref(n *yaml.Node) *yaml.Node { return yamlnode.Deref(n) }

// kindOf names a node's type for messages: "a mapping", "a list", ...
// (yamlnode.Kind, the vocabulary the manifest's messages use too).
func kindOf(n *yaml.Node) string { return yamlnode.Kind(n) }

// isNull reports whether n is an empty or null scalar.
func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// jsonNumberRE is compiled on first use, not at start-up.
var jsonNumberRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
})

// isString reports whether n is a string scalar.
func isString(n *yaml.Node) bool {
	n = deref(n)
	return n != nil && n.Kind == yaml.ScalarNode && kindOf(n) == "a string"
}

// scalarValue converts a non-string scalar to its JSON-like value.
func scalarValue(n *yaml.Node) (any, error) {
	switch tag := n.ShortTag(); tag {
	case "!!null":
		return nil, nil
	case "!!bool":
		return strings.EqualFold(n.Value, "true"), nil
	case "!!int", "!!float":
		s := n.Value
		if jsonNumberRE().MatchString(s) {
			return json.Number(s), nil
		}
		if i, err := strconv.ParseInt(s, 0, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10)), nil
		}
		clean := strings.TrimPrefix(strings.ReplaceAll(s, "_", ""), "+")
		if jsonNumberRE().MatchString(clean) {
			return json.Number(clean), nil
		}
		f, err := strconv.ParseFloat(clean, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("the number %s cannot be written in JSON: write a finite decimal number", clip(s))
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	case "!!str", "!!timestamp", "!!binary", "!!merge":
		return n.Value, nil
	default:
		return nil, fmt.Errorf("unsupported YAML tag %s: remove the tag", clip(tag))
	}
}

// pair is one key and value of a mapping as written, aliases of the value
// followed: both nodes keep their position.
type pair struct {
	k *yaml.Node
	v *yaml.Node
}

// key is the text of the key (aliases followed).
func (p pair) key() string { return deref(p.k).Value }

// pairs lists the entries of a mapping node in document order, with merge
// keys (<<) expanded (explicit keys win) and duplicate keys reported.
func (d *rawDecoder) pairs(n *yaml.Node) []pair {
	ps, _ := d.pairsOK(n)
	return ps
}

// pairsOK is pairs, also saying whether it reported no problem.
func (d *rawDecoder) pairsOK(n *yaml.Node) ([]pair, bool) {
	ok := true
	out := make([]pair, 0, len(n.Content)/2)
	var seen map[string]*yaml.Node // only for large mappings
	if len(n.Content) > 32 {
		seen = make(map[string]*yaml.Node, len(n.Content)/2)
	}
	find := func(key string) (*yaml.Node, bool) {
		if seen != nil {
			k, ok := seen[key]
			return k, ok
		}
		for _, p := range out {
			if p.key() == key {
				return p.k, true
			}
		}
		return nil, false
	}
	var merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		kd := deref(k)
		if isMergeKey(kd) {
			ms, msOK := d.mergeSources(v)
			merged, ok = append(merged, ms...), ok && msOK
			continue
		}
		if kd.Kind != yaml.ScalarNode {
			d.errAt(k, fmt.Sprintf("a mapping key must be a string, got %s", kindOf(kd)))
			ok = false
			continue
		}
		if prev, dup := find(kd.Value); dup {
			d.dupKey(k, kd.Value, prev)
			ok = false
			continue
		}
		if seen != nil {
			seen[kd.Value] = k
		}
		out = append(out, pair{k: k, v: v})
	}
	return appendMerged(out, merged), ok
}

// dupKey reports the key k, written before at prev.
func (d *rawDecoder) dupKey(k *yaml.Node, key string, prev *yaml.Node) {
	d.errAt(k, fmt.Sprintf("duplicate key %q: already given at line %d; remove one", key, prev.Line))
}

// plainKeys reports whether the mapping n is small and its keys are all
// scalars, none a merge key (<<): keys that can be read in place.
func plainKeys(n *yaml.Node) bool {
	if len(n.Content) > 32 {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if kd := deref(n.Content[i]); kd.Kind != yaml.ScalarNode || isMergeKey(kd) {
			return false
		}
	}
	return true
}

// isMergeKey reports whether the key kd (aliases followed) is a merge key
// (<<). Only the text << or a merge tag can make one, so that the tag is
// resolved for those alone (resolving it is a lookup, for every key).
func isMergeKey(kd *yaml.Node) bool {
	return kd.Kind == yaml.ScalarNode && (kd.Value == "<<" || strings.HasSuffix(kd.Tag, "merge")) && kd.ShortTag() == "!!merge"
}

// earlierKey returns the first key of the mapping n before its i-th
// content node that reads key, or nil.
func earlierKey(n *yaml.Node, i int, key string) *yaml.Node {
	for j := 0; j < i; j += 2 {
		if deref(n.Content[j]).Value == key {
			return n.Content[j]
		}
	}
	return nil
}

// appendMerged adds to out the merged entries whose keys it lacks
// (explicit keys win, earlier merge sources win).
func appendMerged(out, merged []pair) []pair {
	if len(merged) == 0 {
		return out
	}
	have := make(map[string]bool, len(out)+len(merged))
	for _, p := range out {
		have[p.key()] = true
	}
	for _, p := range merged {
		if !have[p.key()] {
			have[p.key()] = true
			out = append(out, p)
		}
	}
	return out
}

// mergeSources expands the value of a merge key: a mapping or a list of
// mappings, earlier ones winning. ok is false when it reported a problem.
func (d *rawDecoder) mergeSources(v *yaml.Node) (out []pair, ok bool) {
	switch v.Kind {
	case yaml.MappingNode:
		return d.pairsOK(v)
	case yaml.SequenceNode:
		ok = true
		have := map[string]bool{}
		for _, item := range v.Content {
			item = deref(item)
			if item.Kind != yaml.MappingNode {
				d.errAt(item, fmt.Sprintf("<<: expected a mapping to merge, got %s", kindOf(item)))
				ok = false
				continue
			}
			ps, psOK := d.pairsOK(item)
			ok = ok && psOK
			for _, p := range ps {
				if !have[p.key()] {
					have[p.key()] = true
					out = append(out, p)
				}
			}
		}
		return out, ok
	default:
		d.errAt(v, fmt.Sprintf("<<: expected a mapping to merge, got %s", kindOf(v)))
		return nil, false
	}
}

// unknownKey words the error for a key the format does not know.
func unknownKey(key, where string, allowed []string) string {
	if c := suggest.Closest(key, allowed); c != "" {
		return fmt.Sprintf("unknown key %q %s; did you mean %q?", clip(key), where, c)
	}
	return fmt.Sprintf("unknown key %q %s; allowed keys: %s", clip(key), where, strings.Join(allowed, ", "))
}
