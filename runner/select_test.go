package runner

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/specrun/specrun/spec"
)

func TestTagExprMatches(t *testing.T) {
	tests := []struct {
		expr string
		tags []string
		want bool
	}{
		{"smoke", []string{"smoke"}, true},
		{"smoke", []string{"slow"}, false},
		{"smoke", nil, false},
		{"not smoke", nil, true},
		{"smoke and slow", []string{"smoke", "slow"}, true},
		{"smoke and slow", []string{"smoke"}, false},
		{"smoke or slow", []string{"slow"}, true},
		{"smoke and not slow", []string{"smoke", "slow"}, false},
		{"smoke and not slow", []string{"smoke"}, true},
		{"not not smoke", []string{"smoke"}, true},
		{"a or b and c", []string{"a"}, true},              // and binds tighter than or
		{"(a or b) and c", []string{"a"}, false},           // parentheses override
		{"a or b and c", []string{"b"}, false},             // b and c both needed
		{"NOT a AND b", []string{"b"}, true},               // operators are case-insensitive
		{"team:payments", []string{"team:payments"}, true}, // names may hold : / . -
		{"v1.2/canary-eu", []string{"v1.2/canary-eu"}, true},
		{"  smoke\t", []string{"smoke"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			e, err := ParseTagExpr(tt.expr)
			if err != nil {
				t.Fatalf("ParseTagExpr(%q): %v", tt.expr, err)
			}
			if got := e.Match(tt.tags); got != tt.want {
				t.Errorf("%q.Match(%v) = %v, want %v", tt.expr, tt.tags, got, tt.want)
			}
		})
	}
}

func TestTagExprErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"", `--tags "": empty expression; give tag names joined with and, or, not`},
		{"   ", `--tags "   ": empty expression; give tag names joined with and, or, not`},
		{"smoke and", `--tags "smoke and": column 10: expected a tag name, 'not' or '(', got end of expression`},
		{"(smoke", `--tags "(smoke": column 7: expected ')', got end of expression`},
		{"smoke)", `--tags "smoke)": column 6: unexpected ")"`},
		{"smoke slow", `--tags "smoke slow": column 7: unexpected tag "slow"`},
		{"smoke & slow", `--tags "smoke & slow": column 7: unexpected character "&"`},
		{"or smoke", `--tags "or smoke": column 1: expected a tag name, 'not' or '(', got "or"`},
		{strings.Repeat("(", 200) + "a" + strings.Repeat(")", 200), "nested more than 100 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := ParseTagExpr(tt.expr)
			if err == nil {
				t.Fatalf("ParseTagExpr(%q) succeeded, want error %q", tt.expr, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseTagExpr(%q) error\n got: %s\nwant: %s", tt.expr, err, tt.want)
			}
		})
	}
}

func FuzzParseTagExpr(f *testing.F) {
	for _, s := range []string{"smoke", "a and not (b or c)", "((a))", "not", ")(", "a:b/c-d.e", "x and", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseTagExpr(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "--tags ") {
				t.Fatalf("error without the flag's name: %v", err)
			}
			return
		}
		// A valid expression is total: it answers for any tag set.
		_ = e.Match(nil)
		_ = e.Match(strings.Fields(s))
		if e.String() != s {
			t.Fatalf("String() = %q, want %q", e.String(), s)
		}
	})
}

func TestParseShard(t *testing.T) {
	good := map[string]Shard{"1/1": {1, 1}, "2/4": {2, 4}, " 3 / 3 ": {3, 3}}
	for in, want := range good {
		got, err := ParseShard(in)
		if err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1", "0/4", "5/4", "1/0", "a/b", "1/2/3", "-1/2"} {
		if _, err := ParseShard(in); err == nil || !strings.Contains(err.Error(), "--shard") {
			t.Errorf("ParseShard(%q) error = %v, want an error naming --shard", in, err)
		}
	}
}

