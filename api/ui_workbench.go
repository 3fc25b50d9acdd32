package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// The workbench's pages and forms: claim and assign, comments, bulk
// actions with their confirmation, and the auto-enriched view with its
// revert button. The service checks every right; the pages only hide the
// forms a role cannot use.

// claim gives the item to the signed-in person.
func (s *Server) claim(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.Claim(r.Context(), principal(r), id)
	}
	s.afterItemAction(w, r, id, err, "claimed")
}

// assign gives the item to the person named in the form, or releases it
// when the name is empty.
func (s *Server) assign(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	to := strings.TrimSpace(r.PostFormValue("assignee"))
	if err == nil {
		_, err = s.svc.Assign(r.Context(), principal(r), id, to)
	}
	done := "assigned"
	if to == "" {
		done = "released"
	}
	s.afterItemAction(w, r, id, err, done)
}

// comment appends the form's comment to the item.
func (s *Server) comment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	body := r.PostFormValue("body")
	if err == nil {
		_, err = s.svc.AddComment(r.Context(), principal(r), id, body)
	}
	if err != nil {
		s.actionFailed(w, r, err, func(v *exceptionView) { v.CommentDraft = body })
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/ui/exceptions/%d?done=commented#comments", id), http.StatusSeeOther)
}

// afterItemAction answers a detail-page form: back to the page with a
// notice, or the page again with why the action was refused.
func (s *Server) afterItemAction(w http.ResponseWriter, r *http.Request, id int64, err error, done string) {
	if err != nil {
		s.actionFailed(w, r, err, nil)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/ui/exceptions/%d?done=%s", id, done), http.StatusSeeOther)
}

// revert undoes an automatic enrichment from the auto-enriched view (or
// the detail page): back to where the button was, saying what happened.
func (s *Server) revert(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.Revert(r.Context(), principal(r), id, strings.TrimSpace(r.PostFormValue("reason")))
	}
	fromAuto := r.PostFormValue("from") == "auto"
	if err != nil {
		if fromAuto {
			s.renderAuto(w, r, s.status(r, err), fmt.Sprintf("Exception #%d was not reverted. %s", id, message(err)))
			return
		}
		s.actionFailed(w, r, err, nil)
		return
	}
	if fromAuto {
		back := "/ui/auto?" + url.Values{"reverted": {strconv.FormatInt(id, 10)}}.Encode()
		if f := r.PostFormValue("filters"); f != "" {
			if q, perr := url.ParseQuery(f); perr == nil {
				q.Set("reverted", strconv.FormatInt(id, 10))
				back = "/ui/auto?" + q.Encode()
			}
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/ui/exceptions/%d?done=reverted", id), http.StatusSeeOther)
}

// bulkView is the confirmation of a bulk action (Planned) or its outcome.
type bulkView struct {
	Req triage.BulkRequest
	// Done is false on the confirmation page, true once applied.
	Done  bool
	Items []triage.BulkItem
	OK    int
	// Back is the queue the action was started from.
	Back  triage.Queue
	Error string
}

// bulkRequest reads a bulk form: the ticked ids, the operation, the
// target queue and the note.
func bulkRequest(r *http.Request) (triage.BulkRequest, error) {
	if err := r.ParseForm(); err != nil {
		return triage.BulkRequest{}, triage.Invalid("ids", "could not read the form")
	}
	req := triage.BulkRequest{Op: triage.BulkOp(r.PostForm.Get("op")), Queue: triage.Queue(r.PostForm.Get("queue")),
		Note: strings.TrimSpace(r.PostForm.Get("note"))}
	if req.Op != triage.BulkReassign {
		req.Queue = "" // the select is on the form whatever the operation
	}
	for i, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return req, triage.Invalid(fmt.Sprintf("ids[%d]", i), "must be a positive integer")
		}
		req.IDs = append(req.IDs, id)
	}
	if len(req.IDs) == 0 {
		return req, triage.Invalid("ids", "tick at least one item")
	}
	return req, nil
}

// bulkConfirm shows what the bulk action will do to each ticked item,
// with the button that applies it; nothing changes yet.
func (s *Server) bulkConfirm(w http.ResponseWriter, r *http.Request) {
	s.bulk(w, r, false)
}

// bulkApply applies the confirmed bulk action and shows each item's
// outcome.
func (s *Server) bulkApply(w http.ResponseWriter, r *http.Request) {
	s.bulk(w, r, true)
}

