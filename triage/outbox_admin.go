package triage

import (
	"context"
	"net/url"
)

// AddEndpoint subscribes a webhook endpoint, if p administers. ep carries
// its first signing secret.
func (s *Service) AddEndpoint(ctx context.Context, p Principal, ep Endpoint) (Endpoint, error) {
	if err := s.mayAdminOutbox(p, "add webhook endpoints"); err != nil {
		return Endpoint{}, err
	}
	u, err := url.Parse(ep.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Endpoint{}, Invalid("url", "must be an absolute http(s) URL")
	}
	for _, t := range ep.Events {
		if !t.Valid() {
			return Endpoint{}, Invalid("events", "unknown event type %q", t)
		}
	}
	return s.outbox.CreateEndpoint(ctx, ep)
}

// Endpoints lists the webhook endpoints, if p administers.
func (s *Service) Endpoints(ctx context.Context, p Principal) ([]Endpoint, error) {
	if err := s.mayAdminOutbox(p, "list webhook endpoints"); err != nil {
		return nil, err
	}
	return s.outbox.Endpoints(ctx)
}

// RemoveEndpoint retires an endpoint, if p administers.
func (s *Service) RemoveEndpoint(ctx context.Context, p Principal, id int64) error {
	if err := s.mayAdminOutbox(p, "remove webhook endpoints"); err != nil {
		return err
	}
	return s.outbox.DeleteEndpoint(ctx, id)
}

// RotateSecret gives an endpoint a new secret, if p administers.
func (s *Service) RotateSecret(ctx context.Context, p Principal, id int64, secret string) (Endpoint, error) {
	if err := s.mayAdminOutbox(p, "rotate webhook secrets"); err != nil {
		return Endpoint{}, err
	}
	return s.outbox.RotateSecret(ctx, id, secret)
}

// Deliveries lists deliveries in a state, if p may read everything
// (admins and analysts: a dead delivery is an operations matter).
func (s *Service) Deliveries(ctx context.Context, p Principal, state string, limit int) ([]Delivery, error) {
	if !p.CanReadAll() {
		return nil, Authorize(false, p, "see deliveries")
	}
	switch state {
	case DeliveryPending, DeliveryRetrying, DeliveryDelivered, DeliveryDead:
	default:
		return nil, Invalid("state", "must be pending, retrying, delivered or dead")
	}
	if limit < 1 || limit > MaxQueuePage {
		limit = DefaultQueuePage
	}
	if s.outbox == nil {
		return nil, Errorf(EUNAVAILABLE, "no outbox is configured")
	}
	return s.outbox.Deliveries(ctx, state, limit)
}

// Redeliver tries a dead delivery again, if p administers.
func (s *Service) Redeliver(ctx context.Context, p Principal, id int64) (Delivery, error) {
	if err := s.mayAdminOutbox(p, "redeliver events"); err != nil {
		return Delivery{}, err
	}
	return s.outbox.Redeliver(ctx, id)
}

func (s *Service) mayAdminOutbox(p Principal, what string) error {
	if !p.CanAdminister() {
		return Authorize(false, p, what)
	}
	if s.outbox == nil {
		return Errorf(EUNAVAILABLE, "no outbox is configured")
	}
	return nil
}
