package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// maxPostingBytes bounds a posting report: identifiers and the ERP's
// error text (at most triage.MaxPostingErrorBytes).
const maxPostingBytes = 2 * triage.MaxPostingErrorBytes

// postingInput is a reported posting with its time as sent, so a bad
// time is refused naming occurred_at; it shadows the posting's own field.
type postingInput struct {
	triage.Posting
	OccurredAt string `json:"occurred_at"`
}

// posting returns the domain's posting; occurred_at is left zero when
// absent, for the service to take the time of receipt.
func (in postingInput) posting() (triage.Posting, error) {
	p := in.Posting
	if in.OccurredAt == "" {
		return p, nil
	}
	t, err := time.Parse(time.RFC3339Nano, in.OccurredAt)
	if err != nil {
		return p, triage.Invalid("occurred_at", "must be an RFC 3339 time such as 2025-05-01T10:00:00Z")
	}
	p.OccurredAt = t
	return p, nil
}

// decodePosting reads a posting report's body.
func decodePosting(w http.ResponseWriter, r *http.Request) (triage.Posting, error) {
	var in postingInput
	if err := decode(w, r, maxPostingBytes, &in); err != nil {
		return triage.Posting{}, unembedded(err)
	}
	return in.posting()
}

// unembedded names a field of the embedded posting as the client wrote
// it: encoding/json puts the Go type's name in front (Posting.amount).
func unembedded(err error) error {
	e, ok := err.(*triage.Error)
	if !ok || !strings.HasPrefix(e.Field, "Posting.") {
		return err
	}
	c := *e
	c.Field = strings.TrimPrefix(e.Field, "Posting.")
	return &c
}

// postPosting records an ERP posting's outcome; a failure raises an
// exception, and a new one is answered 201.
func (s *Server) postPosting(w http.ResponseWriter, r *http.Request) {
	p, err := decodePosting(w, r)
	var rep triage.PostingReport
	if err == nil {
		rep, err = s.svc.ReportPosting(r.Context(), principal(r), p)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if rep.Submission != nil && rep.Submission.Created {
		status = http.StatusCreated
	}
	writeJSON(w, status, rep)
}
