package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/triage"
)

// queuePageSize is how many items a queue page lists.
const queuePageSize = 50

// queueView is one queue's page: the workbench's search, filters, sortable
// columns and saved views around the list.
type queueView struct {
	Queue triage.Queue
	Types []triage.Type
	Whys  []triage.Why
	// Form echoes the search and filters as typed, so the form shows what
	// the list was asked for.
	Form      queueForm
	Filtered  bool
	ClearHref string
	// Problem says why the search or a filter was refused, naming it.
	Problem   string
	Total     int
	Rows      []queueRow
	Columns   []queueColumn
	Stat      triage.QueueStat
	StatKnown bool
	NextHref  string
	Paged     bool
	// Views are the person's saved views of this queue; Query is this
	// page's, which "Save view" keeps.
	Views     []savedViewLink
	CanSave   bool
	Query     string
	SaveError string
	// Moved reports an item just reassigned away from this queue.
	Moved string
	// CanWork shows the bulk bar; Targets are the queues it may move to.
	CanWork bool
	Targets []triage.Queue
}

// queueForm is the search and filter form's values.
type queueForm struct {
	Q, Type, Customer, Why, Sort string
	MinAmount, MaxAmount         string
	MinRisk, MaxRisk             string
	MinConfidence, MaxConfidence string
	MinAge, MaxAge               string
	MoreOpen                     bool
}

// queueColumn is a header of the list: sortable ones link to the list
// ordered by them, and say which way it is ordered now.
type queueColumn struct {
	Label string
	Class string
	Href  string
	// Sort is "ascending" or "descending" for the column the list is
	// ordered by, for aria-sort.
	Sort string
}

// savedViewLink is one saved view on the page.
type savedViewLink struct {
	ID      int64
	Name    string
	Href    string
	Current bool
}

// queueRow is one item with what the table shows beside it.
type queueRow struct {
	triage.QueueItem
	Age  time.Duration
	Risk riskView
	Href string
	// Why is the tag shown; More counts the others, named in WhyAll.
	Why    triage.Why
	More   int
	WhyAll string
}

// queueColumns are the list's columns; key is the sort parameter, "" for
// a column with no order of its own.
var queueColumns = []struct {
	label, key, class string
	// desc: the first click sorts largest first (priority, amount, risk
	// and age are read from the top).
	desc bool
}{
	{"Priority", "priority", "num col-priority", true},
	{"Exception", "id", "col-id", false},
	{"Type", "type", "col-type", false},
	{"Summary", "", "col-summary", false},
	{"Customer", "customer", "col-customer", false},
	{"Amount", "amount", "num col-amount", true},
	{"Risk", "risk", "col-risk", true},
	{"Age", "age", "num col-age", true},
	{"Confidence", "confidence", "num col-conf", false},
	{"Why queued", "why", "col-why", false},
	{"Suggestion", "", "col-suggestion", false},
}

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) {
	q := triage.Queue(chi.URLParam(r, "queue"))
	if !q.Valid() {
		s.notFound(w, r)
		return
	}
	query := r.URL.Query()
	v := queueView{Queue: q, Types: triage.Types, Whys: triage.Whys, Paged: query.Get("cursor") != "",
		Form: formOf(query), ClearHref: "/ui/queues/" + string(q)}
	kept := queueQueryValues(query, "cursor", "limit")
	v.Query = kept.Encode()
	v.Filtered = len(queueQueryValues(query, "cursor", "limit", "sort")) > 0
	qq, err := parseQueueQuery(q, query)
	qq.Limit = queuePageSize
	var page triage.QueuePage
	if err == nil {
		page, err = s.svc.Queue(r.Context(), principal(r), qq)
	}
	status := http.StatusOK
	if err != nil {
		if triage.ErrorCode(err) != triage.EINVALID {
			s.failPage(w, r, err)
			return
		}
		// A bad filter is the person's to fix: show it beside the form.
		status, v.Problem = http.StatusBadRequest, message(err)
	}
	v.Total = page.Total
	v.Columns = columnsFor(q, kept, qq)
	v.Rows = s.queueRows(page.Items)
	if page.NextCursor != "" {
		next := queueQueryValues(query, "cursor", "limit")
		next.Set("cursor", page.NextCursor)
		v.NextHref = "/ui/queues/" + string(q) + "?" + next.Encode()
	}
	if stats, err := s.queueStats(r.Context()); err == nil {
		v.Stat, v.StatKnown = stats[q]
	}
	v.Moved = movedNote(query)
	v.CanWork = principal(r).CanWork(q)
	for _, t := range triage.Queues {
		if t != q {
			v.Targets = append(v.Targets, t)
		}
	}
	s.addViews(r, &v)
	s.render(w, r, status, "queue", triage.QueueName(q)+" queue", v)
}

