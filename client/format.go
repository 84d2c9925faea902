package client

import (
	"fmt"
	"strconv"
	"strings"
)

// redactedSecret stands for a secret key in every printed form.
const redactedSecret = "<redacted>"

// String describes the credentials with the secret key redacted.
func (c Credentials) String() string {
	return "Credentials{AccessKey: " + c.AccessKey + ", SecretKey: " + secretMark(c.SecretKey) + ", Source: " + c.Source + "}"
}

// GoString is String for %#v: the secret key is redacted.
func (c Credentials) GoString() string {
	return "client.Credentials{AccessKey:" + strconv.Quote(c.AccessKey) + ", SecretKey:" + strconv.Quote(secretMark(c.SecretKey)) +
		", Source:" + strconv.Quote(c.Source) + "}"
}

// Format makes every fmt verb print the redacted forms (String, or GoString
// for %#v), so no verb can print the secret key.
func (c Credentials) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.String(), c.GoString())
}

// String describes the configuration with the secret key redacted.
func (c Config) String() string {
	var b strings.Builder
	b.WriteString("Config{Endpoint: ")
	b.WriteString(c.Endpoint)
	b.WriteString(", Credentials: ")
	b.WriteString(c.Credentials.String())
	fmt.Fprintf(&b, ", HTTPClient: %t, Parallelism: %d, MaxRetries: %d, RetryDelay: %s, MaxRetryDelay: %s, Rate: %g, MaxResponseBytes: %d, Now: %t, Rand: %t}",
		c.HTTPClient != nil, c.Parallelism, c.MaxRetries, c.RetryDelay, c.MaxRetryDelay, c.Rate, c.MaxResponseBytes, c.Now != nil, c.Rand != nil)
	return b.String()
}

// GoString is String for %#v: the secret key is redacted.
func (c Config) GoString() string {
	return "client." + strings.Replace(c.String(), c.Credentials.String(), c.Credentials.GoString(), 1)
}

// Format makes every fmt verb print the redacted forms, so no verb can print
// the secret key.
func (c Config) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String(), c.GoString()) }

// String describes the client: its endpoint and access key, never the
// secret key.
func (c Client) String() string {
	return "Client{Endpoint: " + c.endpoint + ", AccessKey: " + c.cfg.Credentials.AccessKey + ", SecretKey: " +
		secretMark(c.cfg.Credentials.SecretKey) + "}"
}

// GoString is String for %#v: the secret key is redacted.
func (c Client) GoString() string { return "client." + c.String() }

// Format makes every fmt verb print the redacted forms, so no verb can print
// the secret key, also when a Client value is formatted.
func (c Client) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String(), c.GoString()) }

// GoString is String for %#v: the secret key is redacted.
func (s *Signer) GoString() string { return "&client." + s.String()[len("client."):] }

// Format makes every fmt verb print the redacted forms, so no verb can print
// the secret key.
func (s *Signer) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.String(), s.GoString()) }

func secretMark(secret string) string {
	if secret == "" {
		return "<empty>"
	}
	return redactedSecret
}

// formatRedacted prints str (or gostr for %#v) for the string verbs with the
// caller's flags, and a %!verb(...) complaint holding str for the others.
func formatRedacted(f fmt.State, verb rune, str, gostr string) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			fmt.Fprint(f, gostr)
			return
		}
		fmt.Fprintf(f, fmt.FormatString(f, 's'), str)
	case 's', 'q', 'x', 'X':
		fmt.Fprintf(f, fmt.FormatString(f, verb), str)
	default:
		fmt.Fprintf(f, "%%!%c(%s)", verb, str)
	}
}
