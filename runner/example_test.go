package runner_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/emulator"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// Run a spec against the built-in emulator and read the result.
func Example() {
	dir, _ := os.MkdirTemp("", "specrun-example")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "hello.yaml"), []byte(`
suite: hello
tests:
  - name: says hello
    action: demo/hello
    expect:
      result: {greeting: hello}
`), 0o644)
	m, _ := emulator.ParseManifest(filepath.Join(dir, "manifest.yaml"),
		[]byte("packages: {demo: {actions: {hello: {result: {greeting: hello}}}}}"))
	emu := emulator.New(m, emulator.Options{AccessKey: "AK", SecretKey: "SK"})
	defer emu.Close()
	srv := httptest.NewServer(emu)
	defer srv.Close()

	project, err := spec.Load([]string{dir}, spec.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	cl, _ := client.New(client.Config{
		Endpoint:    srv.URL + "/api/v2",
		Credentials: client.Credentials{AccessKey: "AK", SecretKey: "SK"},
	})
	res := runner.Run(context.Background(), project, cl, runner.Options{Secrets: []string{"SK"}}, nil)
	for _, s := range res.Suites {
		for _, t := range s.Tests {
			fmt.Println(t.Test.FullName(), t.Status)
		}
	}
	fmt.Printf("%+v\n", res.Counts())
	// Output:
	// hello/says hello pass
	// {Total:1 Passed:1 Failed:0 Errored:0 Skipped:0 Interrupted:0 Fixtures:0 InterruptedFixtures:0}
}
