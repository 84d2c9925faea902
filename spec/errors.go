package spec

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// problems collects the errors of one file (or of the options), without
// duplicates: a default compiled for many tests reports its problem once.
type problems struct {
	list []*Error
	seen map[Error]bool
	full bool // maxErrors reached: further problems are dropped
}

func (p *problems) add(pos Pos, msg string) {
	if p.full {
		return
	}
	if len(p.list) == maxErrors {
		p.full = true
		p.list = append(p.list, &Error{Pos: Pos{File: pos.File, Line: pos.Line, Col: pos.Col}, Msg: fmt.Sprintf("too many problems (more than %d): fix these first", maxErrors)})
		return
	}
	e := Error{Pos: pos, Msg: msg}
	if p.seen == nil {
		p.seen = make(map[Error]bool)
	}
	if p.seen[e] {
		return
	}
	p.seen[e] = true
	p.list = append(p.list, &e)
}

// reserve takes the place of a problem at pos whose message is known
// later, set with fill; nil when no more problems are taken.
func (p *problems) reserve(pos Pos) *Error {
	if p.full || len(p.list) == maxErrors {
		p.add(pos, "") // the list is full: adds the last line, once
		return nil
	}
	e := &Error{Pos: pos}
	p.list = append(p.list, e)
	return e
}

// fill sets the message of a problem reserve placed. A problem that is
// then the same as one before it leaves the list.
func (p *problems) fill(e *Error, msg string) {
	if p.seen[Error{Pos: e.Pos, Msg: msg}] {
		p.list = slices.DeleteFunc(p.list, func(x *Error) bool { return x == e })
		return
	}
	e.Msg = msg
	if p.seen == nil {
		p.seen = make(map[Error]bool)
	}
	p.seen[*e] = true
}

// sortErrors orders errors by file, line and column, keeping the order in
// which they were found otherwise.
func sortErrors(list []*Error) {
	slices.SortStableFunc(list, func(a, b *Error) int {
		if c := strings.Compare(a.Pos.File, b.Pos.File); c != 0 {
			return c
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Col - b.Pos.Col
	})
}

// joinErrors sorts and joins errors; nil when there are none.
func joinErrors(list []*Error) error {
	if len(list) == 0 {
		return nil
	}
	sortErrors(list)
	errs := make([]error, len(list))
	for i, e := range list {
		errs[i] = e
	}
	return errors.Join(errs...)
}
