package client

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"net/http"
	"strconv"
	"time"
)

// The NCP API Gateway signature v2 headers.
const (
	HeaderTimestamp = "X-Ncp-Apigw-Timestamp"
	HeaderAccessKey = "X-Ncp-Iam-Access-Key"
	HeaderSignature = "X-Ncp-Apigw-Signature-V2"
)

// Sign returns the NCP API Gateway signature v2 of a request: the standard,
// padded Base64 of HMAC-SHA256 keyed with secretKey over
// METHOD + " " + requestURI + "\n" + timestamp + "\n" + accessKey.
// requestURI is the path and raw query exactly as sent on the request line
// (req.URL.RequestURI()); timestamp is Unix milliseconds as decimal text and
// must be the value sent in the timestamp header.
func Sign(method, requestURI, timestamp, accessKey, secretKey string) string {
	return signWith(hmac.New(sha256.New, []byte(secretKey)), method, requestURI, timestamp, accessKey)
}

// signWith is Sign with mac, a fresh HMAC-SHA256 keyed with the secret key.
func signWith(mac hash.Hash, method, requestURI, timestamp, accessKey string) string {
	var stack [256]byte
	mac.Write(appendStringToSign(stack[:0], method, requestURI, timestamp, accessKey))
	var sum [sha256.Size]byte
	return base64.StdEncoding.EncodeToString(mac.Sum(sum[:0]))
}

// appendStringToSign appends what signature v2 signs to dst:
// METHOD + " " + requestURI + "\n" + timestamp + "\n" + accessKey, in one
// buffer so that it is hashed with a single Write.
func appendStringToSign(dst []byte, method, requestURI, timestamp, accessKey string) []byte {
	dst = append(dst, method...)
	dst = append(dst, ' ')
	dst = append(dst, requestURI...)
	dst = append(dst, '\n')
	dst = append(dst, timestamp...)
	dst = append(dst, '\n')
	return append(dst, accessKey...)
}

// Signer is an http.RoundTripper that adds the NCP API Gateway signature v2
// headers to every request and passes it on to its base transport. Each
// round trip takes a fresh timestamp, so a retried request is re-signed. It
// never modifies the caller's request: it signs a clone. A Signer is safe for
// concurrent use when its base transport is.
type Signer struct {
	creds Credentials
	base  http.RoundTripper
	now   func() time.Time
	// keyed is an HMAC-SHA256 keyed with the secret key at NewSigner and
	// never written: each signature is made with a clone of it, so the key
	// is processed once, not per request. Concurrent clones only read it.
	keyed hash.Hash
}

// NewSigner returns a Signer that signs with creds and sends through base.
// A nil base means http.DefaultTransport; a nil now means time.Now.
func NewSigner(creds Credentials, base http.RoundTripper, now func() time.Time) *Signer {
	if base == nil {
		base = http.DefaultTransport
	}
	if now == nil {
		now = time.Now
	}
	return &Signer{creds: creds, base: base, now: now, keyed: hmac.New(sha256.New, []byte(creds.SecretKey))}
}

// mac returns a fresh HMAC keyed with the secret key: a clone of s.keyed
// (hash.Cloner, which the standard library's HMAC-SHA256 implements), or a
// new one where cloning is unsupported (GOFIPS140=v1.0.0).
func (s *Signer) mac() hash.Hash {
	if c, ok := s.keyed.(hash.Cloner); ok {
		if m, err := c.Clone(); err == nil {
			return m
		}
	}
	return hmac.New(sha256.New, []byte(s.creds.SecretKey))
}

// RoundTrip signs a clone of req over req.URL.RequestURI() with the current
// time and sends it through the base transport.
func (s *Signer) RoundTrip(req *http.Request) (*http.Response, error) {
	signed := req.Clone(req.Context())
	s.sign(signed)
	return s.base.RoundTrip(signed)
}

// sign sets the signature headers of req, in place, for the current time.
func (s *Signer) sign(req *http.Request) {
	ts := strconv.FormatInt(s.now().UnixMilli(), 10)
	sig := signWith(s.mac(), req.Method, req.URL.RequestURI(), ts, s.creds.AccessKey)
	if req.Header == nil {
		req.Header = make(http.Header, 3)
	}
	// One allocation for the three values; the header names are canonical.
	v := []string{ts, s.creds.AccessKey, sig}
	req.Header[HeaderTimestamp] = v[0:1:1]
	req.Header[HeaderAccessKey] = v[1:2:2]
	req.Header[HeaderSignature] = v[2:3:3]
}

// CloseIdleConnections closes the idle connections of the base transport
// when it has such a method.
func (s *Signer) CloseIdleConnections() {
	if c, ok := s.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// String describes the signer without its secret key.
func (s *Signer) String() string {
	return "client.Signer{" + s.creds.String() + "}"
}
