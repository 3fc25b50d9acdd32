package api

import (
	"net/http"
	"strconv"

	"github.com/billtriage/billtriage/triage"
)

// defaultDriftDays is how far back the drift findings are listed unless
// the caller asks (?days=N, at most 366).
const defaultDriftDays = 30

// driftDays reads ?days=, naming it when it is not a number.
func driftDays(r *http.Request) (int, error) {
	v := r.URL.Query().Get("days")
	if v == "" {
		return defaultDriftDays, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, triage.Invalid("days", "must be a whole number of days, not %q", v)
	}
	return n, nil
}

// getDrift lists the schema drift found in the last days.
func (s *Server) getDrift(w http.ResponseWriter, r *http.Request) {
	days, err := driftDays(r)
	var fs []triage.DriftFinding
	if err == nil {
		fs, err = s.svc.DriftFindings(r.Context(), principal(r), days)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if fs == nil {
		fs = []triage.DriftFinding{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"findings": fs})
}

// driftView is the schema drift page.
type driftView struct {
	Days     int
	Findings []triage.DriftFinding
	Sources  int
}

// driftPage shows the schema drift found in the last days.
func (s *Server) driftPage(w http.ResponseWriter, r *http.Request) {
	days, err := driftDays(r)
	var fs []triage.DriftFinding
	if err == nil {
		fs, err = s.svc.DriftFindings(r.Context(), principal(r), days)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	sources := map[string]bool{}
	for _, f := range fs {
		sources[f.Source] = true
	}
	s.render(w, r, http.StatusOK, "drift", "Schema drift", driftView{Days: days, Findings: fs, Sources: len(sources)})
}
