package api

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/triage"
)

// patternQuery reads GET /v1/patterns' query: type, limit, spiking.
func patternQuery(r *http.Request) (triage.PatternQuery, error) {
	v := r.URL.Query()
	q := triage.PatternQuery{Type: triage.Type(v.Get("type"))}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return q, triage.Invalid("limit", "must be an integer from 1 to %d", triage.MaxPatternPage)
		}
		q.Limit = n
	}
	if sp := v.Get("spiking"); sp != "" {
		b, err := strconv.ParseBool(sp)
		if err != nil {
			return q, triage.Invalid("spiking", "must be true or false")
		}
		q.Spiking = b
	}
	return q, nil
}

// getPatterns lists the latest run's patterns. Before the first run the
// list is empty and run is null: nothing has failed, detection has just
// not run yet.
func (s *Server) getPatterns(w http.ResponseWriter, r *http.Request) {
	q, err := patternQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	run, ps, err := s.svc.Patterns(r.Context(), principal(r), q)
	if triage.ErrorCode(err) == triage.ENOTFOUND {
		writeJSON(w, http.StatusOK, map[string]any{"run": nil, "patterns": []triage.Pattern{}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"run": run, "patterns": ps})
}

// getPattern is one pattern with the members the caller may see.
func (s *Server) getPattern(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.Pattern(r.Context(), principal(r), chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ms := p.Members
	if ms == nil {
		ms = []triage.PatternMember{}
	}
	writeJSON(w, http.StatusOK, patternDetail{Pattern: p, Members: ms})
}

// patternDetail always states members, as [] when the caller sees none.
type patternDetail struct {
	triage.Pattern
	Members []triage.PatternMember `json:"members"`
}

// postPatternResolve applies one reviewed resolution to the pattern's open
// members ("resolve all like this"); like a bulk action, the answer is
// 200 whatever the items' outcomes, each named with its code.
func (s *Server) postPatternResolve(w http.ResponseWriter, r *http.Request) {
	var in triage.PatternResolution
	if err := decode(w, r, 64<<10, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	items, err := s.svc.ResolvePattern(r.Context(), principal(r), chi.URLParam(r, "id"), in)
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
	if items == nil {
		items = []triage.BulkItem{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"dry_run": in.DryRun, "ok": ok, "refused": len(items) - ok, "items": items})
}
