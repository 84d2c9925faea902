// Package fakeenv makes environments for tests: a lookup function over
// fixed NAME, VALUE pairs, in place of os.LookupEnv.
package fakeenv

// Lookup returns a lookup function that finds the pairs of kv (NAME,
// VALUE, NAME, VALUE, ...) and nothing else.
func Lookup(kv ...string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == k {
				return kv[i+1], true
			}
		}
		return "", false
	}
}
