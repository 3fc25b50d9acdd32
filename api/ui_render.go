package api

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/billtriage/billtriage/triage"
)

// pageNames are the page templates; each is parsed with the layout and the
// partials into its own template set, so their "content" blocks do not
// collide.
var pageNames = []string{"login", "queue", "exception", "dispute", "dashboard", "deliveries", "error", "bulk", "auto", "policy", "patterns", "pattern", "drift"}

// pages holds the parsed page templates by name.
type pages struct {
	sets map[string]*template.Template
}

func parsePages(a *assets) (*pages, error) {
	p := &pages{sets: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs(a)).
			ParseFS(files, "ui/templates/layout.html", "ui/templates/partials/*.html", "ui/templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		p.sets[name] = t
	}
	return p, nil
}

// view is what every page template receives: the layout reads the
// session and navigation, the page's own block reads Data.
type view struct {
	Title   string
	Session *triage.Session
	// CSRF is the session's token for the hidden field of every form.
	CSRF string
	Nav  []navItem
	// Path is the request path, so the navigation can mark the current
	// page.
	Path string
	Data any
	// Alert is the banner of a spike in recurring patterns, nil for none.
	Alert *spikeAlert
	// Alerts are the active drift alerts, for the banner on every page.
	Alerts []triage.Alert
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	v := view{Title: title, Session: session(r), Path: r.URL.Path, Data: data}
	if v.Session != nil {
		v.CSRF = v.Session.CSRF
		v.Nav = s.nav(r, v.Session.Principal)
		v.Alert = s.spikeBanner(r, v.Session.Principal)
		v.Alerts = s.activeAlerts(r)
	}
	var buf bytes.Buffer
	if err := s.pages.sets[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.Error("ui template", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// activeAlerts reads the active alerts for the banner; a failure to read
// them is logged and costs the page only its banner.
func (s *Server) activeAlerts(r *http.Request) []triage.Alert {
	as, err := s.svc.ActiveAlerts(r.Context())
	if err != nil {
		s.log.Warn("ui alerts banner", "err", err)
		return nil
	}
	return as
}
