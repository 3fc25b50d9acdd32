package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// decode reads one JSON value from the body into v, refusing unknown
// fields and trailing data, and names the field at fault on error.
func decode(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body, err := readBody(w, r, limit)
	if err != nil {
		return err
	}
	return decodeBytes(body, v)
}

// readBody reads the body, refusing more than limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, bodyError(err)
	}
	return body, nil
}

// bodyError is errTooLarge, answered 413, when a body was read past its
// limit anywhere in err's chain (the domain, which reads some bodies
// itself, wraps read errors but cannot name net/http's), and invalid input
// for any other read error.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return fmt.Errorf("%w (limit %d bytes)", errTooLarge, mbe.Limit)
	}
	return triage.Wrap(triage.EINVALID, err, "could not read the request body")
}

// tooLarge is bodyError for an error that read past a limit and err
// itself for any other: the service reads some bodies and reports their
// other errors itself.
func tooLarge(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return bodyError(err)
	}
	return err
}

// maxBodyNesting is the deepest an exceptions body may nest: the
// {"exceptions": [...]} wrapper, its array and the item hold attributes
// of at most triage.MaxAttrDepth levels.
const maxBodyNesting = 3 + triage.MaxAttrDepth

// checkNesting refuses a body nested deeper than any valid one before it
// is decoded, naming the item and field, so that a body of a few KB
// nested thousands deep costs one scan instead of a deep decode.
// Attributes one to three levels too deep pass here and are refused by
// dataset.DecodeException, item by item.
func checkNesting(body []byte) error {
	path, ok := dataset.Nesting(body, maxBodyNesting)
	if ok {
		return nil
	}
	return triage.Invalid(nestingField(path), "nests deeper than %d levels", triage.MaxAttrDepth)
}

// nestingField names the item and field a nesting path is in:
// exceptions[i].field in a batch (either form), field alone otherwise.
func nestingField(path []string) string {
	if len(path) > 1 && path[0] == "exceptions" && strings.HasPrefix(path[1], "[") {
		path = path[1:]
	}
	if !strings.HasPrefix(path[0], "[") {
		return path[0]
	}
	field := "exceptions" + path[0]
	if len(path) > 1 {
		field += "." + path[1]
	}
	return field
}

func decodeBytes(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return triage.Invalid("", "unexpected data after the JSON value")
	}
	return nil
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return triage.Invalid(te.Field, "must be a JSON %s, not %s", te.Type.Kind(), te.Value)
	case errors.As(err, &se):
		return triage.Invalid("", "malformed JSON at byte %d: %v", se.Offset, se)
	case errors.Is(err, io.EOF):
		return triage.Invalid("", "the request body is empty")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return triage.Invalid(field, "unknown field")
	}
	var pe *triage.Error
	if errors.As(err, &pe) {
		return pe
	}
	return triage.Invalid("", "invalid JSON: %v", err)
}
