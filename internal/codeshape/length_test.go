package codeshape

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// maxLines is the longest a function may be, from its func line to its
// closing brace.
const maxLines = 60

// root is the module's root, from this package's directory.
const root = "../.."

// allowFile lists the functions over a limit that are still allowed, one
// "KIND FILE FUNC" line each (KIND is length or cyclo); # starts a comment.
const allowFile = ".ci/shape-allow.txt"

// generated is the marker of a generated Go file (go help generate).
var generated = regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)

// TestFunctionLength fails for a function over maxLines lines that the
// allow-list does not name, and for an allow-list length entry that is
// within the limit now (remove it: the list only shrinks).
func TestFunctionLength(t *testing.T) {
	allowed := readAllow(t, "length")
	long := longFunctions(t)
	for key, n := range long {
		if !allowed[key] {
			t.Errorf("%s is %d lines, over %d: split it (only the functions in %s may be longer)", key, n, maxLines, allowFile)
		}
	}
	for key := range allowed {
		if _, ok := long[key]; !ok {
			t.Errorf("%s: %s is within %d lines now (or gone): remove it from the list", allowFile, key, maxLines)
		}
	}
}

// longFunctions maps "FILE FUNC" to the length of each function over
// maxLines in the module's non-test, non-generated Go files.
func longFunctions(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		return measure(path, out)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// measure adds the long functions of one file to out.
func measure(path string, out map[string]int) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if generated.Match(src) {
		return nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		return err
	}
	rel, _ := filepath.Rel(root, path)
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
		if n > maxLines {
			out[filepath.ToSlash(rel)+" "+funcName(fn)] = n
		}
	}
	return nil
}

// funcName names a function as gocyclo does: "(*T).M", "(T).M" or "F".
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	typ := fn.Recv.List[0].Type
	if idx, ok := typ.(*ast.IndexExpr); ok { // a generic receiver T[P]
		typ = idx.X
	}
	switch r := typ.(type) {
	case *ast.StarExpr:
		if idx, ok := r.X.(*ast.IndexExpr); ok {
			return fmt.Sprintf("(*%s).%s", idx.X, fn.Name.Name)
		}
		return fmt.Sprintf("(*%s).%s", r.X, fn.Name.Name)
	default:
		return fmt.Sprintf("(%s).%s", r, fn.Name.Name)
	}
}

// readAllow returns the "FILE FUNC" entries of kind in the allow-list.
func readAllow(t *testing.T, kind string) map[string]bool {
	t.Helper()
	f, err := os.Open(filepath.Join(root, allowFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 3 || fields[0] != "length" && fields[0] != "cyclo" {
			t.Fatalf("%s:%d: want KIND FILE FUNC (KIND length or cyclo), got %q", allowFile, line, text)
		}
		if fields[0] == kind {
			out[fields[1]+" "+fields[2]] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFunctionLengthSeesLongFunctions makes sure the measure can fail: a
// 61-line function in a temporary file is found, a 60-line one is not.
func TestFunctionLengthSeesLongFunctions(t *testing.T) {
	dir := t.TempDir()
	body := func(name string, lines int) string {
		return "func " + name + "() {\n" + strings.Repeat("\t_ = 1\n", lines-2) + "}\n"
	}
	path := filepath.Join(dir, "x.go")
	src := "package x\n\n" + body("long", maxLines+1) + body("ok", maxLines) + "type T struct{}\n\n" + body("(t *T) m", maxLines+1)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	if err := measure(path, out); err != nil {
		t.Fatal(err)
	}
	var got []string
	for k, n := range out {
		got = append(got, fmt.Sprintf("%s=%d", k[strings.LastIndex(k, " ")+1:], n))
	}
	sort.Strings(got)
	if want := []string{"(*T).m=61", "long=61"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("long functions %v, want %v", got, want)
	}
}
