package assert

import (
	"errors"
	"strings"
	"testing"
)

// Every value a failure or an error quotes is redacted before it is cut:
// no beginning of a secret longer than the cut is left, in a diff line
// (cut at 80 bytes), a comparison's reason (60) and an operand that an
// operator cannot take (60), Failure.Text (200).
func TestValuesAreRedactedBeforeTheyAreCut(t *testing.T) {
	secret := "jwt_" + strings.Repeat("abcdefghij", 25)
	hide := strings.NewReplacer(secret, "***").Replace
	doc := map[string]any{"s": secret, "o": map[string]any{"k": secret, "extra": secret}, "n": n("5")}
	var texts []string
	for _, tt := range []struct {
		path string
		op   Op
	}{
		{"s", Op{"equals", "wrong"}},
		{"o", Op{"equals", map[string]any{"k": "wrong"}}},
		{"o", Op{"subset", map[string]any{"k": "wrong"}}},
		{"n", Op{"gt", n("1" + strings.Repeat("0", 100))}},
		{"s", Op{"contains", "zz"}},
	} {
		a, err := New(MustParsePath(tt.path), []Op{tt.op}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		fails := a.Check(doc, hide)
		if len(fails) != 1 {
			t.Fatalf("%s %s: %d failures, want 1", tt.path, tt.op.Name, len(fails))
		}
		texts = append(texts, fails[0].Diff, fails[0].Reason, fails[0].Text(hide))
	}
	p, err := NewPartial(MustParsePath("n"), []Op{{Name: "lt"}, {Name: "len"}, {Name: "exists"}}, []int{0, 1, 2}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Complete([]any{secret, secret, secret}, hide)
	var oe *OpError
	if !errors.As(err, &oe) {
		t.Fatalf("Complete of a string for lt: %v, want an OpError", err)
	}
	texts = append(texts, err.Error())
	joined := strings.Join(texts, "\n")
	if strings.Contains(joined, secret[:8]) {
		t.Errorf("a beginning of the secret is shown:\n%s", joined)
	}
	for _, want := range []string{`/k: expected "wrong", got "***"`, `/extra: unexpected, got "***"`, `got a string ("***")`, `got "***"`} {
		if !strings.Contains(joined, want) {
			t.Errorf("no %q in:\n%s", want, joined)
		}
	}
}

// A regular expression that holds a secret and does not compile (a
// pattern built at run time from a captured secret) gets its error
// without the piece regexp quotes, which may be a part of the secret.
func TestInvalidRegexpHoldingASecretQuotesNoPart(t *testing.T) {
	hide := func(s string) string { return strings.ReplaceAll(s, "Prefix[TailOfSecret", "***") }
	for _, op := range []string{"matches", "not_matches"} {
		_, err := New(MustParsePath("$.a"), []Op{{Name: op, Expected: "^Prefix[TailOfSecret$"}}, Options{Hide: hide})
		if err == nil || strings.Contains(err.Error(), "Tail") || !strings.Contains(err.Error(), "missing closing ]") {
			t.Errorf("%s: error %v: want what is wrong, and no part of the secret", op, err)
		}
	}
}
