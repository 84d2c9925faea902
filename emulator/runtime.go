package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/specrun/specrun/internal/jsontext"
)

// MaxResultBytes is the largest result an action may produce (1 MB, NCP's and OpenWhisk's
// limit), counted on the runtime's answer as it sent it. A larger one is an application error.
const MaxResultBytes = 1 << 20

// OpenWhisk's messages (apache/openwhisk, http/ErrorResponse.scala Messages, and the runtimes).
const (
	msgAbnormalInit    = "The action did not initialize and exited unexpectedly."
	msgAbnormalRun     = "The action did not produce a valid response and exited unexpectedly."
	msgNotDictOrArray  = "The action did not return a dictionary or array."
	msgPythonNoStart   = "Cannot start action. Check logs for details."
	msgPythonNoStartLg = "Command exited abruptly during initialization."
	msgPythonExited    = "command exited"
)

// answer is a runtime's HTTP answer to /init or /run, as OpenWhisk's invoker receives it.
type answer struct {
	init bool   // the answer is to /init: the action failed to load
	code int    // HTTP status
	body []byte // the body, at most MaxResultBytes of it
	size int    // the body's whole length in bytes
}

// errorObject returns {"error": value} with value a JSON value.
func errorObject(value []byte) []byte {
	b := append([]byte(`{"error":`), compactValue(value)...)
	return append(b, '}')
}

// errorText returns {"error": "msg"}.
func errorText(msg string) []byte {
	b := jsontext.AppendString([]byte(`{"error":`), msg)
	return append(b, '}')
}

// compactValue returns a JSON value without insignificant space.
func compactValue(v []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(v))
	if err := json.Compact(&out, v); err != nil {
		return bytes.Clone(v)
	}
	return out.Bytes()
}

// errorField returns the value of an object's top-level "error" key.
func errorField(obj []byte) (json.RawMessage, bool) {
	if !bytes.Contains(obj, []byte(`error`)) {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return nil, false
	}
	v, ok := m["error"]
	return v, ok
}

// classify turns a runtime's answer into a result and a status as OpenWhisk's invoker does
// (ActivationResponse.processInitResponseContent and processRunResponseContent).
func classify(a answer) ([]byte, string) {
	if a.init {
		return classifyInit(a.body)
	}
	if a.size > MaxResultBytes {
		msg := fmt.Sprintf("The action produced a response that exceeded the allowed length: %d > %d bytes. The truncated response was: %s",
			a.size, MaxResultBytes, strings.ToValidUTF8(string(a.body[:min(len(a.body), MaxResultBytes)]), "\uFFFD"))
		return errorText(msg), statusAppError
	}
	v := bytes.TrimSpace(a.body)
	ok := a.code == 200
	if len(v) == 0 || !json.Valid(v) {
		return errorText(invalidRunResponse(a.body)), statusDevError
	}
	switch v[0] {
	case '{':
		if e, has := errorField(v); has {
			if ok {
				return errorObject(e), statusAppError
			}
			return errorObject(e), statusDevError
		}
		if ok {
			return compactValue(v), statusSuccess
		}
	case '[':
		if ok {
			return compactValue(v), statusSuccess
		}
	}
	return errorText(invalidRunResponse(a.body)), statusDevError
}

func classifyInit(body []byte) ([]byte, string) {
	v := bytes.TrimSpace(body)
	if len(v) > 0 && v[0] == '{' && json.Valid(v) {
		if e, has := errorField(v); has {
			return errorObject(e), statusDevError
		}
	}
	msg := "The action failed during initialization."
	if len(body) > 0 {
		msg = "The action failed during initialization: " + string(body)
	}
	return errorText(msg), statusDevError
}

func invalidRunResponse(body []byte) string {
	if len(body) == 0 {
		return "The action did not produce a valid JSON or JSON Array response."
	}
	return "The action did not produce a valid JSON or JSON Array response: " + strings.ToValidUTF8(string(body), "\uFFFD")
}

// channelLine is one line a runtime wrote on file descriptor 3.
type channelLine struct {
	text []byte // at most limit bytes of it
	size int    // its whole length, without the newline
}

