// Package tap writes a run's result in the Test Anything Protocol, version
// 13 (the default, which every TAP consumer reads) or 14. Write is
// deterministic: every time and name comes from the runner.Result.
//
// # Layout
//
// The output starts with "TAP version 13" (or 14) and the plan "1..N". There
// is one test point per test, numbered from 1 in input order, described as
// "SUITE / TEST". A skipped test is "ok N - SUITE / TEST # SKIP REASON". A
// failed or errored test is "not ok" followed by a YAML diagnostics block
// indented two spaces ("  ---" ... "  ..."), with message, severity (fail or
// error), at (FILE:LINE of the first failed expectation, or of the step that
// errored), step (multi-step tests), path, operator, expected, actual, diff,
// hint, http_status, duration_ms (the test's), activation_id (of the
// decisive attempt), attempts (the decisive step's, when it retried) and,
// when that attempt had several failures, a failures list with each one.
// Keys whose value is empty are left out.
//
// In descriptions and reasons, "\" is written "\\" and "#" is written "\#"
// (TAP 14's escaping, harmless to TAP 13 readers), line breaks and other
// control characters become visible escapes (\n, \r, \xNN, \u2028), and
// invalid UTF-8 bytes become U+FFFD, so a description never spans lines nor
// starts a directive. YAML values are plain only when they cannot be read as
// anything but the same string; all others are double-quoted with escapes,
// on one line, in the subset of YAML that Perl's TAP::Parser reads.
//
// # Version 14
//
// With Options{Version: 14}, a multi-step test (spec.Test.MultiStep) that
// ran is a subtest: "# Subtest: SUITE / TEST", then its own plan and one
// point per step indented four spaces (a step's failure has its own YAML
// block, indented six), then the test's own point, as in version 13.
//
// # Setup and teardown
//
// A suite's setup or teardown that failed or errored is an extra test point,
// "not ok N - SUITE / (setup)" before the suite's tests or "(teardown)"
// after them, with a YAML block about the step that did not pass; the tests
// that setup kept from running are SKIP points with the runner's reason.
// The plan counts these extra points, so the plan is always the number of
// points a complete run writes.
//
// # Interrupted runs
//
// A test whose request was sent when the run was interrupted
// (runner.Interrupted: the action may have run) is a "not ok" point whose
// diagnostics say "severity: interrupted" and "may_have_run: true". Tests
// the interrupt kept from sending anything (Skip with reason
// runner.ReasonInterrupted) are SKIP points like any skipped test, "ok N -
// SUITE / TEST # SKIP interrupted", so the plan is met, and the output ends
// with "Bail out! interrupted". A harness thus parses the whole stream
// without a parse error and reports the run as failed because of the
// bail-out (prove: "Bailout called. Further testing stopped: interrupted",
// "FAILED--Further testing stopped: interrupted"), never as passed.
//
// # Streaming
//
// NewStream writes the same points as the run goes (a runner.Handler), each
// as soon as its test finishes, so in completion order and numbered in that
// order. The plan comes first when StreamOptions.PlanFirst says the number
// of points is known before the run (no selected suite has a setup or
// teardown, whose failure would add a point), else last, as TAP allows.
// Tests that never finished are written as SKIP points at the end, and
// Abort (a second interrupt) completes the stream at once: the missing
// points, the plan if it was not written, and a bail-out, so a stream cut
// short by an interrupt still parses.
package tap
