package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// resolve accepts, edits or rejects an exception's suggestion in the name
// of the signed-in person.
func (s *server) resolve(w http.ResponseWriter, r *http.Request) {
	v, ok := s.workable(w, r)
	if !ok {
		return
	}
	in, form, err := resolutionInput(r)
	if err == nil {
		in.ResolvedBy = principal(r).Actor()
		_, _, err = s.svc.Resolve(r.Context(), v.Ex.ID, in)
	}
	if err != nil {
		if in.Verdict == triage.VerdictEdit {
			v.Edit = form
		}
		s.actionFailed(w, r, v, err)
		return
	}
	done := "resolved"
	if in.Verdict == triage.VerdictReject {
		done = "rejected"
	}
	http.Redirect(w, r, fmt.Sprintf("/ui/exceptions/%d?done=%s", v.Ex.ID, done), http.StatusSeeOther)
}

// resolutionInput reads the resolution forms: accept has only the verdict,
// edit names root cause, action and parameters as a JSON object, reject
// may carry a note.
func resolutionInput(r *http.Request) (triage.ResolutionInput, editForm, error) {
	form := editForm{RootCause: strings.TrimSpace(r.PostFormValue("root_cause")), Action: strings.TrimSpace(r.PostFormValue("action")),
		Params: strings.TrimSpace(r.PostFormValue("params")), Note: strings.TrimSpace(r.PostFormValue("note"))}
	in := triage.ResolutionInput{Verdict: triage.Verdict(r.PostFormValue("verdict")), Note: form.Note}
	if in.Verdict != triage.VerdictEdit {
		return in, form, nil
	}
	in.RootCause, in.Action = form.RootCause, form.Action
	if form.Params != "" {
		if err := json.Unmarshal([]byte(form.Params), &in.Params); err != nil || in.Params == nil {
			return in, form, triage.Invalid("params", "must be a JSON object such as {\"amount\": 120}")
		}
	}
	return in, form, nil
}

// reassign moves an exception to another queue. If the person cannot see
// the new queue they go back to the one they came from, with a notice.
func (s *server) reassign(w http.ResponseWriter, r *http.Request) {
	v, ok := s.workable(w, r)
	if !ok {
		return
	}
	p, to := principal(r), triage.Queue(r.PostFormValue("queue"))
	if _, err := s.svc.Reassign(r.Context(), v.Ex.ID, to, p.Actor(), strings.TrimSpace(r.PostFormValue("note"))); err != nil {
		s.actionFailed(w, r, v, err)
		return
	}
	if p.CanSee(to) {
		http.Redirect(w, r, fmt.Sprintf("/ui/exceptions/%d?done=reassigned", v.Ex.ID), http.StatusSeeOther)
		return
	}
	q := url.Values{"moved": {fmt.Sprint(v.Ex.ID)}, "to": {string(to)}}
	http.Redirect(w, r, "/ui/queues/"+string(v.Ex.Queue)+"?"+q.Encode(), http.StatusSeeOther)
}

// workable loads the exception of an action and refuses the action unless
// the principal works the exception's queue.
func (s *server) workable(w http.ResponseWriter, r *http.Request) (exceptionView, bool) {
	v, err := s.loadException(r)
	if err != nil {
		s.fail(w, r, err)
		return v, false
	}
	if !v.CanWork {
		p := principal(r)
		s.forbidden(w, r, fmt.Sprintf("The %s role may view exception #%d but not act on it.", p.Role, v.Ex.ID))
		return v, false
	}
	return v, true
}

// actionFailed shows the detail page again with the reason an action was
// refused: bad input and conflicts are the person's to fix, anything else
// is an error page.
func (s *server) actionFailed(w http.ResponseWriter, r *http.Request, v exceptionView, err error) {
	status, ok := map[string]int{triage.EINVALID: http.StatusBadRequest, triage.ECONFLICT: http.StatusConflict}[triage.ErrorCode(err)]
	if !ok {
		s.fail(w, r, err)
		return
	}
	if status == http.StatusConflict {
		// Someone else acted first: show the item as it is now.
		if fresh, lerr := s.loadException(r); lerr == nil {
			v = fresh
		}
	}
	v.Error = message(err)
	s.render(w, r, status, "exception", fmt.Sprintf("Exception #%d", v.Ex.ID), v)
}
