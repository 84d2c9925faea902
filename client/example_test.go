package client_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/emulator"
)

func Example() {
	// A local emulator stands in for the NCP endpoint.
	m, err := emulator.ParseManifest("manifest.yaml", []byte(`
namespace: local
packages:
  package003:
    actions:
      fixed:
        result: {payload: abc}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	creds := client.Credentials{AccessKey: "AK", SecretKey: "SK", Source: "example"}
	emu := emulator.New(m, emulator.Options{AccessKey: creds.AccessKey, SecretKey: creds.SecretKey})
	defer emu.Close()
	srv := httptest.NewServer(emu)
	defer srv.Close()

	fmt.Println(creds) // the secret key is never printed

	// In a program: creds, err := client.LoadCredentials(os.LookupEnv, home)
	c, err := client.New(client.Config{Endpoint: srv.URL + "/api/v2", Credentials: creds, MaxRetries: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.CloseIdleConnections()

	r, err := c.Invoke(context.Background(), client.Invocation{
		Package: "package003", Action: "fixed", Platform: "classic", Timeout: 30 * time.Second,
	})
	if err != nil {
		fmt.Println(err) // a *client.TransportError: check MayHaveRun
		return
	}
	result := r.JSON.(map[string]any)["content"].(map[string]any)["response"].(map[string]any)["result"]
	fmt.Println(r.StatusCode, r.Attempts, r.Pending, result)

	r, err = c.Invoke(context.Background(), client.Invocation{Package: "package003", Action: "missing"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.StatusCode, r.Error.Code, r.Error.Message)
	// Output:
	// Credentials{AccessKey: AK, SecretKey: <redacted>, Source: example}
	// 200 1 false map[payload:abc]
	// 404 80301 ACTION_NOT_FOUND
}

func ExampleSign() {
	// The known-answer vector of NCP API Gateway signature v2.
	fmt.Println(client.Sign("GET", "/vserver/v2/getServerInstanceList?responseFormatType=json",
		"1234567890123", "TestAccessKey", "TestSecretKey"))
	// Output: FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M=
}
