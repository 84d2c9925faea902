package docs_test

// These tests keep the user documentation honest:
//
//   - every ```yaml block of docs/**/*.md parses (several documents allowed);
//   - every specrun command line in the docs (the CI recipes above all) uses
//     only flags that docs/cli.md lists for its command;
//   - every key named in the tables of the spec format's design document
//     (SPEC-FORMAT.md), and every property of docs/spec.schema.json, is
//     documented in docs/spec-format.md.
//
// Each check is a function returning its problems as "FILE:LINE: message"
// strings, tested on its own with inputs that must fail, so a check that
// silently passes everything is caught too.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/emulator"
	"github.com/specrun/specrun/internal/inputfile"
)

// fence is one fenced code block of a Markdown file.
type fence struct {
	file string
	line int // the line of the first line of content (1-based)
	lang string
	text string
}

// fences returns the fenced code blocks of a Markdown document. Fences may be
// indented (inside list items); the indentation of the opening fence is
// removed from the content lines.
func fences(file string, src []byte) ([]fence, error) {
	var out []fence
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var (
		cur    *fence
		indent string
		marker string
		body   strings.Builder
		n      int
	)
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " ")
		if cur == nil {
			if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
				indent = line[:len(line)-len(trimmed)]
				marker = trimmed[:3]
				info := strings.TrimLeft(trimmed, marker[:1])
				marker = trimmed[:len(trimmed)-len(info)]
				lang, _, _ := strings.Cut(strings.TrimSpace(info), " ")
				cur = &fence{file: file, line: n + 1, lang: strings.ToLower(lang)}
				body.Reset()
			}
			continue
		}
		if strings.HasPrefix(trimmed, marker) && strings.TrimSpace(strings.TrimLeft(trimmed, marker[:1])) == "" {
			cur.text = body.String()
			out = append(out, *cur)
			cur = nil
			continue
		}
		body.WriteString(strings.TrimPrefix(line, indent))
		body.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if cur != nil {
		return nil, fmt.Errorf("%s:%d: a code block is never closed", file, cur.line-1)
	}
	return out, nil
}

// markdownFiles lists the *.md files under root, in lexical order.
func markdownFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// allFences reads the fenced blocks of every Markdown file given.
func allFences(t *testing.T, files []string) []fence {
	t.Helper()
	var out []fence
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := fences(f, src)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fs...)
	}
	return out
}

func isYAML(f fence) bool { return f.lang == "yaml" || f.lang == "yml" }

// yamlProblems parses a YAML block, every document of it, and returns what
// does not parse.
func yamlProblems(f fence) []string {
	dec := yaml.NewDecoder(strings.NewReader(f.text))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			// yaml.v3 counts lines from the block's first line, and
			// not always from 1; so name the block and quote its message.
			return []string{fmt.Sprintf("%s:%d: the yaml block starting here does not parse: %v", f.file, f.line, err)}
		}
	}
}

func TestYAMLBlocksParse(t *testing.T) {
	blocks := 0
	for _, f := range allFences(t, markdownFiles(t, ".")) {
		if !isYAML(f) {
			continue
		}
		blocks++
		for _, p := range yamlProblems(f) {
			t.Error(p)
		}
	}
	if blocks < 20 {
		t.Errorf("found %d yaml blocks in docs/; the docs hold many more: is the fence parser broken?", blocks)
	}
}

// flagTables reads the flags named in the first column of the tables headed
// "flag" in cli.md, by command: the tables under "## run" (and its
// subsections) belong to run, under "## validate" to validate, and so on.
func flagTables(src string) map[string]map[string]bool {
	flags := map[string]map[string]bool{}
	section := ""
	inFlagTable := false
	for line := range strings.SplitSeq(src, "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			section = strings.ToLower(strings.Fields(h + " x")[0])
			inFlagTable = false
			continue
		}
		if !strings.HasPrefix(line, "|") {
			inFlagTable = false
			continue
		}
		cells := strings.Split(line, "|")
		first := strings.TrimSpace(cells[1])
		switch {
		case first == "flag":
			inFlagTable = true
			continue
		case !inFlagTable || strings.HasPrefix(first, "---"):
			continue
		}
		for _, m := range flagRE.FindAllStringSubmatch(first, -1) {
			if flags[section] == nil {
				flags[section] = map[string]bool{}
			}
			flags[section][m[1]] = true
		}
	}
	return flags
}

// flagRE finds flag names in a table cell such as "`-v`, `--verbose`".
var flagRE = regexp.MustCompile("(?:^|[\\s`])(--?[a-zA-Z][a-zA-Z0-9-]*)")

// commands are specrun's commands; run is the default.
var commands = []string{"run", "validate", "serve", "monitor", "init", "completion", "schema", "version", "report"}

