"""Reads JUnit files with junitparser (Debian's python3-junitparser), as
tools built on it do, and prints what it sees: one line per testcase,
tab-separated: suite, name, classname, result (pass, failure, error,
skipped), message, file, line, whether system-out is present. Exits 1 when
a suite's counts disagree with its testcases."""
import sys

from junitparser import Error, Failure, JUnitXml, Skipped

status = 0
for path in sys.argv[1:]:
    xml = JUnitXml.fromfile(path)
    for suite in xml:
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for case in suite:
            counts["tests"] += 1
            kind, message = "pass", ""
            for r in case.result:
                if isinstance(r, Failure):
                    kind, message = "failure", r.message
                    counts["failures"] += 1
                elif isinstance(r, Error):
                    kind, message = "error", r.message
                    counts["errors"] += 1
                elif isinstance(r, Skipped):
                    kind, message = "skipped", r.message
                    counts["skipped"] += 1
            attrs = case._elem.attrib
            print("\t".join([suite.name, case.name, case.classname, kind, (message or "").replace("\n", "\\n"),
                             attrs.get("file", ""), attrs.get("line", ""), "out" if case.system_out else ""]))
        said = {"tests": suite.tests, "failures": suite.failures, "errors": suite.errors, "skipped": suite.skipped}
        if said != counts:
            print(f"{path}: suite {suite.name!r} says {said}, its testcases give {counts}", file=sys.stderr)
            status = 1
sys.exit(status)
