// Package junit writes a run's result as JUnit XML, the format CI servers
// (Jenkins, GitLab, GitHub Actions reporters, Azure DevOps) read to show
// tests. Write is deterministic: every time and name comes from the
// runner.Result, so the same Result always gives the same bytes.
//
// # Flavors and schemas
//
// Options.Flavor chooses between two dialects; both are checked against
// Jenkins xUnit's junit-10.xsd, the Ant flavor also against Windy Road's
// JUnit.xsd (Apache Ant), and both are read back by Python's junitparser.
//
//   - The root is <testsuites> with one <testsuite> per spec file. In the CI
//     flavor (the default) it carries name="specrun" and the totals tests,
//     failures, errors and time, as Jenkins's schema allows; in the Ant
//     flavor it has no attributes, as Windy Road's schema requires.
//   - <testsuite> has name (the suite's name; its file when the name is
//     blank), tests, failures, errors, skipped, time, timestamp (the suite's
//     start in UTC, ISO 8601 without a zone, as Windy Road requires),
//     hostname (RunInfo.Hostname, or "localhost", the value Windy Road
//     prescribes when the host is unknown), id (0, 1, ...) and package (the
//     suite's name); the CI flavor adds file (the spec file). Its
//     <properties> hold the suite's file and tags and the run's settings
//     (run.*).
//   - <testcase> has name (the test's name), classname (the suite's name)
//     and time (seconds, three decimals). In the CI flavor it also has file
//     (the spec file, relative to Options.Dir) and line (the test's line), a
//     <properties> with file, line, tags, platform, attempts and
//     activation_ids, and a <system-out> with those details and, for a
//     failed or errored test, the (already redacted) request and response of
//     every attempt under a "=== TEST: STATUS ===" heading. These are what
//     GitLab (testcase file and system-out) and mikepenz/action-junit-report
//     (testcase file and line) read. Jenkins's schema declares neither file
//     and line on a testcase nor <properties> inside it: those three
//     additions are the only departure from it, and the tests validate the
//     CI flavor against the schema extended by exactly them. In the Ant
//     flavor, which neither schema lets carry these, the testsuite's
//     <properties> hold for each test "TEST.file" (FILE:LINE), "TEST.tags",
//     "TEST.platform", "TEST.attempts" and "TEST.activation_ids", and the
//     testsuite's <system-out> the exchanges.
//   - A testcase holds at most one of <failure type=KEY message=SUMMARY>
//     (Fail: the message is the first failed expectation's one-line summary;
//     the body names the decisive step, attempt and activation, lists a
//     multi-step test's steps with their statuses, then every failure of the
//     decisive attempt with FILE:LINE, path, operator, expected, actual,
//     diff and the spec's message), <error type="error" message=ERR> (Error:
//     the body adds the hint) or <skipped message=REASON>. The body of a
//     failure or an error ends with a stack-frame line, "at test
//     (FILE:LINE:COL)", the test's position: dorny/test-reporter and
//     mikepenz's action search failure text for that form.
//
// # Setup and teardown
//
// A suite's setup or teardown that failed or errored becomes an extra
// testcase named "(setup)" or "(teardown)" with an <error type="setup"> (or
// "teardown") describing the step that did not pass (its file and line are
// that step's, its frame line "at setup (FILE:LINE:COL)"), so that a CI reader
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
