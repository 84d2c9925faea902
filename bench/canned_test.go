package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/spec"
)

// cannedBody is what the emulator's fixed action answers.
const cannedBody = `{"content":{"activationId":"0123456789abcdef0123456789abcdef","duration":1,"response":{"result":{"ok":true,"payload":"abc","n":3,"items":[{"id":1},{"id":2}]},"status":"success","success":true}}}`

// cannedInvoker answers every invocation with the same response, decoded
// once; the runner only reads it.
type cannedInvoker struct {
	body []byte
	json any
}

func newCannedInvoker(tb testing.TB) *cannedInvoker {
	d := json.NewDecoder(bytes.NewReader([]byte(cannedBody)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		tb.Fatal(err)
	}
	return &cannedInvoker{body: []byte(cannedBody), json: v}
}

func (c *cannedInvoker) Invoke(_ context.Context, _ client.Invocation) (*client.Response, error) {
	return &client.Response{StatusCode: http.StatusOK, Body: c.body, JSON: c.json, ActivationID: "0123456789abcdef0123456789abcdef", Attempts: 1}, nil
}

func (c *cannedInvoker) Activation(ctx context.Context, _, _, _, _ string) (*client.Response, error) {
	return c.Invoke(ctx, client.Invocation{})
}

func mustLoad(tb testing.TB, dir string) *spec.Project {
	tb.Helper()
	p, err := spec.Load([]string{dir}, spec.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}
