package assert

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// benchDoc builds a decoded response of about 100 KB: 640 items.
func benchDoc(b *testing.B) any {
	b.Helper()
	var sb strings.Builder
	sb.WriteString(`{"content":{"duration":231,"start":"2024-05-01T10:00:00Z","response":{"success":true,"status":"ok","result":{"id":"req-0001","items":[`)
	for i := 0; i < 640; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":%d,"name":"item number %d","price":%d.5,"tags":["alpha","beta","gamma"],"created":"2024-04-%02dT08:00:00Z","owner":{"id":%d,"email":"user%d@example.com"}}`,
			i+1, i, 10+i%50, 1+i%28, i%7, i%7)
	}
	sb.WriteString(`],"meta":{"page":1,"total":640}}}}}`)
	if sb.Len() < 90_000 {
		b.Fatalf("document is only %d bytes", sb.Len())
	}
	return decode(b, sb.String())
}

func benchAssertions(b *testing.B) []*Assertion {
	b.Helper()
	const r = "content.response.result."
	itemSchema := map[string]any{"type": "object", "required": []any{"id", "name"},
		"properties": map[string]any{"id": map[string]any{"type": "integer"}, "name": map[string]any{"type": "string"}}}
	specs := []struct {
		path string
		ops  []Op
	}{
		{"content.response.success", []Op{{"equals", true}}},
		{"content.response.status", []Op{{"matches", "^(ok|done)$"}}},
		{"content.duration", []Op{{"lt", json.Number("1000")}}},
		{r + "items[*]", []Op{{"count", json.Number("640")}}},
		{r + "items", []Op{{"len", map[string]any{"gte": json.Number("1")}}}},
		{r + "items[0].tags", []Op{{"contains", "beta"}}},
		{r + "meta.total", []Op{{"type", "integer"}}},
		{r + "items[0]", []Op{{"schema", itemSchema}}},
		{r + "meta", []Op{{"subset", map[string]any{"page": json.Number("1"), "total": json.Number("640")}}}},
		{r + "items[3].owner.email", []Op{{"matches", `^user\d+@example\.com$`}}},
		{"content.start", []Op{{"lt", "2025-01-01T00:00:00Z"}}},
	}
	out := make([]*Assertion, len(specs))
	for i, s := range specs {
		a, err := New(MustParsePath(s.path), s.ops, Options{})
		if err != nil {
			b.Fatal(err)
		}
		out[i] = a
	}
	return out
}

func BenchmarkCheck100KB(b *testing.B) {
	doc := benchDoc(b)
	as := benchAssertions(b)
	for _, a := range as {
		if f := a.Check(doc, nil); f != nil {
			b.Fatalf("%s failed: %v", a.Path(), f)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, a := range as {
			if a.Check(doc, nil) != nil {
				b.Fatal("failure")
			}
		}
	}
}

func BenchmarkParsePath(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePath("content.response.result.items[?@.price > 10].owner.email"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEqualNumbers(b *testing.B) {
	x, y := json.Number("100"), json.Number("1e2")
	b.ReportAllocs()
	for b.Loop() {
		if !Equal(x, y) {
			b.Fatal("not equal")
		}
	}
}

func BenchmarkCheckEach(b *testing.B) {
	doc := benchDoc(b)
	for _, a := range benchAssertions(b) {
		b.Run(strings.NewReplacer("[", "(", "]", ")").Replace(a.Path().String()), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if a.Check(doc, nil) != nil {
					b.Fatal("failure")
				}
			}
		})
	}
}
