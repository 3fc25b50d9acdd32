package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// resolve accepts, edits or rejects an exception's suggestion in the name
// of the signed-in person.
func (s *Server) resolve(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	in, form, ferr := resolutionInput(r)
	if err == nil {
		err = ferr
	}
	if err == nil {
		_, _, err = s.svc.Resolve(r.Context(), principal(r), id, in)
	}
	if err != nil {
		s.actionFailed(w, r, err, func(v *exceptionView) {
			if in.Verdict == triage.VerdictEdit {
				v.Edit = form
			}
		})
		return
	}
	done := "resolved"
	if in.Verdict == triage.VerdictReject {
		done = "rejected"
	}
	http.Redirect(w, r, fmt.Sprintf("/ui/exceptions/%d?done=%s", id, done), http.StatusSeeOther)
}

// resolutionInput reads the resolution forms: accept has only the verdict,
// edit names root cause, action and parameters as a JSON object, reject
// may carry a note.
func resolutionInput(r *http.Request) (triage.ResolutionInput, editForm, error) {
	form := editForm{RootCause: strings.TrimSpace(r.PostFormValue("root_cause")), Action: strings.TrimSpace(r.PostFormValue("action")),
		Params: strings.TrimSpace(r.PostFormValue("params")), Note: strings.TrimSpace(r.PostFormValue("note"))}
	names, values, kinds := r.PostForm["param_name"], r.PostForm["param_value"], r.PostForm["param_kind"]
	for i, name := range names {
		f := editParam{Name: strings.TrimSpace(name), Kind: "string"}
		if i < len(values) {
			f.Value = strings.TrimSpace(values[i])
		}
		if i < len(kinds) {
			f.Kind = kinds[i]
		}
		form.Fields = append(form.Fields, f)
	}
	in := triage.ResolutionInput{Verdict: triage.Verdict(r.PostFormValue("verdict")), Note: form.Note}
	if in.Verdict != triage.VerdictEdit {
		return in, form, nil
	}
	in.RootCause, in.Action = form.RootCause, form.Action
	if len(names) != len(values) || len(names) != len(kinds) {
		return in, form, triage.Invalid("params", "the parameter fields do not match up; reload the page")
	}
	// Each field is a parameter; an emptied field leaves it out.
	for _, f := range form.Fields {
		if f.Name == "" || f.Value == "" {
			continue
		}
		v, err := editValue(f)
		if err != nil {
			return in, form, err
		}
		if in.Params == nil {
			in.Params = map[string]any{}
		}
		in.Params[f.Name] = v
	}
	// The JSON object adds parameters the fields do not name, or
	// overrides them.
	if form.Params != "" {
		var extra map[string]any
		if err := json.Unmarshal([]byte(form.Params), &extra); err != nil || extra == nil {
			return in, form, triage.Invalid("params", "must be a JSON object such as {\"amount\": 120}")
		}
		if in.Params == nil {
			in.Params = map[string]any{}
		}
		maps.Copy(in.Params, extra)
	}
	return in, form, nil
}

// editValue reads one parameter field back as the kind of value the
// suggestion had.
func editValue(f editParam) (any, error) {
	switch f.Kind {
	case "number":
		n, err := strconv.ParseFloat(f.Value, 64)
		if err != nil {
			return nil, triage.Invalid("params."+f.Name, "must be a number such as 120.50")
		}
		return n, nil
	case "json":
		var v any
		if err := json.Unmarshal([]byte(f.Value), &v); err != nil {
			return nil, triage.Invalid("params."+f.Name, "must be JSON, as it was suggested")
		}
		return v, nil
	}
	return f.Value, nil
}

// reassign moves an exception to another queue. If the person cannot see
// the new queue they go back to their own, the only one a team role works
// (an admin or analyst sees every queue), with a notice.
func (s *Server) reassign(w http.ResponseWriter, r *http.Request) {
	p, to := principal(r), triage.Queue(r.PostFormValue("queue"))
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.Reassign(r.Context(), p, id, to, strings.TrimSpace(r.PostFormValue("note")))
	}
	if err != nil {
		s.actionFailed(w, r, err, nil)
		return
	}
	if p.CanSee(to) {
		http.Redirect(w, r, fmt.Sprintf("/ui/exceptions/%d?done=reassigned", id), http.StatusSeeOther)
		return
	}
	q := url.Values{"moved": {fmt.Sprint(id)}, "to": {string(to)}}
	http.Redirect(w, r, "/ui/queues/"+string(p.Queues()[0])+"?"+q.Encode(), http.StatusSeeOther)
}

// actionFailed shows the detail page again, as it is now, with the reason
// an action was refused: bad input and conflicts are the person's to fix;
// anything else (a refusal of the role included) is an error page. keep,
// when set, puts back what the person typed.
func (s *Server) actionFailed(w http.ResponseWriter, r *http.Request, err error, keep func(*exceptionView)) {
	status, ok := map[string]int{triage.EINVALID: http.StatusBadRequest, triage.ECONFLICT: http.StatusConflict}[triage.ErrorCode(err)]
	v, lerr := s.loadException(r)
	if !ok || lerr != nil {
		s.failPage(w, r, err)
		return
	}
	if keep != nil {
		keep(&v)
	}
	v.Error = message(err)
	s.render(w, r, status, "exception", fmt.Sprintf("Exception #%d", v.Ex.ID), v)
}
