package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// ReadDrafts reads draft invoices, one JSON object a line (blank lines
// skipped), as `billtriage check` and the checks' benchmark take them.
// Each line is decoded strictly and validated (triage.Draft.Validate);
// a bad line is reported with its number and field and fn is not called
// for it. A repeated draft_id is a bad line.
func ReadDrafts(r io.Reader, fn func(line int, d triage.Draft) error) (errs []*LineError, err error) {
	lr := newLineReader(r, MaxLineBytes)
	seen := map[string]int{}
	for n := 1; ; n++ {
		line, tooLong, err := lr.next()
		if err == io.EOF {
			return errs, nil
		}
		if err != nil {
			return errs, fmt.Errorf("dataset: read line %d: %w", n, err)
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		d, le := decodeDraft(line, tooLong)
		if le == nil && seen[d.ID] > 0 {
			le = &LineError{Field: "draft_id", Msg: fmt.Sprintf("repeats the draft of line %d", seen[d.ID])}
		}
		if le != nil {
			le.Line = n
			errs = append(errs, le)
			continue
		}
		seen[d.ID] = n
		if err := fn(n, d); err != nil {
			return errs, fmt.Errorf("dataset: line %d: %w", n, err)
		}
	}
}

func decodeDraft(line []byte, tooLong bool) (triage.Draft, *LineError) {
	var d triage.Draft
	if tooLong {
		return d, &LineError{Msg: fmt.Sprintf("line is longer than %d bytes", MaxLineBytes)}
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return d, draftJSONError(err)
	}
	if dec.More() {
		return d, &LineError{Msg: "unexpected data after the JSON object"}
	}
	if err := d.Validate(); err != nil {
		return d, &LineError{Field: triage.ErrorField(err), Msg: triage.ErrorMessage(err)}
	}
	return d, nil
}

func draftJSONError(err error) *LineError {
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	switch {
	case errors.As(err, &te):
		return &LineError{Field: te.Field, Msg: fmt.Sprintf("must be a JSON %s, not %s", te.Type.Kind(), te.Value)}
	case errors.As(err, &pe):
		return &LineError{Field: "posting_date", Msg: "must be an RFC 3339 time"}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return &LineError{Field: strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), Msg: "unknown field"}
	}
	return &LineError{Msg: "malformed JSON: " + err.Error()}
}

// WriteDrafts writes drafts one JSON object a line.
func WriteDrafts(w io.Writer, ds []triage.Draft) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, d := range ds {
		if err := enc.Encode(d); err != nil {
			return err
		}
	}
	return bw.Flush()
}
