package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/triage"
)

// exceptionView is the detail page of one exception.
type exceptionView struct {
	Ex       triage.Exception
	Decision *triage.Decision
	Risk     riskView
	// Email is the parsed message when the text is an email.
	Email  *emailView
	Fields []field
	Audit  []auditRow
	// CanWork shows the action forms; Open says the item still takes them.
	CanWork   bool
	Open      bool
	CanAccept bool
	Targets   []triage.Queue
	Edit      editForm
	// RootCauses and Actions suggest codes for the edit form: the
	// candidates and precedents, so an edit reuses the taxonomy in use.
	RootCauses []string
	Actions    []string
	BackHref   string
	// Resolution is what a person stored, shown instead of the suggestion
	// once the item is closed: after an edit, they differ.
	Resolution *triage.Resolution
	Comments   []triage.Comment
	// CommentDraft puts back a comment that was refused.
	CommentDraft string
	// CanClaim shows the claim button; CanAssign the lead's assign form;
	// Mine says the signed-in person holds the item.
	CanClaim, CanAssign, Mine bool
	Related                   *relatedView
	// Error explains a refused action; Done confirms one.
	Error string
	Done  string
}

// field is one labelled value of the extracted fields.
type field struct{ Label, Value string }

// editForm is the edit-then-resolve form's values: one field per
// parameter, prefilled with the suggestion, and a JSON object for
// parameters the suggestion did not name.
type editForm struct {
	RootCause, Action string
	Fields            []editParam
	Params, Note      string
}

// editParam is one parameter field of the edit form. Kind says how its
// text is read back: "string" as it is, "number" as a number, "json" as
// a JSON value (a list or an object the suggestion carried).
type editParam struct{ Name, Value, Kind string }

// auditRow is an audit entry with its detail as sorted key/value pairs.
type auditRow struct {
	triage.AuditEntry
	Details []field
}

func (s *Server) exceptionPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadException(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v.Done = doneNote(r.URL.Query().Get("done"))
	s.render(w, r, http.StatusOK, "exception", fmt.Sprintf("Exception #%d", v.Ex.ID), v)
}

// loadException reads the exception of the path with its latest decision
// and audit trail; the service refuses it unless the principal may see its
// queue.
func (s *Server) loadException(r *http.Request) (exceptionView, error) {
	id, err := pathID(r)
	if err != nil {
		return exceptionView{}, triage.Errorf(triage.ENOTFOUND, "There is no exception %q.", chi.URLParam(r, "id"))
	}
	d, err := s.svc.Exception(r.Context(), principal(r), id)
	if err != nil {
		return exceptionView{}, err
	}
	ex, p := d.Exception, principal(r)
	v := exceptionView{Ex: ex, Decision: d.Decision, Audit: auditRows(d.Audit), Open: ex.Status.Open(),
		CanWork: p.CanWork(ex.Queue), BackHref: "/ui/queues/" + string(ex.Queue),
		Resolution: d.Resolution, Comments: d.Comments, Mine: ex.Assignee != "" && ex.Assignee == p.Name}
	v.CanClaim = v.Open && v.CanWork && ex.Assignee == ""
	v.CanAssign = v.Open && p.CanAssign(ex.Queue)
	// The panel is a convenience: the page still shows without it.
	if rel, err := s.svc.Related(r.Context(), p, id); err == nil {
		v.Related = s.relatedOf(ex, rel)
	} else {
		s.log.Warn("ui related items", "exception", id, "err", err)
	}
	v.fill()
	return v, nil
}

// fill derives what the page shows from the exception and its decision.
func (v *exceptionView) fill() {
	v.Risk = riskOfDecision(v.Decision)
	v.Email = emailOf(v.Ex)
	v.Fields = exceptionFields(v.Ex)
	for _, q := range triage.Queues {
		if q != v.Ex.Queue {
			v.Targets = append(v.Targets, q)
		}
	}
	if d := v.Decision; d != nil {
		v.CanAccept = d.RootCause != ""
		v.Edit = editForm{RootCause: d.RootCause, Action: d.Action, Fields: editParams(d.Params)}
		v.RootCauses, v.Actions = candidates(d)
	}
}

// exceptionFields lists the structured fields that are set.
func exceptionFields(ex triage.Exception) []field {
	fs := []field{{"Type", typeLabel(ex.Type)}, {"Source", ex.Source}, {"External id", ex.ExternalID},
		{"Customer", ex.CustomerID}, {"Invoice", ex.InvoiceID}}
	if ex.Amount != nil {
		fs = append(fs, field{"Amount", money(ex.Amount, ex.Currency)})
	}
	fs = append(fs, field{"Region", ex.Region}, field{"Occurred", when(ex.OccurredAt)}, field{"Received", when(ex.CreatedAt)})
	for _, k := range slices.Sorted(maps.Keys(ex.Attributes)) {
		if k != disputes.OriginalAttr { // shown in full as the original text
			fs = append(fs, field{k, value(ex.Attributes[k])})
		}
	}
	out := fs[:0]
	for _, f := range fs {
		if f.Value != "" {
			out = append(out, f)
		}
	}
	return out
}

func auditRows(entries []triage.AuditEntry) []auditRow {
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{AuditEntry: e}
		for _, k := range slices.Sorted(maps.Keys(e.Detail)) {
			if val := value(e.Detail[k]); val != "" && val != "—" {
				rows[i].Details = append(rows[i].Details, field{k, val})
			}
		}
	}
	return rows
}

// candidates collects the distinct root causes and actions of a decision's
// alternatives and precedents, best first.
func candidates(d *triage.Decision) (causes, actions []string) {
	seen := map[string]bool{}
	add := func(list *[]string, kind, s string) {
		if s != "" && !seen[kind+s] {
			seen[kind+s] = true
			*list = append(*list, s)
		}
	}
	add(&causes, "c", d.RootCause)
	add(&actions, "a", d.Action)
	for _, a := range d.Alternatives {
		add(&causes, "c", a.RootCause)
		add(&actions, "a", a.Action)
	}
	for _, n := range d.Neighbors {
		add(&causes, "c", n.RootCause)
		add(&actions, "a", n.Action)
	}
	return causes, actions
}

// editParams turns suggested parameters into the edit form's fields,
// sorted by name.
func editParams(p map[string]any) []editParam {
	out := make([]editParam, 0, len(p))
	for _, k := range slices.Sorted(maps.Keys(p)) {
		switch x := p[k].(type) {
		case string:
			out = append(out, editParam{Name: k, Value: x, Kind: "string"})
		case float64:
			out = append(out, editParam{Name: k, Value: strconv.FormatFloat(x, 'f', -1, 64), Kind: "number"})
		default:
			b, err := json.Marshal(x)
			if err != nil {
				continue
			}
			out = append(out, editParam{Name: k, Value: string(b), Kind: "json"})
		}
	}
	return out
}

// doneNote confirms an action after its redirect; only known codes are
// shown, so the address cannot put text on the page.
func doneNote(code string) string {
	return map[string]string{
		"resolved":   "Resolved. The resolution joined the history and the item left its queue.",
		"rejected":   "Rejected as not actionable. The item left its queue.",
		"reassigned": "Reassigned.",
		"claimed":    "Claimed: the item is yours.",
		"assigned":   "Assigned.",
		"released":   "Released: nobody holds the item now.",
		"commented":  "Comment added.",
		"reverted":   "Reverted: the fields have their previous values and the item waits in its queue.",
	}[code]
}
