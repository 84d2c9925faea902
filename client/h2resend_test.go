package client

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// h2Resetter is an HTTP/2 server (cleartext, prior knowledge) that reads
// each request whole and answers it by resetting its stream with
// PROTOCOL_ERROR, as a misbehaving proxy might: the request reached it, so
// the action may have run. It speaks just enough HTTP/2 for that (the
// preface, SETTINGS and their ACK, RST_STREAM) and counts the requests it
// read to the end.
type h2Resetter struct {
	ln       net.Listener
	requests atomic.Int32
}

func newH2Resetter(t *testing.T) *h2Resetter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &h2Resetter{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

// h2Frame writes one frame: its 9-byte header, then payload.
func h2Frame(w io.Writer, typ, flags byte, stream uint32, payload []byte) error {
	var h [9]byte
	h[0], h[1], h[2] = byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload))
	h[3], h[4] = typ, flags
	binary.BigEndian.PutUint32(h[5:], stream)
	_, err := w.Write(append(h[:], payload...))
	return err
}

func (s *h2Resetter) serve(c net.Conn) {
	defer c.Close()
	preface := make([]byte, len("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
	if _, err := io.ReadFull(c, preface); err != nil || h2Frame(c, 0x4, 0, 0, nil) != nil {
		return
	}
	var h [9]byte
	for {
		if _, err := io.ReadFull(c, h[:]); err != nil {
			return
		}
		n := int(h[0])<<16 | int(h[1])<<8 | int(h[2])
		typ, flags, stream := h[3], h[4], binary.BigEndian.Uint32(h[5:])&0x7fffffff
		if _, err := io.CopyN(io.Discard, c, int64(n)); err != nil {
			return
		}
		switch {
		case typ == 0x4 && flags&0x1 == 0: // SETTINGS: acknowledge
			if h2Frame(c, 0x4, 0x1, 0, nil) != nil {
				return
			}
		case (typ == 0x0 || typ == 0x1) && flags&0x1 != 0: // DATA or HEADERS ending the request
			s.requests.Add(1)
			if h2Frame(c, 0x3, 0, stream, []byte{0, 0, 0, 1}) != nil { // RST_STREAM PROTOCOL_ERROR
				return
			}
		}
	}
}

// Go's HTTP/2 transport sends a request again by itself after its stream
// is reset with PROTOCOL_ERROR, when it can rewind the body
// (Request.GetBody; golang/go#47635), even after the whole request was
// written. A call that may have run an action must not be sent again
// behind the user's back: the client's body refuses to rewind once the
// request was written, so the transport gives the error back instead, and
// the call is one request that may have run.
func TestHTTP2StreamResetAfterTheRequestIsNotSentAgain(t *testing.T) {
	s := newH2Resetter(t)
	tr := &http.Transport{Protocols: new(http.Protocols)}
	tr.Protocols.SetUnencryptedHTTP2(true)
	t.Cleanup(tr.CloseIdleConnections)
	c, err := New(Config{Endpoint: "http://" + s.ln.Addr().String() + "/api/v2", Credentials: testCreds,
		HTTPClient: &http.Client{Transport: tr}, RetryDelay: time.Millisecond, MaxRetryDelay: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err = c.Invoke(ctx, Invocation{Package: "p", Action: "a", Body: []byte(`{"x":1}`), Timeout: time.Second})
	var te *TransportError
	if !errors.As(err, &te) || !te.MayHaveRun {
		t.Errorf("err = %v; want a transport error that may have run the action", err)
	}
	if n := s.requests.Load(); n != 1 {
		t.Errorf("the server read the request %d times; want once", n)
	}
	if bytes.Contains([]byte(err.Error()), []byte("context deadline")) {
		t.Errorf("err = %v: the call ran until its deadline", err)
	}
}
