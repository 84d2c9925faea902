package jsonreport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"time"
)

// Read parses a report written by Write, Encode or a newer specrun of the
// same schema version: fields it does not know are ignored. It rejects a
// document whose schema_version is missing or not SchemaVersion, a status
// that is not pass, fail, error, interrupted or skip, a start time not in TimeLayout
// (RFC 3339), and nulls where lists of suites, tests, steps, attempts or
// failures belong. Syntax errors say LINE:COL in the document.
func Read(r io.Reader) (*Report, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("jsonreport: reading the report: %w", err)
	}
	var probe struct {
		SchemaVersion *int `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, decodeError(data, err)
	}
	if probe.SchemaVersion == nil {
		return nil, errors.New("jsonreport: not a specrun JSON report: no schema_version; write it with specrun --report-json")
	}
	if v := *probe.SchemaVersion; v != SchemaVersion {
		return nil, fmt.Errorf("jsonreport: schema_version %d is not supported (this specrun reads %d): read it with the specrun version that wrote it", v, SchemaVersion)
	}
	rep := new(Report)
	if err := json.Unmarshal(data, rep); err != nil {
		return nil, decodeError(data, err)
	}
	if err := rep.validate(); err != nil {
		return nil, fmt.Errorf("jsonreport: invalid report: %w", err)
	}
	return rep, nil
}

// decodeError adds the line and column of a syntax or type error.
func decodeError(data []byte, err error) error {
	var off int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off, err = typ.Offset, typeMismatch(typ)
	}
	if off < 0 {
		return fmt.Errorf("jsonreport: invalid report: %w", err)
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	if col < 1 {
		col = 1
	}
	return fmt.Errorf("jsonreport: invalid report at %d:%d: %w", line, col, err)
}

// typeMismatch says, in JSON's words, which field holds the wrong kind of
// value (encoding/json's own text names Go types, and changes between Go
// releases).
func typeMismatch(e *json.UnmarshalTypeError) error {
	where := e.Field
	if where == "" {
		where = "the document"
	}
	return fmt.Errorf("%s is a JSON %s, but the report format wants %s", where, e.Value, jsonKind(e.Type))
}

// jsonKind names the JSON value a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

func (rep *Report) validate() error {
	if err := checkStatus("status", rep.Status); err != nil {
		return err
	}
	if rep.Run.Start != "" {
		if _, err := time.Parse(time.RFC3339, rep.Run.Start); err != nil {
			return fmt.Errorf("run.start %q is not an RFC 3339 time", rep.Run.Start)
		}
	}
	if rep.Suites == nil {
		return errors.New("suites is missing or null")
	}
	for i, s := range rep.Suites {
		where := fmt.Sprintf("suites[%d]", i)
		if s == nil {
			return fmt.Errorf("%s is null", where)
		}
		if err := checkStatus(where+".status", s.Status); err != nil {
			return err
		}
		if err := checkSteps(where+".setup", s.Setup); err != nil {
			return err
		}
		if err := checkSteps(where+".teardown", s.Teardown); err != nil {
			return err
		}
		for j, t := range s.Tests {
			where := fmt.Sprintf("%s.tests[%d]", where, j)
			if t == nil {
				return fmt.Errorf("%s is null", where)
			}
			if err := checkStatus(where+".status", t.Status); err != nil {
				return err
			}
			if err := checkSteps(where+".steps", t.Steps); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkSteps(where string, steps []*Step) error {
	for i, s := range steps {
		where := fmt.Sprintf("%s[%d]", where, i)
		if s == nil {
			return fmt.Errorf("%s is null", where)
		}
		if err := checkStatus(where+".status", s.Status); err != nil {
			return err
		}
		for j, a := range s.Attempts {
			where := fmt.Sprintf("%s.attempts[%d]", where, j)
			if a == nil {
				return fmt.Errorf("%s is null", where)
			}
			if err := checkStatus(where+".status", a.Status); err != nil {
				return err
			}
			for k, f := range a.Failures {
				if f == nil {
					return fmt.Errorf("%s.failures[%d] is null", where, k)
				}
			}
		}
	}
	return nil
}

func checkStatus(where, s string) error {
	if _, ok := statusRank(s); !ok {
		return fmt.Errorf("%s is %q; want pass, fail, error, interrupted or skip", where, s)
	}
	return nil
}

// statusRank orders statuses like runner.Status: skip < pass < fail < error
// < interrupted.
func statusRank(s string) (int, bool) {
	switch s {
	case StatusSkip:
		return 0, true
	case StatusPass:
		return 1, true
	case StatusFail:
		return 2, true
	case StatusError:
		return 3, true
	case StatusInterrupted:
		return 4, true
	}
	return 0, false
}

// worse returns the worse of two valid statuses.
func worse(a, b string) string {
	ra, _ := statusRank(a)
	rb, _ := statusRank(b)
	if rb > ra {
		return b
	}
	return a
}
