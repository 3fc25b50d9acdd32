package triage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// EventType names what happened to an exception, for whoever is told
// downstream: the billing system, the ERP, a data warehouse.
type EventType string

// The events a decision or a person's action produces.
const (
	EventAutoEnriched EventType = "exception.auto_enriched"
	EventQueued       EventType = "exception.queued"
	EventResolved     EventType = "exception.resolved"
	EventRejected     EventType = "exception.rejected"
	EventReverted     EventType = "exception.reverted"
	// EventAssigned says who now works an item (claimed, assigned or
	// released), so a downstream roster or notifier can follow it.
	EventAssigned EventType = "exception.assigned"
	// EventAlertRaised says a drift alarm was breached or the brake paused
	// a type; its data carries the alert instead of an exception.
	EventAlertRaised EventType = "alert.raised"
	// EventPatternDetected says pattern detection flagged a new spike (a
	// series the previous run did not flag); its data carries the spike.
	EventPatternDetected EventType = "pattern.detected"
)

// EventTypes lists every event type in a stable order.
var EventTypes = []EventType{EventAutoEnriched, EventQueued, EventResolved, EventRejected, EventReverted, EventAssigned, EventAlertRaised,
	EventPatternDetected}

// Valid reports whether t is a known event type.
func (t EventType) Valid() bool {
	for _, v := range EventTypes {
		if t == v {
			return true
		}
	}
	return false
}

// Event is what leaves the service after a change to an exception. It is
// recorded in the change's own transaction, so a change is never kept
// without its event, and an event never leaves for a change rolled back.
// The JSON is the webhook body: {"type", "timestamp", "data"}.
type Event struct {
	// ID is the idempotency key: deliveries of one event carry the same
	// id, so a receiver that sees it twice acts once.
	ID   string    `json:"-"`
	Type EventType `json:"type"`
	At   time.Time `json:"timestamp"`
	Data EventData `json:"data"`
}

// EventData is what an event says: the exception as it stands after the
// change, what was done and on whose authority.
type EventData struct {
	// Exception is absent from an alert's event.
	Exception Exception `json:"exception,omitzero"`
	RootCause string    `json:"root_cause,omitempty"`
	Action    string    `json:"action,omitempty"`
	// Params are the action's parameters; ParamsFrom says where they came
	// from (a person, or the precedent a suggestion copied them from), so
	// a receiver can decide how far to trust them.
	Params     map[string]any `json:"params,omitempty"`
	ParamsFrom string         `json:"params_from,omitempty"`
	Queue      Queue          `json:"queue,omitempty"`
	// Assignee is who works the item after an assignment event; "" when
	// it was released.
	Assignee string `json:"assignee,omitempty"`
	// Actor is who made the change: "system" for automatic ones.
	Actor         string `json:"actor"`
	Note          string `json:"note,omitempty"`
	PolicyVersion string `json:"policy_version,omitempty"`
	ModelVersion  string `json:"model_version,omitempty"`
	// Alert is an alert.raised event's alert.
	Alert *Alert `json:"alert,omitempty"`
	// Spike is a pattern.detected event's spike.
	Spike *Spike `json:"spike,omitempty"`
}

// newEvent returns an event of type t at time at with a fresh id: the id
// is stored with the event, so every delivery of it carries the same key,
// while two changes in the same instant still get two.
func newEvent(t EventType, at time.Time, d EventData) Event {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return Event{ID: "msg_" + hex.EncodeToString(b), Type: t, At: at, Data: d}
}

// Endpoint is a receiver of events: a webhook URL with its signing
// secrets (newest first; two during a rotation) and the event types it
// wants (every type when empty).
type Endpoint struct {
	ID        int64       `json:"id"`
	URL       string      `json:"url"`
	Events    []EventType `json:"events,omitempty"`
	Secrets   []string    `json:"-"`
	CreatedAt time.Time   `json:"created_at"`
}

// Wants reports whether ep subscribes to events of type t.
func (ep Endpoint) Wants(t EventType) bool {
	if len(ep.Events) == 0 {
		return true
	}
	for _, e := range ep.Events {
		if e == t {
			return true
		}
	}
	return false
}

// Connector delivers events to a system downstream. The webhook adapter
// is the first; an ERP or billing-system adapter is one more. Deliver is
// retried with backoff until it succeeds or its attempts run out, so it
// must be safe to repeat: receivers deduplicate by Event.ID.
type Connector interface {
	Deliver(ctx context.Context, ep Endpoint, ev Event) error
}

// Delivery is one event's delivery to one endpoint, as the job system
// tracks it: pending or retrying while attempts remain, delivered, or dead
// once they ran out (a person may then redeliver it).
type Delivery struct {
	ID         int64     `json:"id"`
	EventID    string    `json:"event_id"`
	EndpointID int64     `json:"endpoint_id"`
	State      string    `json:"state"`
	Attempts   int       `json:"attempts"`
	LastError  string    `json:"last_error,omitempty"`
	At         time.Time `json:"at"`
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryRetrying  = "retrying"
	DeliveryDelivered = "delivered"
	DeliveryDead      = "dead"
)

// Outbox is where events wait for delivery and endpoints are kept.
type Outbox interface {
	CreateEndpoint(ctx context.Context, ep Endpoint) (Endpoint, error)
	Endpoints(ctx context.Context) ([]Endpoint, error)
	DeleteEndpoint(ctx context.Context, id int64) error
	// RotateSecret makes secret the endpoint's newest and keeps the
	// previous one, so deliveries are signed with both meanwhile.
	RotateSecret(ctx context.Context, id int64, secret string) (Endpoint, error)
	// Deliveries lists deliveries in a state, newest first.
	Deliveries(ctx context.Context, state string, limit int) ([]Delivery, error)
	// Redeliver makes a dead delivery try again now.
	Redeliver(ctx context.Context, id int64) (Delivery, error)
}
