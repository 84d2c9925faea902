package codeshape

import (
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

// generated is the marker of a generated Go file (go help generate).
var generated = regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)

// TestFunctionLength fails for every function over maxLines lines: no
// function is allowed over the limit.
func TestFunctionLength(t *testing.T) {
	for key, n := range longFunctions(t) {
		t.Errorf("%s is %d lines, over %d: split it", key, n, maxLines)
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
