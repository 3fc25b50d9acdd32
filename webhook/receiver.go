package webhook

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// DefaultMaxBodyBytes bounds the body a Receiver reads when MaxBodyBytes is
// zero: billtriage's events are small, and a receiver must not buffer
// whatever a stranger sends before it can check the signature.
const DefaultMaxBodyBytes = 1 << 20

// Receiver is an http.Handler that receives signed webhooks: it verifies
// each message, drops repeats of a webhook-id it has already delivered, and
// hands the rest to Deliver. It is what billtriage's own tests receive
// with, and a starting point for integrators.
//
// Answers: 200 when the message was delivered, or was a repeat of one that
// was ("duplicate" in the body); 400 when it fails verification, with the
// reason; 405 for a method other than POST; 409 while another delivery of
// the same id is still in Deliver, so the sender retries later rather than
// count it delivered; 413 for a body over MaxBodyBytes; 500 when Deliver
// fails, so the sender retries.
//
// The set of delivered ids is in memory, per process, and grows with every
// id: a restart forgets it, and replicas do not share it. A service that
// must act exactly once should record the id in its own database in the
// same transaction as the effect.
type Receiver struct {
	// Secrets are the secrets a message may be signed with; during a
	// rotation, the old and the new.
	Secrets []Secret
	// Tolerance is how far from now a timestamp may be; zero means
	// DefaultTolerance.
	Tolerance time.Duration
	// MaxBodyBytes bounds the body; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time
	// Deliver is called once per id with the verified body. An error
	// answers 500 and leaves the id undelivered, so a retry delivers it.
	// Nil delivers nowhere: the receiver only verifies and deduplicates.
	Deliver func(id string, body []byte) error

	mu    sync.Mutex
	state map[string]bool // id -> delivered (true) or in Deliver now (false)
}

// ServeHTTP verifies, deduplicates and delivers one message.
func (rv *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "webhooks are POSTed", http.StatusMethodNotAllowed)
		return
	}
	limit := rv.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			http.Error(w, fmt.Sprintf("body over %d bytes", limit), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "reading the body: "+err.Error(), http.StatusBadRequest)
		return
	}
	now := time.Now
	if rv.Now != nil {
		now = rv.Now
	}
	if err := Verify(rv.Secrets, r.Header, body, now(), rv.Tolerance); err != nil {
		if errors.Is(err, ErrNoSecrets) { // the receiver's fault, not the message's
			http.Error(w, "receiver has no secret configured", http.StatusInternalServerError)
			return
		}
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id := r.Header.Get(HeaderID)
	switch delivered, seen := rv.claim(id); {
	case seen && delivered:
		fmt.Fprintln(w, "duplicate")
		return
	case seen:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "a delivery of this webhook-id is in progress", http.StatusConflict)
		return
	}
	if err := rv.deliver(id, body); err != nil {
		rv.settle(id, false)
		http.Error(w, "delivery failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	rv.settle(id, true)
	fmt.Fprintln(w, "delivered")
}

// claim marks id as in delivery unless it is known, and reports what was
// known of it before.
func (rv *Receiver) claim(id string) (delivered, seen bool) {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	if rv.state == nil {
		rv.state = map[string]bool{}
	}
	delivered, seen = rv.state[id]
	if !seen {
		rv.state[id] = false
	}
	return delivered, seen
}

// settle records the end of a delivery: done, or forgotten so that the
// sender's retry delivers it.
func (rv *Receiver) settle(id string, ok bool) {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	if ok {
		rv.state[id] = true
	} else {
		delete(rv.state, id)
	}
}

func (rv *Receiver) deliver(id string, body []byte) error {
	if rv.Deliver == nil {
		return nil
	}
	return rv.Deliver(id, body)
}
