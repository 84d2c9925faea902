package monitor_test

import (
	"fmt"

	"github.com/specrun/specrun/monitor"
)

// The job and the grouping labels of a push come from the Pushgateway's own
// path in the URL; a password in it is never printed.
func ExampleParseGateway() {
	for _, u := range []string{
		"http://pushgateway:9091",
		"https://ci:s3cret@pushgateway.example/metrics/job/orders/env/staging",
	} {
		g, err := monitor.ParseGateway(u)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(g)
	}
	// Output:
	// http://pushgateway:9091/metrics/job/specrun
	// https://pushgateway.example/metrics/job/orders/env/staging
}
