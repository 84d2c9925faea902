package client

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestSecretNeverPrinted(t *testing.T) {
	const secret = "S3cr3t-VALUE-never-printed"
	creds := Credentials{AccessKey: "AKIDEXAMPLE", SecretKey: secret, Source: "test"}
	cfg := Config{Endpoint: "http://127.0.0.1:1/api/v2", Credentials: creds, MaxRetries: 2, Now: time.Now}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	signer := NewSigner(creds, http.DefaultTransport, nil)
	values := map[string]any{
		"Credentials": creds, "*Credentials": &creds,
		"Config": cfg, "*Config": &cfg,
		"Client": *c, "*Client": c,
		"*Signer": signer,
		"[]any":   []any{creds, cfg, c},
		"struct":  struct{ C Config }{cfg},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%p", "%T", "%10.200s", "%-v"}
	for name, v := range values {
		for _, verb := range verbs {
			if verb == "%p" && !strings.HasPrefix(name, "*") {
				continue
			}
			out := fmt.Sprintf(verb, v)
			for _, leak := range []string{secret, fmt.Sprintf("%x", secret), fmt.Sprintf("%X", secret)} {
				if strings.Contains(out, leak) {
					t.Errorf("fmt.Sprintf(%q, %s) prints the secret: %s", verb, name, out)
				}
			}
		}
	}
	// The access key is still shown, so the printed forms are useful.
	for _, s := range []string{fmt.Sprint(creds), fmt.Sprint(cfg), fmt.Sprint(c), fmt.Sprintf("%#v", creds), signer.String()} {
		if !strings.Contains(s, "AKIDEXAMPLE") || !strings.Contains(s, redactedSecret) {
			t.Errorf("printed form lacks the access key or the redaction mark: %s", s)
		}
	}
}

func TestPrintedForms(t *testing.T) {
	creds := Credentials{AccessKey: "AK", SecretKey: "SK", Source: "env"}
	tests := []struct {
		name, verb string
		v          any
		want       string
	}{
		{"credentials %v", "%v", creds, "Credentials{AccessKey: AK, SecretKey: <redacted>, Source: env}"},
		{"credentials %#v", "%#v", creds, `client.Credentials{AccessKey:"AK", SecretKey:"<redacted>", Source:"env"}`},
		{"credentials %q", "%q", creds, `"Credentials{AccessKey: AK, SecretKey: <redacted>, Source: env}"`},
		{"credentials %d", "%d", creds, "%!d(Credentials{AccessKey: AK, SecretKey: <redacted>, Source: env})"},
		{"empty secret", "%v", Credentials{AccessKey: "AK"}, "Credentials{AccessKey: AK, SecretKey: <empty>, Source: }"},
		{"config %v", "%v", Config{Endpoint: "http://x/api/v2", Credentials: creds, MaxRetries: 3, Rate: 2.5},
			"Config{Endpoint: http://x/api/v2, Credentials: Credentials{AccessKey: AK, SecretKey: <redacted>, Source: env}, HTTPClient: false, Parallelism: 0, MaxRetries: 3, RetryDelay: 0s, MaxRetryDelay: 0s, Rate: 2.5, MaxResponseBytes: 0, Now: false, Rand: false}"},
		{"config %#v", "%#v", Config{Credentials: creds},
			`client.Config{Endpoint: , Credentials: client.Credentials{AccessKey:"AK", SecretKey:"<redacted>", Source:"env"}, HTTPClient: false, Parallelism: 0, MaxRetries: 0, RetryDelay: 0s, MaxRetryDelay: 0s, Rate: 0, MaxResponseBytes: 0, Now: false, Rand: false}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmt.Sprintf(tt.verb, tt.v); got != tt.want {
				t.Fatalf("Sprintf(%s)\n got: %s\nwant: %s", tt.verb, got, tt.want)
			}
		})
	}
}

func TestClientString(t *testing.T) {
	c, err := New(Config{Endpoint: "https://example.test/ncf/api/v2/", Credentials: Credentials{AccessKey: "AK", SecretKey: "SK"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	want := "Client{Endpoint: https://example.test/ncf/api/v2, AccessKey: AK, SecretKey: <redacted>}"
	if got := fmt.Sprint(c); got != want {
		t.Fatalf("Sprint(client) = %s, want %s", got, want)
	}
	if got := fmt.Sprintf("%#v", c); got != "client."+want {
		t.Fatalf("Sprintf(%%#v, client) = %s", got)
	}
}