// project builds suites of n tests each, tagged by parity.
func project(sizes ...int) *spec.Project {
	p := &spec.Project{}
	for i, n := range sizes {
		s := &spec.Suite{Name: fmt.Sprintf("s%d", i), Index: i}
		for j := 0; j < n; j++ {
			tag := "even"
			if j%2 == 1 {
				tag = "odd"
			}
			s.Tests = append(s.Tests, &spec.Test{Suite: s, Index: j, Name: fmt.Sprintf("t%d", j), Tags: []string{tag}})
		}
		p.Suites = append(p.Suites, s)
	}
	return p
}

func TestShardsCoverSelectionExactlyOnce(t *testing.T) {
	p := project(7, 0, 13, 1, 22)
	for _, sel := range []Selection{{}, {Tags: mustTags(t, "odd")}, {Run: regexp.MustCompile(`^s2/`)}} {
		all := sel.Select(p)
		for n := 1; n <= 10; n++ {
			seen := map[*spec.Test]int{}
			minSize, maxSize := len(all), 0
			for k := 1; k <= n; k++ {
				s := sel
				s.Shard = Shard{K: k, N: n}
				part := s.Select(p)
				minSize, maxSize = min(minSize, len(part)), max(maxSize, len(part))
				for _, tt := range part {
					seen[tt]++
				}
				// Deterministic: the same shard again is the same slice.
				again := s.Select(p)
				if fmt.Sprint(names(again)) != fmt.Sprint(names(part)) {
					t.Fatalf("shard %d/%d differs between two selections", k, n)
				}
			}
			if len(seen) != len(all) {
				t.Fatalf("%d shards cover %d of %d tests", n, len(seen), len(all))
			}
			for tt, c := range seen {
				if c != 1 {
					t.Fatalf("%d shards: %s selected %d times", n, tt.FullName(), c)
				}
			}
			if maxSize-minSize > 1 {
				t.Errorf("%d shards of %d tests are unbalanced: sizes from %d to %d", n, len(all), minSize, maxSize)
			}
		}
	}
}

func TestSelectKeepsInputOrder(t *testing.T) {
	p := project(3, 2)
	got := names(Selection{Tags: mustTags(t, "even")}.Select(p))
	want := []string{"s0/t0", "s0/t2", "s1/t0"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Select = %v, want %v", got, want)
	}
}

func mustTags(t *testing.T, s string) *TagExpr {
	t.Helper()
	e, err := ParseTagExpr(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func names(ts []*spec.Test) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.FullName())
	}
	return out
}

func TestStatusMergeKeepsTheWorst(t *testing.T) {
	order := []Status{Skip, Pass, Fail, Error}
	for i, a := range order {
		for j, b := range order {
			want := order[max(i, j)]
			if got := a.Merge(b); got != want {
				t.Errorf("%v.Merge(%v) = %v, want %v", a, b, got, want)
			}
		}
	}
	var zero Status
	if zero != Skip {
		t.Errorf("the zero Status is %v, want skip: a result never run must not read as passed", zero)
	}
}

func TestTagExprNames(t *testing.T) {
	e, err := ParseTagExpr("(smoke or slow) and not smoke and team:x")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.Names(), ","); got != "smoke,slow,team:x" {
		t.Errorf("Names() = %s", got)
	}
}

// TestFullNamesListsEachNameOnce: the names a --run that selects nothing
// is compared with are the SUITE/TEST names in input order, then each
// suite and test name on its own that is not one of them already.
func TestFullNamesListsEachNameOnce(t *testing.T) {
	a := &spec.Suite{Name: "a"}
	a.Tests = []*spec.Test{{Suite: a, Name: "login"}, {Suite: a, Name: "a/login"}}
	b := &spec.Suite{Name: "b"}
	b.Tests = []*spec.Test{{Suite: b, Name: "login"}}
	got := strings.Join(fullNames(&spec.Project{Suites: []*spec.Suite{a, b}}), " ")
	if want := "a/login a/a/login b/login a login b"; got != want {
		t.Errorf("fullNames = %q, want %q", got, want)
	}
}
