package client

import (
	"encoding/json"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth is the deepest nesting of arrays and objects parseJSON
// accepts: encoding/json's own limit, so that both accept the same bodies.
const maxJSONDepth = 10000

// jsonSyntaxError is parseJSON's error: what was wrong and at which byte
// offset of the body.
type jsonSyntaxError struct {
	msg    string
	offset int
}

func (e *jsonSyntaxError) Error() string {
	return e.msg + " at offset " + strconv.Itoa(e.offset)
}

// parseJSON decodes data as exactly one JSON value surrounded by optional
// whitespace, into what encoding/json's Decoder with UseNumber produces for
// an any: nil, bool, string, json.Number (the literal text), []any (never
// nil) and map[string]any (the last of duplicate keys wins). Invalid UTF-8
// and lone surrogate escapes in strings become U+FFFD as encoding/json
// makes them; nesting deeper than maxJSONDepth is an error. When data is
// at most maxSharedText bytes, strings and numbers without escapes are
// substrings of one copy of it (one allocation instead of one per value);
// data itself is never referenced. It accepts
// exactly the inputs encoding/json accepts (FuzzDecodeJSON checks it); its
// errors give the offset of the first bad byte.
func parseJSON(data []byte) (any, error) {
	p := parsers.Get().(*jsonParser)
	p.data, p.pos, p.depth = data, 0, 0
	if len(data) <= maxSharedText {
		p.text = string(data)
	}
	v, err := p.document()
	p.data, p.text = nil, ""
	// Whatever an error left on the stacks is cleared, so that no value
	// of this body stays reachable from the pool.
	clear(p.members)
	clear(p.elems)
	p.members, p.elems = p.members[:0], p.elems[:0]
	if cap(p.members) > maxKeptStack {
		p.members = nil
	}
	if cap(p.elems) > maxKeptStack {
		p.elems = nil
	}
	parsers.Put(p)
	return v, err
}

func (p *jsonParser) document() (any, error) {
	p.skipSpace()
	if p.pos == len(p.data) {
		return nil, p.fail("empty body")
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.data) {
		return nil, p.fail("unexpected data after the JSON value")
	}
	return v, nil
}

// jsonParser is the state of one parseJSON call.
type jsonParser struct {
	data  []byte
	pos   int
	depth int
	// text is data as one string when data is small enough
	// (maxSharedText): strings and numbers without escapes are then
	// substrings of it instead of copies of their own.
	text string
	// members and elems hold the members of the objects and the elements
	// of the arrays being parsed, innermost last, so that each container
	// is made once, at its exact size, when it closes: a map that outgrows
	// its first group of 8 is otherwise rebuilt, and a slice regrown
	// several times. They are kept between calls (parsers are pooled).
	members []member
	elems   []any
}

// member is one name/value pair of an object being parsed.
type member struct {
	name  string
	value any
}

// parsers keeps jsonParsers, with their stacks, between calls.
var parsers = sync.Pool{New: func() any { return new(jsonParser) }}

// maxSharedText is the largest body whose decoded strings share one copy of
// it: a value kept (a capture) then keeps at most this much alive.
const maxSharedText = 64 << 10

// maxKeptStack bounds the stacks a pooled parser keeps: a parser that
// met a huge container lets its stacks go.
const maxKeptStack = 1024

func (p *jsonParser) fail(msg string) error {
	if p.pos >= len(p.data) {
		msg = "unexpected end of JSON input: " + msg
	} else {
		msg = "invalid character " + strconv.QuoteRune(rune(p.data[p.pos])) + ": " + msg
	}
	return &jsonSyntaxError{msg: msg, offset: p.pos}
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value parses the value at p.pos, which is not whitespace.
func (p *jsonParser) value() (any, error) {
	if p.pos >= len(p.data) {
		return nil, p.fail("expected a value")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		// The statuses of an activation, boxed once by the compiler.
		switch s {
		case "success":
			return "success", nil
		case "application error":
			return "application error", nil
		case "action developer error":
			return "action developer error", nil
		case "whisk internal error":
			return "whisk internal error", nil
		}
		return s, nil
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	}
	return nil, p.fail("expected a value")
}

func (p *jsonParser) literal(lit string) error {
	for i := 0; i < len(lit); i++ {
		if p.pos >= len(p.data) || p.data[p.pos] != lit[i] {
			return p.fail("expected " + lit)
		}
		p.pos++
	}
	return nil
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.fail("nesting deeper than " + strconv.Itoa(maxJSONDepth))
	}
	p.pos++ // the '{' or '['
	return nil
}

func (p *jsonParser) object() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return make(map[string]any), nil
	}
	base := len(p.members)
	for {
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.fail("expected a string key")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.fail("expected ':' after an object key")
		}
		p.pos++
		p.skipSpace()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.members = append(p.members, member{k, v})
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.fail("expected ',' or '}' after an object value")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
		case '}':
			p.pos++
			p.depth--
			top := p.members[base:]
			m := make(map[string]any, len(top))
			for _, e := range top {
				m[e.name] = e.value // the last of duplicate names wins
			}
			clear(top)
			p.members = p.members[:base]
			return m, nil
		default:
			return nil, p.fail("expected ',' or '}' after an object value")
		}
	}
}

