package spec

import (
	"slices"

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
	var segs []bodySeg
	var cur []byte
	var walk func(n tnode) error
	walk = func(n tnode) error {
		switch n := n.(type) {
		case litNode:
			b, err := marshalJSON(n.v)
			if err != nil {
				return err
			}
			cur = append(cur, b...)
		case mapNode:
			idx := make([]int, len(n.keys))
			for i := range idx {
				idx[i] = i
			}
			slices.SortFunc(idx, func(a, b int) int {
				switch {
				case n.keys[a] < n.keys[b]:
					return -1
				case n.keys[a] > n.keys[b]:
					return 1
				}
				return 0
			})
			cur = append(cur, '{')
			for j, i := range idx {
				if j > 0 {
					cur = append(cur, ',')
				}
				cur = jsontext.AppendString(cur, n.keys[i])
				cur = append(cur, ':')
				if err := walk(n.vals[i]); err != nil {
					return err
				}
			}
			cur = append(cur, '}')
		case listNode:
			cur = append(cur, '[')
			for i, it := range n.items {
				if i > 0 {
					cur = append(cur, ',')
				}
				if err := walk(it); err != nil {
					return err
				}
			}
			cur = append(cur, ']')
		default:
			if len(cur) > 0 {
				segs = append(segs, bodySeg{lit: cur})
				cur = nil
			}
			segs = append(segs, bodySeg{n: n})
		}
		return nil
	}
	if err := walk(n); err != nil {
		return nil, err
	}
	if len(cur) > 0 {
		segs = append(segs, bodySeg{lit: cur})
	}
	return segs, nil
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
