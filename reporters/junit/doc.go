// Package junit writes a run's result as JUnit XML, the format CI servers
// (Jenkins, GitLab, GitHub Actions reporters, Azure DevOps) read to show
// tests. Write is deterministic: every time and name comes from the
// runner.Result, so the same Result always gives the same bytes.
//
// # Schemas
//
// The output is checked against two schemas: Jenkins xUnit's junit-10.xsd and
// Windy Road's JUnit.xsd (Apache Ant). Where they disagree with each other or
// with what a reader might expect, the stricter one wins:
//
//   - The root is a bare <testsuites> with one <testsuite> per spec file.
//     Jenkins and GitLab would read totals on the root, but Windy Road's
//     <testsuites> declares no attributes, and where a schema forbids what a
//     consumer likes, the schema wins: every consumer adds up the testsuites.
//     The whole document validates against both schemas as written (every
//     <testsuite> carries the id and package Windy Road requires in an
//     aggregated document).
//   - <testsuite> has name (the suite's name; its file when the name is
//     blank), tests, failures, errors, skipped, time, timestamp (the suite's
//     start in UTC, ISO 8601 without a zone, as Windy Road requires),
//     hostname (RunInfo.Hostname, or "localhost", the value Windy Road
//     prescribes when the host is unknown), id (0, 1,
//     ...) and package (the suite's name).
//   - <testcase> has name (the test's name), classname (the suite's name)
//     and time (seconds, three decimals). Neither schema accepts file or
//     line on a testcase, nor <properties> or <system-out> inside it, so
//     they are at the testsuite level: one <properties> per testsuite holds
//     the suite's file and tags, the run's settings (run.*), and for each
//     test "TEST.file" (FILE:LINE), "TEST.tags", "TEST.platform",
//     "TEST.attempts" and "TEST.activation_ids". <system-out> holds the
//     (already redacted) request and response of every attempt of each failed
//     or errored test, each under a "=== TEST: STATUS ===" heading.
//   - A testcase holds at most one of <failure type=KEY message=SUMMARY>
//     (Fail: the message is the first failed expectation's one-line summary;
//     the body names the decisive step, attempt and activation, lists a
//     multi-step test's steps with their statuses, then every failure of the
//     decisive attempt with FILE:LINE, path, operator, expected, actual,
//     diff and the spec's message), <error type="error" message=ERR> (Error:
//     the body adds the hint) or <skipped message=REASON>.
//
// # Setup and teardown
//
// A suite's setup or teardown that failed or errored becomes an extra
// testcase named "(setup)" or "(teardown)" with an <error type="setup"> (or
// "teardown") describing the step that did not pass, so that a CI reader
// sees it among the failures; the suite's tests that setup kept from running
// are <skipped> with the runner's reason. The synthetic testcases are counted
// in tests and errors, so every count agrees with the testcases listed. The
// same summary line is in the testsuite's <system-err>, which also says when
// the run was interrupted. A test whose request was sent when the run was
// interrupted is an <error type="interrupted"> (the action may have run); a
// test that sent nothing is <skipped> with reason "interrupted". The error
// text of a test lists its transport attempts, and <system-out> every
// exchange of its attempts, transport tries and polls included.
//
// # Escaping
//
// Attributes and text are escaped by encoding/xml. Before that, characters
// XML 1.0 does not allow are replaced: control characters other than tab,
// newline and carriage return become a visible \xNN, U+FFFE, U+FFFF and
// invalid UTF-8 bytes become U+FFFD. Bodies (failure, error, system-out,
// system-err) are CDATA sections, split where the text holds "]]>", with
// line ends normalized to "\n".
package junit