func (p *jsonParser) array() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return make([]any, 0), nil
	}
	base := len(p.elems)
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.elems = append(p.elems, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.fail("expected ',' or ']' after an array element")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
		case ']':
			p.pos++
			p.depth--
			top := p.elems[base:]
			a := make([]any, len(top))
			copy(a, top)
			clear(top)
			p.elems = p.elems[:base]
			return a, nil
		default:
			return nil, p.fail("expected ',' or ']' after an array element")
		}
	}
}

// number parses -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and keeps
// its text.
func (p *jsonParser) number() (any, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.pos < len(p.data) && p.data[p.pos] == '0':
		p.pos++
	case p.pos < len(p.data) && '1' <= p.data[p.pos] && p.data[p.pos] <= '9':
		p.digits()
	default:
		return nil, p.fail("expected a digit in a number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if !p.digits() {
			return nil, p.fail("expected a digit after the decimal point")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if !p.digits() {
			return nil, p.fail("expected a digit in the exponent")
		}
	}
	if p.pos-start == 1 {
		// A single digit, boxed once by the compiler.
		return smallNumbers[p.data[start]-'0'], nil
	}
	return json.Number(p.substr(start, p.pos)), nil
}

// digits skips [0-9]* and says whether there was one.
func (p *jsonParser) digits() bool {
	start := p.pos
	for p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9' {
		p.pos++
	}
	return p.pos > start
}

// str parses the string at p.pos (its opening quote).
func (p *jsonParser) str() (string, error) {
	p.pos++
	start := p.pos
	// The common case: printable ASCII and valid UTF-8 with no escape, taken
	// as it is.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			s := knownString(p.data[start:p.pos])
			if s == "" && p.pos > start {
				s = p.substr(start, p.pos)
			}
			p.pos++
			return s, nil
		case c == '\\' || c < ' ':
			return p.strSlow(start)
		case c < utf8.RuneSelf:
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			if r == utf8.RuneError && size == 1 {
				return p.strSlow(start)
			}
			p.pos += size
		}
	}
	return "", p.fail("expected '\"' to end a string")
}

// strSlow finishes a string with escapes or invalid UTF-8 from p.pos,
// start being the offset of its first byte; it decodes as encoding/json
// does: each byte of invalid UTF-8 becomes U+FFFD, and so does a \u escape
// of a surrogate that is not the first of a valid pair of escapes.
func (p *jsonParser) strSlow(start int) (string, error) {
	b := make([]byte, p.pos-start, p.pos-start+64)
	copy(b, p.data[start:p.pos])
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(b), nil
		case c < ' ':
			return "", p.fail("control character in a string")
		case c == '\\':
			if p.pos+1 >= len(p.data) {
				p.pos++
				return "", p.fail("expected an escape")
			}
			switch e := p.data[p.pos+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4(p.pos + 2)
				if !ok {
					p.pos += 2
					return "", p.fail("expected four hex digits after \\u")
				}
				p.pos += 6
				if utf16.IsSurrogate(r) {
					// The first of a pair when a valid second follows;
					// anything else is U+FFFD, and what follows is read
					// on its own.
					pair := utf8.RuneError
					if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
						if r2, ok := p.hex4(p.pos + 2); ok {
							pair = utf16.DecodeRune(r, r2)
						}
					}
					r = pair
					if pair != utf8.RuneError {
						p.pos += 6
					}
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				p.pos++
				return "", p.fail("invalid escape in a string")
			}
			p.pos += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			b = utf8.AppendRune(b, r) // RuneError for a bad byte
			p.pos += size
		}
	}
	return "", p.fail("expected '\"' to end a string")
}

// hex4 reads the four hex digits at offset i.
func (p *jsonParser) hex4(i int) (rune, bool) {
	if i+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// substr returns the text of data[i:j]: a substring of p.text when there
// is one, else a copy.
func (p *jsonParser) substr(i, j int) string {
	if p.text != "" {
		return p.text[i:j]
	}
	return string(p.data[i:j])
}

// smallNumbers are the numbers 0 to 9, boxed.
var smallNumbers = [10]any{
	json.Number("0"), json.Number("1"), json.Number("2"), json.Number("3"), json.Number("4"),
	json.Number("5"), json.Number("6"), json.Number("7"), json.Number("8"), json.Number("9"),
}

// knownString returns b as a constant when it is one of the keys or values
// of the API's responses, else "".
func knownString(b []byte) string {
	switch string(b) { // compared without a conversion
	case "content":
		return "content"
	case "activationId":
		return "activationId"
	case "duration":
		return "duration"
	case "start":
		return "start"
	case "end":
		return "end"
	case "name":
		return "name"
	case "namespace":
		return "namespace"
	case "subject":
		return "subject"
	case "response":
		return "response"
	case "result":
		return "result"
	case "status":
		return "status"
	case "success":
		return "success"
	case "logs":
		return "logs"
	case "error":
		return "error"
	case "errorCode":
		return "errorCode"
	case "message":
		return "message"
	case "details":
		return "details"
	case "code":
		return "code"
	case "annotations":
		return "annotations"
	case "version":
		return "version"
	case "publish":
		return "publish"
	}
	return ""
}
