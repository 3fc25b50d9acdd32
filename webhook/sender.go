package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// Sender is the webhook connector: it POSTs each event, signed with the
// endpoint's secrets, and counts any 2xx answer as delivered. Anything
// else, a timeout included, is a failed attempt the job system retries on
// its schedule; the receiver deduplicates by the webhook-id header, which
// is the event's id on every attempt.
type Sender struct {
	// Client sends the requests; a client with a 10 s timeout when nil.
	Client *http.Client
	// Now stamps each attempt; time.Now when nil.
	Now func() time.Time
}

var _ triage.Connector = (*Sender)(nil)

// Deliver implements triage.Connector.
func (s *Sender) Deliver(ctx context.Context, ep triage.Endpoint, ev triage.Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("webhook: encode event %s: %w", ev.ID, err)
	}
	secrets := make([]Secret, 0, len(ep.Secrets))
	for _, raw := range ep.Secrets {
		sec, err := ParseSecret(raw)
		if err != nil {
			return fmt.Errorf("webhook: endpoint %d: %w", ep.ID, err)
		}
		secrets = append(secrets, sec)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook: endpoint %d: %w", ep.ID, err)
	}
	req.Header = Headers(secrets, ev.ID, s.now(), body)
	resp, err := s.client().Do(req)
	if err != nil {
		return fmt.Errorf("webhook: deliver %s to endpoint %d: %w", ev.ID, ep.ID, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook: endpoint %d answered %s", ep.ID, resp.Status)
	}
	return nil
}

func (s *Sender) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	return defaultClient
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// defaultClient bounds an attempt; the job has its own, longer timeout.
var defaultClient = &http.Client{Timeout: 10 * time.Second}
