package runner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/specrun/specrun/internal/suggest"
	"github.com/specrun/specrun/spec"
)

// Names returns the tag names the expression uses, in order of first use.
func (e *TagExpr) Names() []string {
	var names []string
	var walk func(n tagNode)
	walk = func(n tagNode) {
		switch n := n.(type) {
		case tagName:
			if !slices.Contains(names, string(n)) {
				names = append(names, string(n))
			}
		case tagNot:
			walk(n.x)
		case tagAnd:
			walk(n.x)
			walk(n.y)
		case tagOr:
			walk(n.x)
			walk(n.y)
		}
	}
	walk(e.root)
	return names
}

// Check looks for a --run or --tags that cannot be what the user meant, so
// that a typo never makes a green run of nothing. It returns an error when
// the selection, before sharding, keeps no test of p (an empty shard of a
// non-empty selection is fine), or when --tags names a tag that no test has
// but that is close to one that a test has ("smok" for "smoke"). A tag that
// no test has and that is close to none ("not wip" where nothing is wip
// yet) is a warning, returned for the caller to print.
func (sel Selection) Check(p *spec.Project) (warnings []string, err error) {
	if sel.Run == nil && sel.Tags == nil {
		return nil, nil
	}
	tags := p.Tags()
	var typos, unknown []string
	if sel.Tags != nil {
		for _, n := range sel.Tags.Names() {
			if slices.Contains(tags, n) {
				continue
			}
			if near := suggest.Closest(n, tags); near != "" {
				typos = append(typos, fmt.Sprintf("no test has the tag %q (did you mean %q?)", n, near))
			} else {
				unknown = append(unknown, fmt.Sprintf("no test has the tag %q", n))
			}
		}
	}
	all := Selection{Run: sel.Run, Tags: sel.Tags}
	empty := (sel.Run != nil || sel.Tags != nil) && len(all.Select(p)) == 0
	if len(typos) == 0 && !empty {
		for _, u := range unknown {
			warnings = append(warnings, fmt.Sprintf("--tags %q: %s", sel.Tags, u))
		}
		return warnings, nil
	}
	return nil, sel.selectionError(append(typos, unknown...), empty, tags, p)
}

// selectionError says what was asked, what is wrong with it and what the
// specs have instead.
func (sel Selection) selectionError(typos []string, empty bool, tags []string, p *spec.Project) error {
	var asked []string
	if sel.Run != nil {
		asked = append(asked, fmt.Sprintf("--run %q", sel.Run))
	}
	if sel.Tags != nil {
		asked = append(asked, fmt.Sprintf("--tags %q", sel.Tags))
	}
	msg := strings.Join(asked, " with ")
	if empty {
		msg += " selects no test"
	} else {
		msg += " names a tag that no test has"
	}
	if len(typos) > 0 {
		msg += ": " + strings.Join(typos, "; ")
	}
	if sel.Run != nil {
		names := fullNames(p)
		if near := suggest.Closest(sel.Run.String(), names); near != "" {
			msg += fmt.Sprintf("; --run matches SUITE/TEST names: did you mean %q?", near)
		} else {
			msg += "; --run matches SUITE/TEST names such as " + strings.Join(firstN(names, 3), ", ")
		}
	}
	if sel.Tags != nil {
		if len(tags) == 0 {
			msg += "; no test has any tag"
		} else {
			msg += "; the tags in the specs are " + strings.Join(firstN(tags, 20), ", ")
		}
	}
	return fmt.Errorf("%s: nothing was run (see --list)", msg)
}

// fullNames returns the SUITE/TEST names of p's tests in input order, then
// the suite names and the test names on their own (what a --run of one
// word is likely to mean), without duplicates.
func fullNames(p *spec.Project) []string {
	var full, parts []string
	seen := map[string]bool{}
	for _, s := range p.Suites {
		parts = append(parts, s.Name)
		for _, t := range s.Tests {
			full = append(full, t.FullName())
			seen[full[len(full)-1]] = true
			parts = append(parts, t.Name)
		}
	}
	for _, n := range parts {
		if !seen[n] {
			seen[n] = true
			full = append(full, n)
		}
	}
	return full
}

// firstN returns up to n of list, with "…" when there are more.
func firstN(list []string, n int) []string {
	out := make([]string, 0, n+1)
	for i, s := range list {
		if i == n {
			out = append(out, "…")
			break
		}
		out = append(out, fmt.Sprintf("%q", s))
	}
	return out
}
