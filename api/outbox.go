package api

import (
	"net/http"
	"strconv"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/webhook"
)

// maxEndpointBytes bounds a webhook endpoint's body: a URL and a list of
// event types.
const maxEndpointBytes = 64 << 10

// endpointInput subscribes a URL to event types (every type when empty).
type endpointInput struct {
	URL    string             `json:"url"`
	Events []triage.EventType `json:"events"`
}

// endpointWithSecret is an endpoint with its newest signing secret: the
// answer to creating one or rotating its secret, the only two times the
// secret is shown.
type endpointWithSecret struct {
	triage.Endpoint
	Secret string `json:"secret"`
}

func (s *Server) postWebhook(w http.ResponseWriter, r *http.Request) {
	var in endpointInput
	if err := decode(w, r, maxEndpointBytes, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	secret := webhook.NewSecret().String()
	ep, err := s.svc.AddEndpoint(r.Context(), principal(r),
		triage.Endpoint{URL: in.URL, Events: in.Events, Secrets: []string{secret}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/webhooks/"+strconv.FormatInt(ep.ID, 10))
	writeJSON(w, http.StatusCreated, endpointWithSecret{Endpoint: ep, Secret: secret})
}

func (s *Server) getWebhooks(w http.ResponseWriter, r *http.Request) {
	eps, err := s.svc.Endpoints(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if eps == nil {
		eps = []triage.Endpoint{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": eps})
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.RemoveEndpoint(r.Context(), principal(r), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// rotateWebhook gives an endpoint a new secret; deliveries are signed with
// the new and the previous one until the next rotation.
func (s *Server) rotateWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	secret := webhook.NewSecret().String()
	ep, err := s.svc.RotateSecret(r.Context(), principal(r), id, secret)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, endpointWithSecret{Endpoint: ep, Secret: secret})
}

// getDeliveries lists deliveries in a state, dead ones when none is
// asked for: those are what a person acts on.
func (s *Server) getDeliveries(w http.ResponseWriter, r *http.Request) {
	state := r.URL.Query().Get("state")
	if state == "" {
		state = triage.DeliveryDead
	}
	limit, err := queryLimit(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ds, err := s.svc.Deliveries(r.Context(), principal(r), state, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ds == nil {
		ds = []triage.Delivery{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": ds})
}

func (s *Server) redeliver(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.svc.Redeliver(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"delivery": d})
}

// queryLimit reads the limit query parameter of a list: 0 (the service's
// default) when absent.
func queryLimit(r *http.Request) (int, error) {
	l := r.URL.Query().Get("limit")
	if l == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(l)
	if err != nil || n < 1 || n > triage.MaxQueuePage {
		return 0, triage.Invalid("limit", "must be an integer from 1 to %d", triage.MaxQueuePage)
	}
	return n, nil
}
