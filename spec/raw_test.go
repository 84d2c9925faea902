package spec

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// loadErrLines loads one spec file written from content and returns its
// problems, one a line, with the file's directory cut off.
func loadErrLines(t *testing.T, content string) []string {
	t.Helper()
	dir := writeFiles(t, map[string]string{"s.yaml": content})
	_, err := Load([]string{filepath.Join(dir, "s.yaml")}, Options{})
	if err == nil {
		t.Fatal("Load succeeded")
	}
	return strings.Split(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""), "\n")
}

// TestCapturesOfLaterTestsShapeEarlierMessages checks that a reference
// resolved before the test that captures its name is decoded (a suite
// variable, a setup or teardown step, an earlier test) still says that
// the name is a capture: the message waits for the whole file.
func TestCapturesOfLaterTestsShapeEarlierMessages(t *testing.T) {
	lines := loadErrLines(t, `vars:
  v: ${late}
setup:
  - action: p/s
    params: {x: "${late}"}
teardown:
  - action: p/t
    params: {x: "${late}", y: "${lat}"}
tests:
  - name: a
    action: p/a
    params: {x: "${late}"}
  - name: b
    action: p/b
    capture: {late: content.x}
`)
	want := []string{
		"s.yaml:2:6: vars.v: ${late} is a capture, known only at run time; suite variables are computed at load time, so use it directly where it is needed",
		"s.yaml:5:17: params.x: ${late} is captured elsewhere, but not before this use: setup captures are visible to every test and to teardown; a test's captures only to its later steps",
		"s.yaml:8:17: params.x: ${late} is captured elsewhere, but not before this use: setup captures are visible to every test and to teardown; a test's captures only to its later steps",
		"s.yaml:8:31: params.y: undefined variable ${lat}: define it under vars, pass --var lat=VALUE, or capture it in an earlier step",
		"s.yaml:12:17: params.x: ${late} is captured elsewhere, but not before this use: setup captures are visible to every test and to teardown; a test's captures only to its later steps",
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

// TestUndefinedReferencesKeepTheirPlaceUnderTheCap checks that the
// problems whose message waits for the file's captures count where they
// were found: the first 100 are kept, in file order, then the last line.
func TestUndefinedReferencesKeepTheirPlaceUnderTheCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("tests:\n")
	for i := range maxErrors + 20 {
		fmt.Fprintf(&b, "  - name: t%d\n    action: p/a\n    params: {x: \"${u%d}\"}\n    bogus: 1\n", i, i)
	}
	lines := loadErrLines(t, b.String())
	if len(lines) != maxErrors+1 || !strings.HasSuffix(lines[maxErrors], ": too many problems (more than 100): fix these first") {
		t.Fatalf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
	for i := range maxErrors / 2 {
		undef, unknown := lines[2*i], lines[2*i+1]
		if !strings.Contains(undef, fmt.Sprintf("undefined variable ${u%d}", i)) || !strings.Contains(unknown, `unknown key "bogus" in a test`) {
			t.Fatalf("test %d: lines\n%s\n%s", i, undef, unknown)
		}
	}
}

// TestFieldCheckerWithAndWithoutMergeKeys checks that the field checker
// reads a mapping the same way whether its keys are read in place or
// through merge keys: duplicates, unknown keys and the slots.
func TestFieldCheckerWithAndWithoutMergeKeys(t *testing.T) {
	for _, c := range []struct{ name, spec string }{
		{"plain", "tests:\n  - name: a\n    action: p/a\n    tiemout: 5s\n    name: b\n    tiemout: 6s\n"},
		{"merged", "x: &x {action: p/a}\ntests:\n  - name: a\n    <<: *x\n    tiemout: 5s\n    name: b\n    tiemout: 6s\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := strings.Join(loadErrLines(t, c.spec), "\n")
			for _, want := range []string{
				`unknown key "tiemout" in a test; did you mean "timeout"?`,
				`duplicate key "name": already given at line`,
				`duplicate key "tiemout": already given at line`,
			} {
				if !strings.Contains(got, want) {
					t.Errorf("missing %q in\n%s", want, got)
				}
			}
			if strings.Count(got, "\n") != 2+strings.Count(c.spec, "<<") {
				t.Errorf("want 3 problems (4 with the unknown top-level key x), got\n%s", got)
			}
		})
	}
}
