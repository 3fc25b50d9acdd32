package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// The workbench's JSON API: claim and assign, comments, bulk actions and
// the list of automatic decisions. Each handler decodes, calls the service
// (which checks the caller) and answers.

// postClaim gives the item to the caller itself.
func (s *Server) postClaim(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ex, err := s.svc.Claim(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"exception": ex})
}

// assignInput names the person to give an item to; "" releases it.
type assignInput struct {
	Assignee string `json:"assignee"`
}

func (s *Server) postAssign(w http.ResponseWriter, r *http.Request) {
	var in assignInput
	id, ok := s.actOn(w, r, 4<<10, &in)
	if !ok {
		return
	}
	ex, err := s.svc.Assign(r.Context(), principal(r), id, in.Assignee)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"exception": ex})
}

// commentInput is a new comment.
type commentInput struct {
	Body string `json:"body"`
}

func (s *Server) postComment(w http.ResponseWriter, r *http.Request) {
	var in commentInput
	id, ok := s.actOn(w, r, 64<<10, &in)
	if !ok {
		return
	}
	c, err := s.svc.AddComment(r.Context(), principal(r), id, in.Body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) getComments(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cs, err := s.svc.Comments(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": cs})
}

// bulkInput is a bulk action; with dry_run it only says what would
// happen to each item.
type bulkInput struct {
	triage.BulkRequest
	DryRun bool `json:"dry_run"`
}

// postBulk applies one action to several items and reports each item's
// outcome. The answer is 200 whatever the items' outcomes: a refused item
// is an outcome, named with its code, not a failure of the request.
func (s *Server) postBulk(w http.ResponseWriter, r *http.Request) {
	var in bulkInput
	if err := decode(w, r, 64<<10, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	call := s.svc.Bulk
	if in.DryRun {
		call = s.svc.PlanBulk
	}
	items, err := call(r.Context(), principal(r), in.BulkRequest)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ok := 0
	for _, it := range items {
		if it.OK {
			ok++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"dry_run": in.DryRun, "ok": ok, "refused": len(items) - ok, "items": items})
}

// getAutoEnriched lists automatic decisions, filtered by the query.
func (s *Server) getAutoEnriched(w http.ResponseWriter, r *http.Request) {
	q, err := autoQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items, err := s.svc.AutoEnriched(r.Context(), principal(r), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// autoQuery reads the auto-enriched filters from the query string: type,
// action, from and to (dates or RFC 3339 times; a date's "to" includes
// that day), limit. The API and the page read them the same way.
func autoQuery(r *http.Request) (triage.AutoQuery, error) {
	v := r.URL.Query()
	q := triage.AutoQuery{Type: triage.Type(v.Get("type")), Action: v.Get("action")}
	var err error
	if q.From, err = queryTime(v.Get("from"), "from", false); err != nil {
		return q, err
	}
	if q.To, err = queryTime(v.Get("to"), "to", true); err != nil {
		return q, err
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return q, triage.Invalid("limit", "must be an integer from 1 to %d", triage.MaxAutoPage)
		}
		q.Limit = n
	}
	return q, nil
}

// queryTime parses a date (2006-01-02, UTC) or an RFC 3339 time; a date
// that ends a range means the end of that day, so to=today includes today.
func queryTime(s, field string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, triage.Invalid(field, "must be a date (2006-01-02) or an RFC 3339 time")
	}
	return t, nil
}
