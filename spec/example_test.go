package spec_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/specrun/specrun/spec"
)

func Example() {
	dir, err := os.MkdirTemp("", "spec-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "greeting.yaml")
	err = os.WriteFile(file, []byte(`suite: greeting
vars:
  pkg: package003
tests:
  - name: login then greet
    steps:
      - action: ${pkg}/login
        capture: {token: content.response.result.token}
      - action: ${pkg}/hello
        params: {auth: "Bearer ${token}", n: "${n}"}
        expect:
          result: {greeting: hello}
`), 0o644)
	if err != nil {
		panic(err)
	}

	p, err := spec.Load([]string{file}, spec.Options{Vars: []string{"n=3"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	test := p.Suites[0].Tests[0]
	greet := test.Steps[1]
	fmt.Println(test.FullName(), "-", greet.Name)
	fmt.Println("static body:", greet.Params.Static())

	// At run time, the runner passes the captured values.
	body, err := greet.Body(map[string]any{"token": "abc"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(body))

	// The checks were compiled at load time: success (the default) and
	// result.
	var resp any
	_ = json.Unmarshal([]byte(`{"content":{"response":{"success":true,"result":{"greeting":"hello"}}}}`), &resp)
	for _, check := range greet.Expect.Checks {
		a, err := check.Assertion(nil, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(check.Key, "failures:", len(a.Check(resp, nil)))
	}
	// Output:
	// greeting/login then greet - ${pkg}/hello
	// static body: false
	// {"auth":"Bearer abc","n":3}
	// success failures: 0
	// result failures: 0
}