func (s *Server) bulk(w http.ResponseWriter, r *http.Request, apply bool) {
	v := bulkView{Done: apply, Back: triage.Queue(r.PostFormValue("back"))}
	if !v.Back.Valid() {
		v.Back = ""
	}
	req, err := bulkRequest(r)
	v.Req = req
	if err == nil {
		call := s.svc.PlanBulk
		if apply {
			call = s.svc.Bulk
		}
		v.Items, err = call(r.Context(), principal(r), req)
	}
	if err != nil {
		if triage.ErrorCode(err) != triage.EINVALID {
			s.failPage(w, r, err)
			return
		}
		v.Error = message(err)
		s.render(w, r, http.StatusBadRequest, "bulk", "Bulk action", v)
		return
	}
	for _, it := range v.Items {
		if it.OK {
			v.OK++
		}
	}
	title := "Confirm bulk action"
	if apply {
		title = "Bulk action done"
	}
	s.render(w, r, http.StatusOK, "bulk", title, v)
}

// autoView is the auto-enriched page.
type autoView struct {
	Rows  []autoRow
	Types []triage.Type
	// Filters as given, for the form and the revert buttons' way back.
	Type             triage.Type
	Action, From, To string
	Filters          string
	Reverted, Error  string
	Limit            int
}

// autoRow is an automatic decision with what the page shows beside it.
type autoRow struct {
	triage.AutoItem
	CanRevert bool
	Href      string
}

func (s *Server) autoPage(w http.ResponseWriter, r *http.Request) {
	s.renderAuto(w, r, http.StatusOK, "")
}

// renderAuto shows the auto-enriched page with status and, when set, why
// an action was refused.
func (s *Server) renderAuto(w http.ResponseWriter, r *http.Request, status int, problem string) {
	p := principal(r)
	query := r.URL.Query()
	v := autoView{Types: triage.Types, Type: triage.Type(query.Get("type")), Action: query.Get("action"),
		From: query.Get("from"), To: query.Get("to"), Error: problem, Limit: triage.DefaultAutoPage}
	filters := url.Values{}
	for _, k := range []string{"type", "action", "from", "to"} {
		if query.Get(k) != "" {
			filters.Set(k, query.Get(k))
		}
	}
	v.Filters = filters.Encode()
	if id, err := strconv.ParseInt(query.Get("reverted"), 10, 64); err == nil && id > 0 && problem == "" {
		v.Reverted = fmt.Sprintf("Exception #%d reverted: its fields have their previous values and it waits in its queue.", id)
	}
	q, err := autoQuery(r)
	var items []triage.AutoItem
	if err == nil {
		items, err = s.svc.AutoEnriched(r.Context(), p, q)
	}
	if err != nil {
		if triage.ErrorCode(err) != triage.EINVALID {
			s.failPage(w, r, err)
			return
		}
		v.Error, status = message(err), http.StatusBadRequest
	}
	for _, it := range items {
		v.Rows = append(v.Rows, autoRow{AutoItem: it, CanRevert: it.Revertible && p.CanWork(it.Exception.Queue),
			Href: fmt.Sprintf("/ui/exceptions/%d", it.Exception.ID)})
	}
	s.render(w, r, status, "auto", "Auto-enriched", v)
}

// relatedView is the customer and invoice panel of the detail page.
type relatedView struct {
	CustomerID, InvoiceID string
	Items                 []queueRow
	Hidden                int
	Invoices              []invoiceRow
}

// invoiceRow is one invoice of the panel.
type invoiceRow struct {
	triage.Invoice
	// This marks the exception's own invoice.
	This bool
	// State is paid, overdue or open, as of now.
	State string
}

// relatedOf builds the panel; the related items are a queue's rows, so
// they show risk, age and suggestion the same way.
func (s *Server) relatedOf(ex triage.Exception, rel triage.Related) *relatedView {
	if ex.CustomerID == "" && ex.InvoiceID == "" {
		return nil
	}
	v := &relatedView{CustomerID: ex.CustomerID, InvoiceID: ex.InvoiceID, Items: s.queueRows(rel.Items), Hidden: rel.Hidden}
	now := s.now()
	for _, inv := range rel.Invoices {
		row := invoiceRow{Invoice: inv, This: inv.InvoiceID == ex.InvoiceID, State: invoiceState(inv, now)}
		v.Invoices = append(v.Invoices, row)
	}
	return v
}

func invoiceState(inv triage.Invoice, now time.Time) string {
	switch {
	case inv.PaidAt != nil && inv.PaidAt.After(inv.DueAt):
		return "paid late"
	case inv.PaidAt != nil:
		return "paid"
	case now.After(inv.DueAt):
		return "overdue"
	}
	return "open"
}
