package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// maxCheckBytes bounds a check request: triage.MaxDrafts drafts of a few
// dozen lines each.
const maxCheckBytes = 8 << 20

// draftInput is a posted draft with its posting date as sent, so a bad
// date is refused naming posting_date; it shadows the draft's own field.
type draftInput struct {
	triage.Draft
	PostingDate string `json:"posting_date"`
}

func (in draftInput) draft() (triage.Draft, error) {
	d := in.Draft
	if in.PostingDate == "" {
		return d, nil
	}
	t, err := time.Parse(time.RFC3339Nano, in.PostingDate)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, in.PostingDate); err != nil {
			return d, triage.Invalid("posting_date", "must be an RFC 3339 time or a date YYYY-MM-DD")
		}
	}
	d.PostingDate = t
	return d, nil
}

// readDrafts accepts one draft object or {"drafts": [...]}, and reports
// whether the body was a batch.
func readDrafts(w http.ResponseWriter, r *http.Request) ([]triage.Draft, bool, error) {
	body, err := readBody(w, r, maxCheckBytes)
	if err != nil {
		return nil, false, err
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(bytes.TrimSpace(body), &probe); err != nil {
		return nil, false, jsonError(err)
	}
	raws := []json.RawMessage{body}
	_, batch := probe["drafts"]
	if batch {
		var wrapper struct {
			Drafts []json.RawMessage `json:"drafts"`
		}
		if err := decodeBytes(body, &wrapper); err != nil {
			return nil, true, err
		}
		if len(wrapper.Drafts) == 0 || len(wrapper.Drafts) > triage.MaxDrafts {
			return nil, true, triage.Invalid("drafts", "a batch holds 1 to %d drafts, got %d", triage.MaxDrafts, len(wrapper.Drafts))
		}
		raws = wrapper.Drafts
	}
	out := make([]triage.Draft, len(raws))
	for i, raw := range raws {
		var in draftInput
		err := undrafted(decodeBytes(raw, &in))
		if err == nil {
			out[i], err = in.draft()
		}
		if err != nil && batch {
			return nil, true, triage.NameDraft(err, i)
		}
		if err != nil {
			return nil, false, err
		}
	}
	return out, batch, nil
}

// postCheckInvoices runs the pre-release checks on one draft or a batch.
func (s *Server) postCheckInvoices(w http.ResponseWriter, r *http.Request) {
	drafts, batch, err := readDrafts(w, r)
	var res []triage.CheckResult
	if err == nil {
		res, err = s.svc.CheckInvoices(r.Context(), principal(r), drafts)
	}
	if err != nil {
		s.fail(w, r, unbatched(err, batch))
		return
	}
	if batch {
		writeJSON(w, http.StatusOK, map[string]any{"results": res})
		return
	}
	writeJSON(w, http.StatusOK, res[0])
}

// unbatched drops the drafts[0] the service names for a body that held a
// single draft.
func unbatched(err error, batch bool) error {
	e, ok := err.(*triage.Error)
	if batch || !ok {
		return err
	}
	c := *e
	if c.Field == "drafts[0]" {
		c.Field = ""
	}
	c.Field = strings.TrimPrefix(c.Field, "drafts[0].")
	return &c
}

// undrafted names a field of the embedded draft as the client wrote it,
// without the Go type's name encoding/json puts in front.
func undrafted(err error) error {
	e, ok := err.(*triage.Error)
	if !ok || !strings.HasPrefix(e.Field, "Draft.") {
		return err
	}
	c := *e
	c.Field = strings.TrimPrefix(e.Field, "Draft.")
	return &c
}