// formOf reads the form's values back from the address.
func formOf(v url.Values) queueForm {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	f := queueForm{Q: g("q"), Type: g("type"), Customer: g("customer"), Why: g("why"), Sort: g("sort"),
		MinAmount: g("min_amount"), MaxAmount: g("max_amount"), MinRisk: g("min_risk"), MaxRisk: g("max_risk"),
		MinConfidence: g("min_confidence"), MaxConfidence: g("max_confidence"), MinAge: g("min_age"), MaxAge: g("max_age")}
	// The less used filters fold away unless one is set.
	f.MoreOpen = f.Customer != "" || f.MinAmount != "" || f.MaxAmount != "" || f.MinRisk != "" || f.MaxRisk != "" ||
		f.MinConfidence != "" || f.MaxConfidence != "" || f.MinAge != "" || f.MaxAge != ""
	return f
}

// columnsFor builds the headers: each sortable one links to the same
// search and filters ordered by it, flipping the order when it is the
// current one.
func columnsFor(q triage.Queue, kept url.Values, qq triage.QueueQuery) []queueColumn {
	cur := qq.Sort
	if cur == "" {
		cur, qq.Desc = triage.SortPriority, true
	}
	cols := make([]queueColumn, len(queueColumns))
	for i, c := range queueColumns {
		cols[i] = queueColumn{Label: c.label, Class: c.class}
		if c.key == "" {
			continue
		}
		desc := c.desc
		if triage.QueueSort(c.key) == cur {
			cols[i].Sort = "ascending"
			if qq.Desc {
				cols[i].Sort = "descending"
			}
			desc = !qq.Desc
		}
		v := url.Values{}
		for k, vs := range kept {
			v[k] = vs
		}
		v.Set("sort", sortParam(triage.QueueQuery{Sort: triage.QueueSort(c.key), Desc: desc}))
		if v.Get("sort") == "" {
			v.Del("sort")
		}
		cols[i].Href = "/ui/queues/" + string(q)
		if len(v) > 0 {
			cols[i].Href += "?" + v.Encode()
		}
	}
	return cols
}

// addViews lists the person's saved views of the queue, marking the one
// this page shows. A failure only hides the list: the queue matters more.
func (s *Server) addViews(r *http.Request, v *queueView) {
	p := principal(r)
	v.CanSave = p.KeyID != 0
	if !v.CanSave {
		return
	}
	views, err := s.svc.SavedViews(r.Context(), p, v.Queue)
	if err != nil {
		s.log.Warn("saved views", "err", err)
		return
	}
	for _, sv := range views {
		href := "/ui/queues/" + string(sv.Queue)
		if sv.Query != "" {
			href += "?" + sv.Query
		}
		v.Views = append(v.Views, savedViewLink{ID: sv.ID, Name: sv.Name, Href: href, Current: sv.Query == v.Query})
	}
}

// saveView keeps the queue page's query under a name for the signed-in
// person, then shows the view.
func (s *Server) saveView(w http.ResponseWriter, r *http.Request) {
	q := triage.Queue(chi.URLParam(r, "queue"))
	raw := r.PostFormValue("query")
	vals, err := url.ParseQuery(raw)
	if err == nil {
		// Only a query the queue accepts is kept, so a view always opens.
		var qq triage.QueueQuery
		if qq, err = parseQueueQuery(q, vals); err == nil {
			err = qq.Validate()
		}
	}
	if err == nil {
		raw = queueQueryValues(vals, "cursor", "limit").Encode()
		_, err = s.svc.SaveView(r.Context(), principal(r), triage.SavedView{Queue: q, Name: r.PostFormValue("name"), Query: raw})
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	href := "/ui/queues/" + string(q)
	if raw != "" {
		href += "?" + raw
	}
	http.Redirect(w, r, href, http.StatusSeeOther)
}

// deleteView removes one of the person's saved views.
func (s *Server) deleteView(w http.ResponseWriter, r *http.Request) {
	q := triage.Queue(chi.URLParam(r, "queue"))
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		s.failPage(w, r, triage.Invalid("id", "must be a positive integer"))
		return
	}
	if err := s.svc.DeleteView(r.Context(), principal(r), q, id); err != nil {
		s.failPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/ui/queues/"+string(q), http.StatusSeeOther)
}

// queueRows adds what the table shows beside each item; the service has
// already set each item's priority and tags as of now.
func (s *Server) queueRows(items []triage.QueueItem) []queueRow {
	now := s.now()
	rows := make([]queueRow, len(items))
	for i, it := range items {
		rows[i] = queueRow{QueueItem: it, Age: now.Sub(it.OccurredAt), Risk: riskOfItem(it),
			Href: fmt.Sprintf("/ui/exceptions/%d", it.ID)}
		if n := len(it.QueuedBecause); n > 0 {
			rows[i].Why, rows[i].More = it.QueuedBecause[0], n-1
			all := make([]string, n)
			for j, w := range it.QueuedBecause {
				all[j] = string(w)
			}
			rows[i].WhyAll = strings.Join(all, ", ")
		}
	}
	return rows
}

// movedNote is the notice after a reassignment, built only from a valid
// id and queue so that no text from the address reaches the page.
func movedNote(query url.Values) string {
	id, err := strconv.ParseInt(query.Get("moved"), 10, 64)
	to := triage.Queue(query.Get("to"))
	if err != nil || id < 1 || !to.Valid() {
		return ""
	}
	return fmt.Sprintf("Exception #%d moved to the %s queue.", id, triage.QueueName(to))
}
