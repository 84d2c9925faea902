package spec

import (
	"slices"
	"strings"

	"github.com/specrun/specrun/internal/jsontext"
)

// bodySeg is one segment of a precompiled JSON body: literal bytes, or a
// template node whose value is encoded at run time.
type bodySeg struct {
	lit []byte
	n   tnode
}

// compileBody turns dynamic params into JSON segments: everything static
// (keys, punctuation, constant values) is encoded once, at load time.
// Object keys are sorted, as encoding/json sorts them.
func compileBody(n tnode) ([]bodySeg, error) {
	var b bodyBuilder
	if err := b.walk(n); err != nil {
		return nil, err
	}
	b.flush()
	return b.segs, nil
}

// bodyBuilder collects the segments of a compiled body: cur is the static
// JSON since the last run-time value.
type bodyBuilder struct {
	segs []bodySeg
	cur  []byte
}

// flush ends the current static segment, if any.
func (b *bodyBuilder) flush() {
	if len(b.cur) > 0 {
		b.segs = append(b.segs, bodySeg{lit: b.cur})
		b.cur = nil
	}
}

func (b *bodyBuilder) walk(n tnode) error {
	switch n := n.(type) {
	case litNode:
		j, err := marshalJSON(n.v)
		if err != nil {
			return err
		}
		b.cur = append(b.cur, j...)
	case mapNode:
		return b.object(n)
	case listNode:
		return b.list(n)
	default:
		b.flush()
		b.segs = append(b.segs, bodySeg{n: n})
	}
	return nil
}

// object encodes a mapping with its keys sorted.
func (b *bodyBuilder) object(n mapNode) error {
	idx := make([]int, len(n.keys))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(x, y int) int { return strings.Compare(n.keys[x], n.keys[y]) })
	b.cur = append(b.cur, '{')
	for j, i := range idx {
		if j > 0 {
			b.cur = append(b.cur, ',')
		}
		b.cur = jsontext.AppendString(b.cur, n.keys[i])
		b.cur = append(b.cur, ':')
		if err := b.walk(n.vals[i]); err != nil {
			return err
		}
	}
	b.cur = append(b.cur, '}')
	return nil
}

func (b *bodyBuilder) list(n listNode) error {
	b.cur = append(b.cur, '[')
	for i, it := range n.items {
		if i > 0 {
			b.cur = append(b.cur, ',')
		}
		if err := b.walk(it); err != nil {
			return err
		}
	}
	b.cur = append(b.cur, ']')
	return nil
}

// appendBody encodes the segments with vars substituted.
func appendBody(dst []byte, segs []bodySeg, vars map[string]any) ([]byte, error) {
	for _, s := range segs {
		if s.n == nil {
			dst = append(dst, s.lit...)
			continue
		}
		v, err := s.n.resolve(vars)
		if err != nil {
			return nil, err
		}
		if str, ok := v.(string); ok {
			dst = jsontext.AppendString(dst, str)
			continue
		}
		b, err := marshalJSON(v)
		if err != nil {
			return nil, err
		}
		dst = append(dst, b...)
	}
	return dst, nil
}
