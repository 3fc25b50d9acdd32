package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/billtriage/billtriage/triage"
)

// deliveriesPageSize is how many dead deliveries the page lists.
const deliveriesPageSize = 100

// deliveriesView is the page of dead webhook deliveries and, for admins,
// the endpoints they were meant for.
type deliveriesView struct {
	Rows []deliveryRow
	// Endpoints is nil for an analyst: endpoint URLs can carry a
	// receiver's token, so only admins list them.
	Endpoints   []triage.Endpoint
	CanAdmin    bool
	Redelivered string
	Error       string
}

// deliveryRow is a dead delivery with its endpoint's URL when known.
type deliveryRow struct {
	triage.Delivery
	Endpoint string
}

func (s *Server) deliveriesPage(w http.ResponseWriter, r *http.Request) {
	s.renderDeliveries(w, r, http.StatusOK, "")
}

// renderDeliveries shows the page with status and, when set, the reason
// an action was refused.
func (s *Server) renderDeliveries(w http.ResponseWriter, r *http.Request, status int, problem string) {
	p := principal(r)
	ds, err := s.svc.Deliveries(r.Context(), p, triage.DeliveryDead, deliveriesPageSize)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := deliveriesView{CanAdmin: p.CanAdminister(), Error: problem, Redelivered: redeliveredNote(r.URL.Query())}
	urls := map[int64]string{}
	if v.CanAdmin {
		if v.Endpoints, err = s.svc.Endpoints(r.Context(), p); err != nil {
			s.failPage(w, r, err)
			return
		}
		for _, ep := range v.Endpoints {
			urls[ep.ID] = ep.URL
		}
	}
	for _, d := range ds {
		v.Rows = append(v.Rows, deliveryRow{Delivery: d, Endpoint: endpointLabel(urls, d.EndpointID)})
	}
	s.render(w, r, status, "deliveries", "Deliveries", v)
}

// endpointLabel is an endpoint's URL when the page may show it, its id
// otherwise (or once it was retired).
func endpointLabel(urls map[int64]string, id int64) string {
	if u, ok := urls[id]; ok {
		return u
	}
	return fmt.Sprintf("endpoint #%d", id)
}

// redeliverAction queues a dead delivery again. A delivery no longer dead
// (a second click, another admin first) shows the page again with why.
func (s *Server) redeliverAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.Redeliver(r.Context(), principal(r), id)
	}
	if triage.ErrorCode(err) == triage.ECONFLICT {
		s.renderDeliveries(w, r, http.StatusConflict, message(err))
		return
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/ui/deliveries?"+url.Values{"redelivered": {strconv.FormatInt(id, 10)}}.Encode(), http.StatusSeeOther)
}

// redeliveredNote is the notice after a redelivery, built only from a
// valid id so that no text from the address reaches the page.
func redeliveredNote(query url.Values) string {
	id, err := strconv.ParseInt(query.Get("redelivered"), 10, 64)
	if err != nil || id < 1 {
		return ""
	}
	return fmt.Sprintf("Delivery #%d is queued again; it leaves this list once it is attempted.", id)
}
