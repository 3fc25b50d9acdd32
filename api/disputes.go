package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/disputes/email"
)

// postDispute triages a pasted email. An email over email.MaxBytes is
// refused with 413 before anything is stored.
func (s *Server) postDispute(w http.ResponseWriter, r *http.Request) {
	var req disputes.Request
	// JSON escaping can double a text's size; the email limit is checked
	// on the decoded text below.
	if err := decode(w, r, 3*email.MaxBytes, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(req.Raw) > email.MaxBytes {
		s.fail(w, r, fmt.Errorf("%w: the email is %d bytes, the limit is %d", errTooLarge, len(req.Raw), email.MaxBytes))
		return
	}
	res, err := s.intake.Submit(r.Context(), principal(r), req)
	if errors.Is(err, email.ErrTooLarge) {
		err = fmt.Errorf("%w: %v", errTooLarge, err)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	writeJSON(w, status, res)
}
