package runner

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/specrun/specrun/spec"
)

// Selection chooses which tests run. The zero value selects every test.
type Selection struct {
	// Run keeps tests whose "SUITE/TEST" name matches; nil keeps all.
	Run *regexp.Regexp
	// Tags keeps tests whose tags satisfy the expression; nil keeps all.
	Tags *TagExpr
	// Shard keeps the K-th of N slices; the zero Shard keeps all.
	Shard Shard
}

// Select returns the selected tests of p in input order. Sharding applies
// last, to the tests that --run and --tags kept, so that the shards of one
// selection cover it exactly once.
func (sel Selection) Select(p *spec.Project) []*spec.Test {
	var out []*spec.Test
	for _, s := range p.Suites {
		for _, t := range s.Tests {
			if sel.Run != nil && !sel.Run.MatchString(t.FullName()) {
				continue
			}
			if sel.Tags != nil && !sel.Tags.Match(t.Tags) {
				continue
			}
			out = append(out, t)
		}
	}
	return sel.Shard.slice(out)
}

// Shard is the K-th (1-based) of N deterministic slices of the selected
// tests. Slices are contiguous runs of the selection in input order, so a
// suite's tests stay together (its setup runs in as few shards as possible),
// their sizes differ by at most one, and together they cover the selection
// exactly once. The same specs and flags give the same shards on every
// machine. The zero Shard (N == 0) is the whole selection.
type Shard struct {
	K, N int
}

// ParseShard reads "K/N" with 1 <= K <= N.
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(strings.TrimSpace(k))
	ni, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("--shard %q: want K/N, e.g. 2/4 for the second of four slices", s)
	}
	if ni < 1 || ki < 1 || ki > ni {
		return Shard{}, fmt.Errorf("--shard %q: K must be between 1 and N, and N at least 1", s)
	}
	return Shard{K: ki, N: ni}, nil
}

// String returns "K/N", or "" for the zero Shard.
func (s Shard) String() string {
	if s.N == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

func (s Shard) slice(tests []*spec.Test) []*spec.Test {
	if s.N <= 1 {
		return tests
	}
	m := len(tests)
	lo := (s.K - 1) * m / s.N
	hi := s.K * m / s.N
	return tests[lo:hi:hi]
}

// TagExpr is a compiled --tags expression: tag names combined with and, or,
// not and parentheses ("smoke and not slow", "(a or b) and c"). It is
// read-only and safe for concurrent use.
type TagExpr struct {
	src  string
	root tagNode
}

type tagNode interface {
	match(tags []string) bool
}

type (
	tagName string
	tagNot  struct{ x tagNode }
	tagAnd  struct{ x, y tagNode }
	tagOr   struct{ x, y tagNode }
)

func (n tagName) match(tags []string) bool { return slices.Contains(tags, string(n)) }
func (n tagNot) match(tags []string) bool  { return !n.x.match(tags) }
func (n tagAnd) match(tags []string) bool  { return n.x.match(tags) && n.y.match(tags) }
func (n tagOr) match(tags []string) bool   { return n.x.match(tags) || n.y.match(tags) }

// Match reports whether tags satisfy the expression.
func (e *TagExpr) Match(tags []string) bool { return e.root.match(tags) }

// String returns the expression as given.
func (e *TagExpr) String() string { return e.src }

// maxTagDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxTagDepth = 100

// ParseTagExpr compiles a --tags expression. Precedence, from tightest:
// not, and, or. A tag name is made of letters, digits and _ . : / -; the
// words and, or, not are operators (case-insensitive).
func ParseTagExpr(s string) (*TagExpr, error) {
	p := &tagParser{src: s}
	p.next()
	if p.tok.kind == tokEnd {
		return nil, fmt.Errorf("--tags %q: empty expression; give tag names joined with and, or, not", s)
	}
	root, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEnd {
		return nil, p.errorf("unexpected %s", p.tok)
	}
	return &TagExpr{src: s, root: root}, nil
}

type tokKind uint8

const (
	tokEnd tokKind = iota
	tokName
	tokAnd
	tokOr
	tokNot
	tokLParen
	tokRParen
	tokBad
)

type tagToken struct {
	kind tokKind
	text string
	col  int
}

func (t tagToken) String() string {
	switch t.kind {
	case tokEnd:
		return "end of expression"
	case tokName:
		return fmt.Sprintf("tag %q", t.text)
	case tokBad:
		return fmt.Sprintf("character %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

type tagParser struct {
	src string
	pos int
	tok tagToken
}

func isTagChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '.' || c == ':' || c == '/' || c == '-'
}

func (p *tagParser) next() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
	start := p.pos
	if p.pos >= len(p.src) {
		p.tok = tagToken{kind: tokEnd, col: start + 1}
		return
	}
	switch c := p.src[p.pos]; {
	case c == '(':
		p.pos++
		p.tok = tagToken{kind: tokLParen, text: "(", col: start + 1}
	case c == ')':
		p.pos++
		p.tok = tagToken{kind: tokRParen, text: ")", col: start + 1}
	case isTagChar(c):
		for p.pos < len(p.src) && isTagChar(p.src[p.pos]) {
			p.pos++
		}
		word := p.src[start:p.pos]
		kind := tokName
		switch strings.ToLower(word) {
		case "and":
			kind = tokAnd
		case "or":
			kind = tokOr
		case "not":
			kind = tokNot
		}
		p.tok = tagToken{kind: kind, text: word, col: start + 1}
	default:
		p.pos++
		p.tok = tagToken{kind: tokBad, text: p.src[start:p.pos], col: start + 1}
	}
}

func (p *tagParser) errorf(format string, args ...any) error {
	return fmt.Errorf("--tags %q: column %d: %s", p.src, p.tok.col, fmt.Sprintf(format, args...))
}

func (p *tagParser) or(depth int) (tagNode, error) {
	x, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tokOr {
		p.next()
		y, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		x = tagOr{x, y}
	}
	return x, nil
}

func (p *tagParser) and(depth int) (tagNode, error) {
	x, err := p.not(depth)
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tokAnd {
		p.next()
		y, err := p.not(depth)
		if err != nil {
			return nil, err
		}
		x = tagAnd{x, y}
	}
	return x, nil
}

func (p *tagParser) not(depth int) (tagNode, error) {
	if depth > maxTagDepth {
		return nil, p.errorf("expression nested more than %d deep", maxTagDepth)
	}
	switch p.tok.kind {
	case tokNot:
		p.next()
		x, err := p.not(depth + 1)
		if err != nil {
			return nil, err
		}
		return tagNot{x}, nil
	case tokLParen:
		p.next()
		x, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tokRParen {
			return nil, p.errorf("expected ')', got %s", p.tok)
		}
		p.next()
		return x, nil
	case tokName:
		n := tagName(p.tok.text)
		p.next()
		return n, nil
	}
	return nil, p.errorf("expected a tag name, 'not' or '(', got %s", p.tok)
}
