// Package monitor runs specs on a schedule and exports what the runs find
// as Prometheus metrics: it is `specrun monitor` and `specrun run
// --push-gateway` (see docs/monitor.md).
//
// New loads the specs through Config.Load; Serve serves /metrics, /healthz
// and / (the latest run's JSON report) and runs the specs at once and then
// every Config.Every, never two runs at once, loading the specs again when
// their files change and keeping the last good set when they do not
// validate. RunMetrics are the per-test and per-run metrics, on any
// registry: a Monitor's, or one pushed to a Pushgateway by Gateway.Push.
// Names, tags and skip reasons come redacted from spec.Load; the file
// paths in metric labels and on the report page are redacted with the
// project's static secrets (spec.Project.Redact), as the names were.
package monitor
