package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// MaxBatch is the largest batch POST /v1/exceptions accepts.
const MaxBatch = 1000

// toException maps one posted exception, in dataset format v1 without the
// resolution, to the domain's; occurred_at defaults to now.
func toException(raw []byte, now time.Time) (triage.Exception, error) {
	rec, err := dataset.DecodeException(raw)
	var le *dataset.LineError
	if errors.As(err, &le) {
		return triage.Exception{}, triage.Invalid(le.Field, "%s", le.Msg)
	}
	if err != nil {
		return triage.Exception{}, err
	}
	if rec.OccurredAt.IsZero() {
		rec.OccurredAt = now
	}
	e := rec.Exception()
	return e, e.Validate()
}

// readExceptions reads and parses the body of POST /v1/exceptions. Its
// nesting is checked before anything decodes it; then it must be one JSON
// value.
func (s *Server) readExceptions(w http.ResponseWriter, r *http.Request) ([]triage.Exception, bool, error) {
	body, err := readBody(w, r, s.maxBody)
	if err == nil {
		err = checkNesting(body)
	}
	if err == nil {
		err = decodeBytes(body, &json.RawMessage{})
	}
	if err != nil {
		return nil, false, err
	}
	return s.parseExceptions(body)
}

// parseExceptions accepts one exception object, an array of them, or
// {"exceptions": [...]}. It reports whether the body was a batch.
func (s *Server) parseExceptions(body []byte) ([]triage.Exception, bool, error) {
	raws, batch, err := splitBatch(body)
	if err != nil {
		return nil, false, err
	}
	if len(raws) == 0 || len(raws) > MaxBatch {
		return nil, batch, triage.Invalid("exceptions", "a batch holds 1 to %d exceptions, got %d", MaxBatch, len(raws))
	}
	now := s.now().UTC()
	exs := make([]triage.Exception, len(raws))
	for i, raw := range raws {
		var err error
		if exs[i], err = toException(raw, now); err != nil {
			return nil, batch, itemError(err, i, batch)
		}
	}
	return exs, batch, nil
}

func splitBatch(body []byte) ([]json.RawMessage, bool, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var raws []json.RawMessage
		err := json.Unmarshal(trimmed, &raws)
		if err != nil {
			return nil, true, jsonError(err)
		}
		return raws, true, nil
	}
	var wrapper struct {
		Exceptions []json.RawMessage `json:"exceptions"`
	}
	if bytes.Contains(trimmed, []byte(`"exceptions"`)) && decodeBytes(trimmed, &wrapper) == nil {
		return wrapper.Exceptions, true, nil
	}
	return []json.RawMessage{trimmed}, false, nil
}

// itemError names the item of a batch body, even a batch of one, as the
// client sent it as a list; a single object's error names the field only.
func itemError(err error, i int, batch bool) error {
	if !batch {
		return err
	}
	return triage.NameItem(err, i)
}

func (s *Server) postExceptions(w http.ResponseWriter, r *http.Request) {
	exs, batch, err := s.readExceptions(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	subs, err := s.svc.Submit(r.Context(), principal(r), exs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if batch {
		writeJSON(w, http.StatusOK, map[string]any{"results": subs})
		return
	}
	status := http.StatusOK
	if subs[0].Created {
		status = http.StatusCreated
		w.Header().Set("Location", fmt.Sprintf("/v1/exceptions/%d", subs[0].Exception.ID))
	}
	writeJSON(w, status, subs[0])
}

func (s *Server) getException(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.svc.Exception(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) postResolution(w http.ResponseWriter, r *http.Request) {
	var in triage.ResolutionInput
	id, ok := s.actOn(w, r, 1<<20, &in)
	if !ok {
		return
	}
	ex, res, err := s.svc.Resolve(r.Context(), principal(r), id, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"exception": ex, "resolution": res})
}

// reassignInput moves an open exception to another queue.
type reassignInput struct {
	Queue triage.Queue `json:"queue"`
	Note  string       `json:"note"`
}

func (s *Server) postReassign(w http.ResponseWriter, r *http.Request) {
	var in reassignInput
	id, ok := s.actOn(w, r, 64<<10, &in)
	if !ok {
		return
	}
	ex, err := s.svc.Reassign(r.Context(), principal(r), id, in.Queue, in.Note)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"exception": ex})
}

// revertInput says why an automatic enrichment is wrong.
type revertInput struct {
	Reason string `json:"reason"`
}

// postRevert undoes an automatic enrichment; the service allows it to the
// owning team or an admin, and the reversal counts against the mapping
// from then on.
func (s *Server) postRevert(w http.ResponseWriter, r *http.Request) {
	var in revertInput
	id, ok := s.actOn(w, r, 64<<10, &in)
	if !ok {
		return
	}
	ex, err := s.svc.Revert(r.Context(), principal(r), id, in.Reason)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"exception": ex})
}

// actOn starts a write on one exception: the id from the path, then the
// body decoded into in. On failure it has answered and returns false.
func (s *Server) actOn(w http.ResponseWriter, r *http.Request, limit int64, in any) (int64, bool) {
	id, err := pathID(r)
	if err == nil {
		err = decode(w, r, limit, in)
	}
	if err != nil {
		s.fail(w, r, err)
		return 0, false
	}
	return id, true
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return 0, triage.Invalid("id", "must be a positive integer")
	}
	return id, nil
}
