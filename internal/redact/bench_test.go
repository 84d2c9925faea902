package redact

import (
	"strings"
	"testing"
)

// exchange is a typical request and response as the -v log and the reports
// record them: about 2 KB, an authorization header, a JSON body that echoes
// two of the secrets.
func exchange() string {
	var b strings.Builder
	b.WriteString("POST /api/v2/namespaces/local/actions/p/login?blocking=true&result=false HTTP/1.1\n")
	b.WriteString("Host: 127.0.0.1:39091\nContent-Type: application/json\nx-ncp-apigw-timestamp: 1764470000000\n")
	b.WriteString("x-ncp-iam-access-key: AKIDEXAMPLE12345\nx-ncp-apigw-signature-v2: q3Vv0Vh0yQ0pIu2xkK1s7RjvJkqf4h2n9mWcVZ0a1Bc=\n\n")
	b.WriteString(`{"user":"bobby","password":"hunter2-Very$ecret","note":"`)
	b.WriteString(strings.Repeat("lorem ipsum dolor sit amet ", 20))
	b.WriteString("\"}\n\nHTTP/1.1 200 OK\nContent-Type: application/json\nX-Request-Id: 5f1c0e7a-3a2b-4c8d-9e0f-1a2b3c4d5e6f\n\n")
	b.WriteString(`{"activationId":"0f1e2d3c4b5a69788796a5b4c3d2e1f0","response":{"status":"success","success":true,"result":{"token":"Tok_Ab3dE6gH9jAb3dE6gH9j","echo":"hunter2-Very$ecret","items":[`)
	for i := 0; b.Len() < 1900; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"id":12345,"name":"item","ok":true}`)
	}
	b.WriteString("]}}}\n")
	return b.String()
}

// BenchmarkString redacts a typical 2 KB exchange of three secrets, two of
// which it holds, and the same exchange once its secrets are masked.
func BenchmarkString(b *testing.B) {
	red := New([]string{"hunter2-Very$ecret", "Tok_Ab3dE6gH9jAb3dE6gH9j", "sk-0123456789abcdef"}, "AKIDEXAMPLE12345", "AKID…")
	for _, bc := range []struct{ name, text string }{
		{"secrets", exchange()},
		{"clean", red.String(exchange())},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			for b.Loop() {
				red.String(bc.text)
			}
		})
	}
}

// BenchmarkAddCaptured adds 1,000 captured secrets one by one, as a run
// whose every test captures a token does, redacting an exchange after each:
// the cost of Add grows with the secrets already held, so the whole grows
// with the square of their number.
func BenchmarkAddCaptured(b *testing.B) {
	text := exchange()
	for b.Loop() {
		red := New([]string{"hunter2-Very$ecret", "Tok_Ab3dE6gH9jAb3dE6gH9j", "sk-0123456789abcdef"}, "AKIDEXAMPLE12345", "AKID…")
		for i := range 1000 {
			red.Add("tok-" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strings.Repeat("9", 1+i%5) + "-" + string(rune('A'+i/26%26)) + string(rune('a'+i/676)))
			red.String(text)
		}
	}
}