// commandLine is one specrun invocation found in the docs.
type commandLine struct {
	where string // FILE:LINE
	args  []string
}

// findCommands finds specrun invocations in a line of shell: a word whose
// base name is specrun, and the words after it up to the end of the command.
func findCommands(where, line string) []commandLine {
	var out []commandLine
	words := strings.Fields(line)
	for i, w := range words {
		if path.Base(strings.Trim(w, "'\"()[],")) != "specrun" {
			continue
		}
		c := commandLine{where: where}
		for _, a := range words[i+1:] {
			if separator(a) {
				break
			}
			end := strings.HasSuffix(a, ";")
			c.args = append(c.args, strings.TrimSuffix(a, ";"))
			if end {
				break
			}
		}
		out = append(out, c)
	}
	return out
}

// separator reports whether a shell word ends a command.
func separator(w string) bool {
	switch w {
	case "|", "||", "&&", ";", "&":
		return true
	}
	return strings.HasPrefix(w, ">") || strings.HasPrefix(w, "2>") || strings.HasPrefix(w, "<") ||
		strings.HasPrefix(w, "#")
}

// flagProblems checks the flags of a command line against the flags cli.md
// lists for its command.
func flagProblems(c commandLine, known map[string]map[string]bool) []string {
	cmd, args := "run", c.args
	if len(args) > 0 && slices.Contains(commands, args[0]) {
		cmd, args = args[0], args[1:]
	}
	var out []string
	for _, a := range args {
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' || !strings.ContainsAny(a[1:2], "-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimRight(a, "'\""), "=")
		if name == "--help" || name == "-h" || known[cmd][name] {
			continue
		}
		out = append(out, fmt.Sprintf("%s: specrun %s has no flag %s in docs/cli.md", c.where, cmd, name))
	}
	return out
}

// blockCommands finds the specrun command lines of a code block. YAML blocks
// are parsed and their string values searched (so folded scalars and argv
// lists such as Kubernetes' command: [specrun, --tags, smoke] count); other
// blocks are read as shell, with backslash continuations joined.
func blockCommands(f fence) []commandLine {
	var out []commandLine
	if isYAML(f) {
		dec := yaml.NewDecoder(strings.NewReader(f.text))
		for {
			var n yaml.Node
			if err := dec.Decode(&n); err != nil {
				break
			}
			walkYAML(&n, func(n *yaml.Node) {
				where := fmt.Sprintf("%s:%d", f.file, f.line+n.Line-1)
				switch n.Kind {
				case yaml.ScalarNode:
					for l := range strings.SplitSeq(n.Value, "\n") {
						out = append(out, findCommands(where, l)...)
					}
				case yaml.SequenceNode:
					if len(n.Content) > 0 && n.Content[0].Kind == yaml.ScalarNode &&
						path.Base(n.Content[0].Value) == "specrun" {
						var words []string
						for _, e := range n.Content {
							words = append(words, e.Value)
						}
						out = append(out, commandLine{where: where, args: words[1:]})
					}
				}
			})
		}
		return out
	}
	lines := strings.Split(f.text, "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		l := lines[i]
		for strings.HasSuffix(l, "\\") && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(l, "\\") + " " + lines[i]
		}
		out = append(out, findCommands(fmt.Sprintf("%s:%d", f.file, f.line+start), l)...)
	}
	return out
}

// walkYAML calls fn on n and every node under it, except the scalars of a
// sequence that fn takes as a whole (an argv list).
func walkYAML(n *yaml.Node, fn func(*yaml.Node)) {
	fn(n)
	if n.Kind == yaml.SequenceNode && len(n.Content) > 0 && path.Base(n.Content[0].Value) == "specrun" {
		return
	}
	for _, c := range n.Content {
		walkYAML(c, fn)
	}
}

func TestCommandLinesUseKnownFlags(t *testing.T) {
	cli, err := os.ReadFile("cli.md")
	if err != nil {
		t.Fatal(err)
	}
	known := flagTables(string(cli))
	for _, cmd := range []string{"run", "validate", "serve", "monitor"} {
		if len(known[cmd]) == 0 {
			t.Fatalf("docs/cli.md lists no flags of %s: the flag tables are missing or the table parser is broken", cmd)
		}
	}
	files := markdownFiles(t, ".")
	examples := markdownFiles(t, filepath.Join("..", "examples"))
	found, inRecipes := 0, 0
	for _, f := range allFences(t, append(files, examples...)) {
		for _, c := range blockCommands(f) {
			found++
			if strings.HasPrefix(filepath.ToSlash(f.file), "ci/") && len(c.args) > 0 {
				inRecipes++
			}
			for _, p := range flagProblems(c, known) {
				t.Error(p)
			}
		}
	}
	if inRecipes < 10 {
		t.Errorf("found %d specrun command lines with arguments in docs/ci (and %d in all): the recipes hold more; is the command finder broken?", inRecipes, found)
	}
}

