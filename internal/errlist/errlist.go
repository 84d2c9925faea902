// Package errlist flattens joined errors: the one place that knows how an
// errors.Join of problems is taken apart for listing, one per line.
package errlist

// Of returns the errors joined in err (its Unwrap() []error), or err alone
// when it is not a joined error; nil for a nil err.
func Of(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
