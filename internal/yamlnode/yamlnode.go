// Package yamlnode is the YAML toolkit the spec loader and the emulator's
// manifest share: following aliases, naming a node's type in messages with
// one vocabulary ("a mapping", "a list", "a string", ...), decoding without
// letting the YAML library panic, and reading the line out of its errors.
// It knows nothing of specs or manifests.
package yamlnode

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// maxAliasHops bounds the aliases Deref follows.
const maxAliasHops = 100

// Deref follows aliases: the node an alias stands for, n itself otherwise.
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < maxAliasHops; i++ {
		n = n.Alias
	}
	return n
}

// Kind names the type of n (aliases followed) for messages: "a mapping",
// "a list", "null", "a boolean", "a number", "a string", or "nothing" for
// no node.
func Kind(n *yaml.Node) string {
	n = Deref(n)
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "null"
		case "!!bool":
			return "a boolean"
		case "!!int", "!!float":
			return "a number"
		default:
			return "a string"
		}
	}
	return "nothing"
}

// Describe is Kind with the value of a scalar: `the string "x"`,
// "the number 5", "the boolean true"; containers and null as Kind says.
func Describe(n *yaml.Node) string {
	n = Deref(n)
	switch k := Kind(n); k {
	case "a string":
		return fmt.Sprintf("the string %q", n.Value)
	case "a number", "a boolean":
		return "the " + strings.TrimPrefix(k, "a ") + " " + n.Value
	default:
		return k
	}
}

// Decode decodes the next document of dec into n, turning a panic of the
// YAML library into an error so that no input can crash a load.
func Decode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: cannot parse this document (%v)", r)
		}
	}()
	return dec.Decode(n)
}

// Unmarshal decodes the first document of data into n, as Decode does.
func Unmarshal(data []byte, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: cannot parse this document (%v)", r)
		}
	}()
	return yaml.Unmarshal(data, n)
}

// lineRE is compiled on first use, not at start-up.
var lineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): `) })

// ErrorLine splits an error of the YAML library into the line it names (0
// when it names none) and its text without the library's prefixes.
func ErrorLine(err error) (int, string) {
	s := err.Error()
	if m := lineRE().FindStringSubmatchIndex(s); m != nil {
		line, e := strconv.Atoi(s[m[2]:m[3]])
		if e != nil || line < 0 {
			line = 0
		}
		return line, s[m[1]:]
	}
	return 0, strings.TrimPrefix(s, "yaml: ")
}