// specFormatFile finds the design document of the spec format:
// $SPECRUN_SPEC_FORMAT, else the shared design folder.
func specFormatFile() string {
	for _, p := range []string{os.Getenv("SPECRUN_SPEC_FORMAT"), filepath.Join("..", "design", "SPEC-FORMAT.md"), "/work/shared/design/SPEC-FORMAT.md"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// tableKeys returns the key names in the first column of the Markdown tables
// of src: every identifier inside a backtick span of a first cell.
func tableKeys(src string) []string {
	var keys []string
	seen := map[string]bool{}
	for line := range strings.SplitSeq(src, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		for _, span := range codeSpanRE.FindAllStringSubmatch(cells[1], -1) {
			for _, k := range identRE.FindAllString(span[1], -1) {
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
	}
	return keys
}

var (
	codeSpanRE = regexp.MustCompile("`([^`]+)`")
	identRE    = regexp.MustCompile(`\b[a-z][a-z_]*\b`)
)

// undocumented returns the keys that doc does not name in backticks.
func undocumented(keys []string, doc string) []string {
	var out []string
	for _, k := range keys {
		if !strings.Contains(doc, "`"+k+"`") {
			out = append(out, k)
		}
	}
	return out
}

// schemaProperties returns every property name of a JSON Schema, at any depth.
func schemaProperties(v any, into map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		if props, ok := v["properties"].(map[string]any); ok {
			for k := range props {
				into[k] = true
			}
		}
		for _, c := range v {
			schemaProperties(c, into)
		}
	case []any:
		for _, c := range v {
			schemaProperties(c, into)
		}
	}
}

func TestSpecFormatDocumentsEveryKey(t *testing.T) {
	docBytes, err := os.ReadFile("spec-format.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(docBytes)

	t.Run("keys of SPEC-FORMAT.md", func(t *testing.T) {
		design := specFormatFile()
		if design == "" {
			t.Skip("SPEC-FORMAT.md not found: set SPECRUN_SPEC_FORMAT to its path")
		}
		src, err := os.ReadFile(design)
		if err != nil {
			t.Fatal(err)
		}
		keys := tableKeys(string(src))
		if len(keys) < 30 {
			t.Fatalf("found %d keys in the tables of %s; it names more: is the table parser broken?", len(keys), design)
		}
		for _, k := range undocumented(keys, doc) {
			t.Errorf("docs/spec-format.md does not document `%s`, a key of %s", k, design)
		}
	})

	t.Run("properties of spec.schema.json", func(t *testing.T) {
		src, err := os.ReadFile("spec.schema.json")
		if errors.Is(err, fs.ErrNotExist) {
			t.Skip("docs/spec.schema.json is not written yet")
		}
		if err != nil {
			t.Fatal(err)
		}
		var schema any
		if err := json.Unmarshal(src, &schema); err != nil {
			t.Fatalf("docs/spec.schema.json: %v", err)
		}
		props := map[string]bool{}
		schemaProperties(schema, props)
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range undocumented(keys, doc) {
			t.Errorf("docs/spec-format.md does not document `%s`, a property of docs/spec.schema.json", k)
		}
	})
}

// TestLimitsTable checks that the limits in docs/troubleshooting.md are the
// ones the code applies, for the limits the code exports.
func TestLimitsTable(t *testing.T) {
	data, err := os.ReadFile("troubleshooting.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{
		fmt.Sprintf("a regular file of at most %d MB", inputfile.MaxSize>>20),
		fmt.Sprintf("response body read by specrun | %d MB", client.DefaultMaxResponseBytes>>20),
		fmt.Sprintf("request body to the emulator | %d MB", emulator.MaxBodyBytes>>20),
		fmt.Sprintf("The request body exceeds %d bytes.", emulator.MaxBodyBytes),
		fmt.Sprintf("%d MB per activation", emulator.MaxLogBytes>>20),
		fmt.Sprintf("exceeds %d bytes.", emulator.MaxLogBytes),
		fmt.Sprintf("the last %d,%03d finished activations", emulator.DefaultMaxActivations/1000, emulator.DefaultMaxActivations%1000),
		fmt.Sprintf("the emulator keeps the last %d, in at most %d MB", emulator.DefaultMaxActivations, emulator.DefaultMaxActivationBytes>>20),
		fmt.Sprintf("at most %d MB of their results and logs", emulator.DefaultMaxActivationBytes>>20),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("troubleshooting.md, Limits: %q is missing or out of date", want)
		}
	}
}
