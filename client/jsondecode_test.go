package client

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/specrun/specrun/internal/race"
)

// jsonCases are bodies where a hand-written JSON parser easily parts from
// encoding/json; TestParseJSON and the seeds of FuzzDecodeJSON use them.
var jsonCases = []string{
	`{"content":{"activationId":"abc","response":{"result":{"payload":"abc"},"status":"success","success":true}}}`,
	`null`, `true`, `false`, ` 0 `, `-0`, `1.5e+10`, `-1E-2`, `123456789012345678901234567890`, `0.0`,
	`01`, `-`, `1.`, `.5`, `1e`, `1e+`, `+1`, `-01`, `0x10`, `1.5.5`, `Infinity`, `NaN`,
	`[]`, `{}`, ` [ ] `, `[1,]`, `[,1]`, `{"a":1,}`, `{,}`, `{"a"}`, `{"a":}`, `{a:1}`, `{"a" 1}`, `{"a":1 "b":2}`,
	`{"a":1,"a":2}`, `{"a":{"b":1},"a":[true]}`, `[1 2]`, `[null,false,"x",{"y":[]}]`,
	`""`, `"abc"`, `"a\"b\\c\/d\be\ff\ng\rh\ti"`, `"\'"`, `"\x41"`, `"\u0041\u00e9\u20AC"`, `"\u00"`, `"\u00g0"`,
	`"\ud83d\ude00"`, `"\ud83d"`, `"\ude00"`, `"\ud83d\u0041"`, `"\ud83d\ud83d\ude00"`, `"\ud83dx"`, `"\ud83d\"`, `"\ud83d\u12"`,
	`"\uDBFF\uDFFF"`, `"\u0000"`, "\"\x01\"", "\"\x7f\"", "\"tab\there\"", `"unterminated`, `"\`,
	"\"\xff\"", "\"a\xc3\"", "\"\xe2\x82\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xc3\xa9\"", "\"\xf0\x9f\x98\x80\"",
	"{\"\xff\":1}", "\"\xc0\xaf\"", "\"\xe2\x82\\n\"",
	"", " ", "\t\r\n", `x`, `{"content":{}} x`, `1 2`, "\xef\xbb\xbf{}", `tru`, `truex`, `nul`, `nulll`, `[true`, `{"a":1`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000),
	strings.Repeat(`{"a":`, 10001) + "1" + strings.Repeat("}", 10001),
	strings.Repeat("[", 20000),
}

// stdDecode is what parseJSON must match: encoding/json's Decoder with
// UseNumber, exactly one value and nothing but whitespace after it.
func stdDecode(data []byte) (any, error) { return decodeJSONStd(data) }

func TestParseJSON(t *testing.T) {
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
		{name: "high surrogate then a letter escape", body: `"\ud83d\u0041"`, want: "\uFFFDA"},
		{name: "each invalid UTF-8 byte becomes U+FFFD", body: "\"a\xed\xa0\x80b\"", want: "a\uFFFD\uFFFD\uFFFDb"},
		{name: "escapes", body: `"\"\\\/\b\f\n\r\t"`, want: "\"\\/\b\f\n\r\t"},
		{name: "depth 10000 accepted", body: strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
			want: nest(10000)},

		{name: "empty", body: " \n", wantErr: "unexpected end of JSON input: empty body at offset 2"},
		{name: "trailing data", body: `{} x`, wantErr: `invalid character 'x': unexpected data after the JSON value at offset 3`},
		{name: "leading zero", body: `[01]`, wantErr: `invalid character '1': expected ',' or ']' after an array element at offset 2`},
		{name: "single-quote escape", body: `"\'"`, wantErr: `invalid character '\'': invalid escape in a string at offset 2`},
		{name: "short unicode escape", body: `"\u12"`, wantErr: `invalid character '1': expected four hex digits after \u at offset 3`},
		{name: "control character", body: "\"a\nb\"", wantErr: `invalid character '\n': control character in a string at offset 2`},
		{name: "unterminated object", body: `{"a":1`, wantErr: `unexpected end of JSON input: expected ',' or '}' after an object value at offset 6`},
		{name: "depth 10001 refused", body: strings.Repeat("[", 10001),
			wantErr: `invalid character '[': nesting deeper than 10000 at offset 10000`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseJSON([]byte(tt.body))
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

// nest returns n nested empty arrays.
func nest(n int) any {
	v := []any{}
	for range n - 1 {
		v = []any{v}
	}
	return v
}

func TestParseJSONMatchesEncodingJSON(t *testing.T) {
	for _, c := range jsonCases {
		checkSameAsStd(t, []byte(c))
	}
}

// checkSameAsStd fails when parseJSON and encoding/json disagree on data,
// or when decodeJSON's result or message differs from encoding/json's.
func checkSameAsStd(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := stdDecode(data)
	// Parse a copy and then spoil it: what parseJSON returns must not
	// reference the bytes it was given (the caller keeps and may reuse them).
	scratch := append([]byte(nil), data...)
	got, err := parseJSON(scratch)
	for i := range scratch {
		scratch[i] = 'x'
	}
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%.200q: parseJSON error %v, encoding/json error %v", data, err, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%.200q: parseJSON %#v, encoding/json %#v", data, got, want)
	}
	got, err = decodeJSON(data)
	if !reflect.DeepEqual(got, want) || (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("%.200q: decodeJSON %#v, %v; encoding/json %#v, %v", data, got, err, want, wantErr)
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, c := range jsonCases {
		if len(c) < 1000 {
			f.Add([]byte(c))
		}
	}
	f.Add([]byte(strings.Repeat("[", 100) + strings.Repeat("]", 100)))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSameAsStd(t, data)
	})
}

func BenchmarkDecodeJSON(b *testing.B) {
	body := []byte(`{"content":{"activationId":"0123456789abcdef0123456789abcdef","duration":12,"end":1764249600012,"logs":[],"name":"fixed","namespace":"local","response":{"result":{"payload":"abc","items":[1,2.5,"x\u00e9",true,null]},"status":"success","success":true},"start":1764249600000}}`)
	for _, bb := range []struct {
		name   string
		decode func([]byte) (any, error)
	}{{"parseJSON", parseJSON}, {"encoding-json", decodeJSONStd}} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := bb.decode(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// envelope is an NCP invocation response as the API documents it.
const envelope = `{"content":{"activationId":"0123456789abcdef0123456789abcdef","duration":33,"start":1714021538088,"end":1714021538121,"name":"action000","namespace":"ns","subject":"ns","response":{"result":{"payload":"abc","items":[{"id":1},{"id":2}]},"status":"success","success":true}}}`

// Decoding is on every invocation's path; its allocations are a budget
// that a change must not raise unnoticed (they are exact, unlike times).
// Most are inherent to map[string]any: six maps of two allocations or more,
// and every string or number value boxed; one copy of the body holds all
// the text (API keys, statuses and digits cost nothing). It was 38 before
// the containers were sized and 34 before the text was shared.
func TestDecodeJSONAllocationBudget(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector changes allocation counts; .ci/run runs this without it")
	}
	body := []byte(envelope)
	if _, err := parseJSON(body); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(200, func() { _, _ = parseJSON(body) }); n > 23 {
		t.Errorf("parseJSON of the NCP envelope makes %v allocations; the budget is 23", n)
	}
}

// Above maxSharedText, values are copies of their own instead of substrings
// of one copy of the body; the result is the same.
func TestParseJSONLargeBody(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := 0; b.Len() <= 2*maxSharedText; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"item %d","esc":"a\"b\u00e9","n":-%d.5e3,"ok":true}`, i, i, i)
	}
	b.WriteString(`]}`)
	checkSameAsStd(t, []byte(b.String()))
	checkSameAsStd(t, []byte(b.String()[:maxSharedText/2]+`"`)) // invalid, under the threshold
}
