package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/triage"
)

// patternsView is the Patterns page: the latest run and its patterns.
type patternsView struct {
	Run      *triage.PatternRun
	Rows     []patternRow
	Types    []triage.Type
	Type     triage.Type
	Spiking  bool
	Spikes   []triage.Spike
	Patterns []triage.Pattern
}

// patternRow is a pattern with its sparkline.
type patternRow struct {
	triage.Pattern
	Spark sparkline
}

func (s *Server) patternsPage(w http.ResponseWriter, r *http.Request) {
	q, err := patternQuery(r)
	if err == nil {
		err = q.Validate()
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := patternsView{Types: triage.Types, Type: q.Type, Spiking: q.Spiking}
	run, ps, err := s.svc.Patterns(r.Context(), principal(r), q)
	if err != nil && triage.ErrorCode(err) != triage.ENOTFOUND {
		s.failPage(w, r, err)
		return
	}
	if err == nil {
		v.Run, v.Spikes = &run, run.Spikes
	}
	for _, p := range ps {
		v.Rows = append(v.Rows, patternRow{Pattern: p, Spark: newSparkline(p.Daily, 120, 24)})
	}
	s.render(w, r, http.StatusOK, "patterns", "Patterns", v)
}

// patternView is one pattern's page, with the outcome of a "resolve all
// like this" when one was asked for.
type patternView struct {
	triage.Pattern
	Spark sparkline
	// OpenMembers and Closed split the members the caller sees.
	OpenMembers, Closed []triage.PatternMember
	CanResolve          bool
	// RootCause, Action and Note fill the form: the pattern's shared
	// suggestion, or what the reviewer last entered.
	RootCause, Action, Note string
	Result                  []triage.BulkItem
	DryRun                  bool
	OK                      int
	Error                   string
}

func (s *Server) patternPage(w http.ResponseWriter, r *http.Request) {
	s.renderPattern(w, r, http.StatusOK, patternView{})
}

// renderPattern shows the pattern with v's form state and result.
func (s *Server) renderPattern(w http.ResponseWriter, r *http.Request, status int, v patternView) {
	p := principal(r)
	pat, err := s.svc.Pattern(r.Context(), p, chi.URLParam(r, "id"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	form := v
	v.Pattern, v.Spark = pat, newSparkline(pat.Daily, 480, 64)
	v.RootCause, v.Action, v.Note = pat.RootCause, pat.Action, form.Note
	if form.RootCause != "" || form.Action != "" {
		v.RootCause, v.Action = form.RootCause, form.Action
	}
	for _, m := range pat.Members {
		if m.ExceptionID > 0 && m.Status.Open() {
			v.OpenMembers = append(v.OpenMembers, m)
			v.CanResolve = v.CanResolve || p.CanWork(m.Queue)
		} else {
			v.Closed = append(v.Closed, m)
		}
	}
	v.CanResolve = v.CanResolve && p.Role != triage.RoleAnalyst
	s.render(w, r, status, "pattern", "Pattern "+pat.ID, v)
}

// resolvePatternAction previews (dry_run) or applies one reviewed
// resolution to the pattern's open members and shows each item's outcome.
func (s *Server) resolvePatternAction(w http.ResponseWriter, r *http.Request) {
	req := triage.PatternResolution{RootCause: strings.TrimSpace(r.PostFormValue("root_cause")),
		Action: strings.TrimSpace(r.PostFormValue("action")), Note: r.PostFormValue("note"),
		DryRun: r.PostFormValue("dry_run") != ""}
	v := patternView{RootCause: req.RootCause, Action: req.Action, Note: req.Note, DryRun: req.DryRun}
	items, err := s.svc.ResolvePattern(r.Context(), principal(r), chi.URLParam(r, "id"), req)
	if err != nil {
		if triage.ErrorCode(err) != triage.EINVALID || triage.ErrorField(err) == "id" {
			s.failPage(w, r, err)
			return
		}
		v.Error = message(err)
		s.renderPattern(w, r, http.StatusBadRequest, v)
		return
	}
	v.Result = items
	for _, it := range items {
		if it.OK {
			v.OK++
		}
	}
	s.renderPattern(w, r, http.StatusOK, v)
}

// sparkline is a trend as an inline SVG polyline: no script, no image.
type sparkline struct {
	W, H   int
	Points string
	Max    int
	Total  int
	Days   int
}

// newSparkline scales daily counts into a w×h box, the highest day at the
// top.
func newSparkline(daily []int, w, h int) sparkline {
	sp := sparkline{W: w, H: h, Days: len(daily)}
	for _, c := range daily {
		sp.Max, sp.Total = max(sp.Max, c), sp.Total+c
	}
	if len(daily) == 0 {
		return sp
	}
	var b strings.Builder
	for i, c := range daily {
		x := 0.0
		if len(daily) > 1 {
			x = float64(i) * float64(w) / float64(len(daily)-1)
		}
		y := float64(h - 1)
		if sp.Max > 0 {
			y = float64(h-1) - float64(c)*float64(h-2)/float64(sp.Max)
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.1f,%.1f", x, y)
	}
	sp.Points = b.String()
	return sp
}
