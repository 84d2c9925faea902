package client

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// jsonCases are bodies at the edges of JSON's grammar; TestDecodeJSONValid
// and the seeds of FuzzDecodeJSON use them.
var jsonCases = []string{
	`{"content":{"activationId":"abc","response":{"result":{"payload":"abc"},"status":"success","success":true}}}`,
	`null`, `true`, `false`, ` 0 `, `-0`, `1.5e+10`, `-1E-2`, `123456789012345678901234567890`, `0.0`,
	`01`, `-`, `1.`, `.5`, `1e`, `1e+`, `+1`, `-01`, `0x10`, `1.5.5`, `Infinity`, `NaN`,
	`[]`, `{}`, ` [ ] `, `[1,]`, `[,1]`, `{"a":1,}`, `{,}`, `{"a"}`, `{"a":}`, `{a:1}`, `{"a" 1}`, `{"a":1 "b":2}`,
	`{"a":1,"a":2}`, `[1 2]`, `[null,false,"x",{"y":[]}]`,
	`""`, `"a\"b\\c\/d\be\ff\ng\rh\ti"`, `"\'"`, `"\u0041\u00e9\u20AC"`, `"\u00"`, `"\ud83d\ude00"`, `"\ud83d"`,
	"\"\x01\"", "\"\xff\"", "{\"\xff\":1}", `"unterminated`, `"\`,
	"", " ", "\t\r\n", `x`, `{"content":{}} x`, `1 2`, "\xef\xbb\xbf{}", `tru`, `truex`, `[true`, `{"a":1`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name, body string
		want       any
		wantErr    string
	}{
		{name: "numbers keep their text", body: `[0,-1.50,2E+3]`,
			want: []any{json.Number("0"), json.Number("-1.50"), json.Number("2E+3")}},
		{name: "last duplicate key wins", body: `{"a":1,"b":2,"a":3}`,
			want: map[string]any{"a": json.Number("3"), "b": json.Number("2")}},
		{name: "empty array is not nil", body: `{"a":[]}`, want: map[string]any{"a": []any{}}},
		{name: "surrogate pair decoded", body: `"\ud83d\ude00"`, want: "\U0001F600"},
		{name: "lone surrogate becomes U+FFFD", body: `"\ud83dx\ude00"`, want: "\uFFFDx\uFFFD"},
		{name: "invalid UTF-8 becomes U+FFFD", body: "\"a\xffb\"", want: "a\uFFFDb"},
		{name: "surrounding whitespace", body: " \t{}\r\n", want: map[string]any{}},

		{name: "empty", body: " \n", wantErr: "it is empty"},
		{name: "trailing data", body: `{} x`, wantErr: "unexpected data after the JSON value at offset 2"},
		{name: "two values", body: `1 2`, wantErr: "unexpected data after the JSON value at offset 1"},
		{name: "leading zero", body: `[01]`, wantErr: "invalid character '1' after array element"},
		{name: "unterminated object", body: `{"a":1`, wantErr: "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeJSON([]byte(tt.body))
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tt.wantErr {
				t.Fatalf("error = %q, want %q", gotErr, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestDecodeJSONValid(t *testing.T) {
	for _, c := range jsonCases {
		checkDecodeJSON(t, []byte(c))
	}
}

// checkDecodeJSON fails when decodeJSON accepts what json.Valid refuses or
// the other way round, or when what it returns references data (the caller
// keeps the value and may reuse the bytes).
func checkDecodeJSON(t *testing.T, data []byte) {
	t.Helper()
	scratch := append([]byte(nil), data...)
	got, err := decodeJSON(scratch)
	if valid := json.Valid(data); (err == nil) != valid {
		t.Fatalf("%.200q: decodeJSON error %v, json.Valid %v", data, err, valid)
	}
	if err != nil {
		return
	}
	want := deepCopy(got)
	for i := range scratch {
		scratch[i] = 'x'
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%.200q: the decoded value changed with the body's bytes", data)
	}
}

// deepCopy copies a decoded JSON value, strings included.
func deepCopy(v any) any {
	switch v := v.(type) {
	case string:
		return strings.Clone(v)
	case json.Number:
		return json.Number(strings.Clone(string(v)))
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = deepCopy(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[strings.Clone(k)] = deepCopy(x)
		}
		return out
	}
	return v
}

func FuzzDecodeJSON(f *testing.F) {
	for _, c := range jsonCases {
		if len(c) < 1000 {
			f.Add([]byte(c))
		}
	}
	f.Add([]byte(strings.Repeat("[", 100) + strings.Repeat("]", 100)))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecodeJSON(t, data)
	})
}

// envelope is an NCP invocation response as the API documents it.
const envelope = `{"content":{"activationId":"0123456789abcdef0123456789abcdef","duration":33,"start":1714021538088,"end":1714021538121,"name":"action000","namespace":"ns","subject":"ns","response":{"result":{"payload":"abc","items":[{"id":1},{"id":2}]},"status":"success","success":true}}}`

// BenchmarkDecodeJSON is the decoding every invocation's response goes
// through; its allocations are information, not a budget.
func BenchmarkDecodeJSON(b *testing.B) {
	body := []byte(envelope)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := decodeJSON(body); err != nil {
			b.Fatal(err)
		}
	}
}
