package runner

import (
	"strings"
	"testing"

	"github.com/specrun/specrun/internal/redact"
	"github.com/specrun/specrun/internal/valuetext"
)

// An earlier attempt is redacted again as a copy, its own texts left as
// they are (the step's events share it), and what is left of a secret at
// a cut made before the secret was known is masked too.
func TestRehideCopiesAndMasksWhatACutLeft(t *testing.T) {
	secret := "Tok_" + strings.Repeat("Ab3dE6gH9j", 10)
	cut := valuetext.Cut(`{"note":"`+secret+`"}`, 40, nil)
	first := &Attempt{
		Err:       "expired: " + secret,
		Failures:  []*Failure{{Actual: cut, Reason: "x"}},
		Tries:     []Try{{Answer: "HTTP 200 " + secret}},
		Exchanges: []*Exchange{{Response: "HTTP 200\n\n" + cut}},
	}
	r := &StepResult{Attempts: []*Attempt{first, {}}}
	e := &engine{redact: redact.New(nil)}
	e.addSecret(secret)
	e.rehide(r)
	got := r.Attempts[0]
	if got == first {
		t.Fatal("the earlier attempt was written in place")
	}
	if first.Err != "expired: "+secret || first.Failures[0].Actual != cut {
		t.Fatalf("the original attempt was changed: %+v", first)
	}
	texts := []string{got.Err, got.Failures[0].Actual, got.Tries[0].Answer, got.Exchanges[0].Response}
	for _, s := range texts {
		if strings.Contains(s, secret[:8]) {
			t.Errorf("a beginning of the secret is left in %q", s)
		}
	}
	if want := `{"note":"***…(+`; !strings.HasPrefix(got.Failures[0].Actual, want) {
		t.Errorf("Actual = %q, want it to start with %q", got.Failures[0].Actual, want)
	}
}