// readChannel reads the lines of a runtime's result channel until EOF, keeping at most limit
// bytes of each and counting the rest, so that a huge result costs no memory.
func readChannel(r io.Reader, limit int) []channelLine {
	br := bufio.NewReaderSize(r, 64<<10)
	var lines []channelLine
	var cur channelLine
	for {
		chunk, err := br.ReadSlice('\n')
		full := errors.Is(err, bufio.ErrBufferFull)
		if err == nil {
			chunk = chunk[:len(chunk)-1]
		}
		cur.size += len(chunk)
		if room := limit - len(cur.text); room > 0 {
			cur.text = append(cur.text, chunk[:min(room, len(chunk))]...)
		}
		if full {
			continue
		}
		if err == nil || cur.size > 0 {
			lines = append(lines, cur)
		}
		cur = channelLine{}
		if err != nil {
			return lines
		}
	}
}

// parseAnswer parses "init CODE BODY" or "run CODE BODY".
func parseAnswer(l channelLine) (answer, bool) {
	phase, rest, _ := bytes.Cut(l.text, []byte(" "))
	code, body, _ := bytes.Cut(rest, []byte(" "))
	n, err := strconv.Atoi(string(code))
	if err != nil {
		return answer{}, false
	}
	head := len(phase) + 1 + len(code) + 1
	return answer{init: string(phase) == "init", code: n, body: body, size: l.size - head}, true
}

// nodeAnswer is the answer of OpenWhisk's Node.js runtime given what the shim wrote on fd 3.
func nodeAnswer(lines []channelLine) answer {
	if len(lines) == 0 {
		return answer{init: true, code: 502, body: errorText(msgAbnormalInit)}
	}
	a, ok := parseAnswer(lines[0])
	if !ok || a.code != 200 {
		return a
	}
	if len(lines) < 2 {
		return answer{code: 502, body: errorText(msgAbnormalRun)}
	}
	if a, ok = parseAnswer(lines[1]); !ok {
		return answer{code: 502, body: errorText(msgAbnormalRun)}
	}
	return a
}

// pythonAnswer is the answer of OpenWhisk's action loop proxy in front of the Python launcher
// given what the shim wrote on fd 3; lost reports a process that exited before its ack, whose
// logs then get the proxy's line.
func pythonAnswer(lines []channelLine) (a answer, lost bool) {
	if len(lines) == 0 {
		return answer{init: true, code: 502, body: errorText(msgPythonNoStart)}, true
	}
	init, ok := parseAnswer(lines[0])
	if !ok || init.code != 200 {
		return init, false
	}
	if len(lines) < 2 {
		return answer{code: 400, body: errorText(msgPythonExited)}, false
	}
	line, ok := bytes.CutPrefix(lines[1].text, []byte("result "))
	if !ok {
		return answer{code: 400, body: errorText(msgPythonExited)}, false
	}
	// The proxy answers the line with its newline when it is a JSON object, array or null.
	// A line longer than the limit is not checked: json.dumps writes valid JSON but for NaN.
	size := lines[1].size - len("result ") + 1
	v := bytes.TrimSpace(line)
	if size <= MaxResultBytes && (len(v) == 0 || !json.Valid(v) || !(v[0] == '{' || v[0] == '[' || string(v) == "null")) {
		return answer{code: 502, body: errorText(msgNotDictOrArray)}, false
	}
	body := append(line[:len(line):len(line)], '\n')
	return answer{code: 200, body: body, size: size}, false
}

// nativeAnswer is the answer of OpenWhisk's docker action proxy (actionproxy.py) given the last
// line of the executable's stdout: a JSON object or array is answered as Flask's jsonify
// writes it (keys sorted, ASCII only, a final newline), anything else is not a result.
func nativeAnswer(last string) (answer, bool) {
	dec := json.NewDecoder(strings.NewReader(strings.TrimSpace(last)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return answer{code: 502, body: errorText(msgNotDictOrArray)}, false
	}
	switch v.(type) {
	case map[string]any, []any:
	default:
		return answer{code: 502, body: errorText(msgNotDictOrArray)}, false
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // decoded values always encode; Encode adds the newline
	// The size is Flask's (ASCII only); the body keeps the characters, as OpenWhisk prints
	// the result it parsed.
	return answer{code: 200, body: buf.Bytes(), size: asciiJSONLen(buf.Bytes())}, true
}

// asciiJSONLen is the length of JSON text once every non-ASCII character is escaped as
// \uXXXX (two for a character outside the BMP), as Python's json module writes it by default.
func asciiJSONLen(b []byte) int {
	n := 0
	for _, r := range string(b) {
		switch {
		case r < utf8.RuneSelf:
			n++
		case r > 0xFFFF:
			n += 12
		default:
			n += 6
		}
	}
	return n
}
