package runner

import "github.com/specrun/specrun/spec"

// Verdict is what decided the outcome of a test, a setup or a teardown:
// the one step, attempt, message, hint and position every reporter shows
// for it, so that no reporter chooses on its own. The runner computes it
// once, when the test (or the phase) is final; jsonreport computes it
// again when it rebuilds a Result from a JSON report.
//
// The zero Verdict belongs to an outcome that did not fail (Pass, Skip).
// For a Fail, Error or Interrupted outcome Message is never empty; Step
// and Attempt may be nil, as documented on each field.
type Verdict struct {
	// Step is the first step that failed or errored (nil when no step did:
	// a test stopped or skipped before its first step, or one that did
	// not fail). When set, its Step is set too.
	Step *StepResult
	// Attempt is Step's last attempt (nil when Step is nil or made no
	// attempt).
	Attempt *Attempt
	// Message is one line: the first false expectation's Summary, else the
	// attempt's error, else the test's Reason, else the step's Reason,
	// else the status ("fail", "error", "interrupted").
	Message string
	// Hint says what to do about the attempt's error (may be empty).
	Hint string
	// Pos is where the verdict is written: the first false expectation's
	// position, else the step's; the zero Pos when Step is nil.
	Pos spec.Pos
}

// Failures lists the false expectations of the decisive attempt (nil when
// there is none).
func (v Verdict) Failures() []*Failure {
	if v.Attempt == nil {
		return nil
	}
	return v.Attempt.Failures
}

// NewVerdict computes the verdict of steps (a test's, a setup's or a
// teardown's) ending with status st; reason is the test's Reason ("" for
// a phase). It returns the zero Verdict when st did not fail.
func NewVerdict(st Status, steps []*StepResult, reason string) Verdict {
	if !st.Failed() {
		return Verdict{}
	}
	var v Verdict
	v.Step, v.Attempt = decisive(steps)
	if v.Step != nil && v.Step.Step != nil {
		v.Pos = v.Step.Step.Pos
	}
	switch a := v.Attempt; {
	case a != nil && len(a.Failures) > 0 && a.Failures[0] != nil:
		v.Message, v.Pos = a.Failures[0].Summary(), a.Failures[0].Pos
	case a != nil && a.Err != "":
		v.Message = a.Err
	case reason != "":
		v.Message = reason
	case v.Step != nil && v.Step.Reason != "":
		v.Message = v.Step.Reason
	default:
		v.Message = st.String()
	}
	if v.Attempt != nil {
		v.Hint = v.Attempt.Hint
	}
	return v
}
