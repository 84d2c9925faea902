package runner_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/specrun/specrun/client"
	"github.com/specrun/specrun/internal/race"
	"github.com/specrun/specrun/runner"
	"github.com/specrun/specrun/spec"
)

// cannedAPI answers every call with one response decoded once: what is
// left to allocate is the runner's own.
type cannedAPI struct{ json any }

func (c cannedAPI) Invoke(context.Context, client.Invocation) (*client.Response, error) {
	return &client.Response{StatusCode: http.StatusOK, JSON: c.json, ActivationID: "0123456789abcdef0123456789abcdef", Attempts: 1}, nil
}

func (c cannedAPI) Activation(ctx context.Context, _, _, _, _ string) (*client.Response, error) {
	return c.Invoke(ctx, client.Invocation{})
}

// The runner's allocations per test are a budget that a change must not
// raise unnoticed (counts are exact, unlike times; BenchmarkRunnerOnly has
// the times). A passing single-step test with a variable in its params, a
// subset match and two path assertions: its TestResult, StepResult,
// Attempt and Steps and Attempts slices, its deadline context, the canned
// response, and the share of the run's own allocations.
func TestRunnerAllocationBudget(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector changes allocation counts; .ci/run runs this without it")
	}
	const tests, budget = 500, 7.5
	var b strings.Builder
	b.WriteString("suite: s\nvars: {who: bench}\ntests:\n")
	for i := range tests {
		fmt.Fprintf(&b, "  - name: t%d\n    action: pkg/fixed\n    params: {name: \"${who}\", i: %d}\n", i, i)
		b.WriteString("    expect:\n      result: {payload: abc}\n      assert:\n")
		b.WriteString("        - {path: content.response.result.payload, equals: abc}\n")
		b.WriteString("        - {path: \"content.response.result.items[*].id\", count: 2}\n")
	}
	e := &env{t: t, dir: t.TempDir()}
	p := e.load(map[string]string{"s.yaml": b.String()}, spec.Options{})
	var doc any
	d := json.NewDecoder(strings.NewReader(`{"content":{"activationId":"0123456789abcdef0123456789abcdef","response":{"result":{"payload":"abc","items":[{"id":1},{"id":2}]},"status":"success","success":true}}}`))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	api := cannedAPI{json: doc}
	run := func() *runner.Result {
		return runner.Run(context.Background(), p, api, runner.Options{Parallel: 8}, nil)
	}
	res := run()
	for _, tr := range res.Suites[0].Tests {
		if tr.Status != runner.Pass {
			t.Fatalf("%s: %v %s; want every test to pass", tr.Test.Name, tr.Status, tr.Reason)
		}
	}
	if n := testing.AllocsPerRun(5, func() { run() }) / tests; n > budget {
		t.Errorf("the runner makes %.2f allocations per test; the budget is %v", n, budget)
	} else {
		t.Logf("%.2f allocations per test", n)
	}
}
