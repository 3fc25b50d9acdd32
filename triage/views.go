package triage

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// SavedView is a queue page a person named to come back to: a queue and
// the query string of its search, filters and order.
type SavedView struct {
	ID        int64     `json:"id"`
	Queue     Queue     `json:"queue"`
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	CreatedAt time.Time `json:"created_at"`
}

// ViewStore keeps saved views per API key (a UI session acts for one).
type ViewStore interface {
	// SavedViews lists key's views of queue q by name.
	SavedViews(ctx context.Context, keyID int64, q Queue) ([]SavedView, error)
	// SaveView stores v for key, replacing the view of the same queue and
	// name; ECONFLICT when key already keeps MaxSavedViews others.
	SaveView(ctx context.Context, keyID int64, v SavedView) (SavedView, error)
	// DeleteView removes key's view id; ENOTFOUND if key has none such.
	DeleteView(ctx context.Context, keyID, id int64) error
}

// Limits on saved views: a name fits a list, a query a link.
const (
	MaxSavedViews    = 50
	MaxViewNameLen   = 60
	MaxViewQueryLen  = 2000
	savedViewsNeeded = "saved views are not available on this server"
)

// viewsOf checks that p may keep views of queue q: a person signed in with
// a key of their own (a batch job has none) who may see the queue.
func (s *Service) viewsOf(p Principal, q Queue) error {
	if s.views == nil {
		return Errorf(EUNAVAILABLE, savedViewsNeeded)
	}
	if !q.Valid() {
		return Invalid("queue", "unknown queue %q", q)
	}
	if p.KeyID == 0 {
		return Authorize(false, p, "keep saved views without an API key")
	}
	if !p.CanSee(q) {
		return Authorize(false, p, "see the "+QueueName(q)+" queue")
	}
	return nil
}

// SavedViews lists p's saved views of queue q.
func (s *Service) SavedViews(ctx context.Context, p Principal, q Queue) ([]SavedView, error) {
	if err := s.viewsOf(p, q); err != nil {
		return nil, err
	}
	vs, err := s.views.SavedViews(ctx, p.KeyID, q)
	if vs == nil && err == nil {
		vs = []SavedView{}
	}
	return vs, err
}

// SaveView keeps v for p under its name, replacing p's view of the same
// name. The query is the page's query string, without its cursor; callers
// check it parses into a valid QueueQuery before saving.
func (s *Service) SaveView(ctx context.Context, p Principal, v SavedView) (SavedView, error) {
	if err := s.viewsOf(p, v.Queue); err != nil {
		return SavedView{}, err
	}
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" {
		return SavedView{}, Invalid("name", "is required")
	}
	if utf8.RuneCountInString(v.Name) > MaxViewNameLen {
		return SavedView{}, Invalid("name", "may have at most %d characters", MaxViewNameLen)
	}
	if len(v.Query) > MaxViewQueryLen {
		return SavedView{}, Invalid("query", "may have at most %d characters", MaxViewQueryLen)
	}
	vals, err := url.ParseQuery(v.Query)
	if err != nil {
		return SavedView{}, Invalid("query", "is not a query string")
	}
	// A cursor points into the results of one moment; a view is the query.
	vals.Del("cursor")
	v.Query = vals.Encode()
	return s.views.SaveView(ctx, p.KeyID, v)
}

// DeleteView removes p's saved view id.
func (s *Service) DeleteView(ctx context.Context, p Principal, q Queue, id int64) error {
	if err := s.viewsOf(p, q); err != nil {
		return err
	}
	return s.views.DeleteView(ctx, p.KeyID, id)
}
