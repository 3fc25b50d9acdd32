package triage

import (
	"context"
	"io"
)

// PreviewPolicy replays the decisions of the last window (since, e.g.
// "30d"; DefaultPreviewWindow when empty, at most MaxPreviewWindow) under
// the policy in body and under the policy in force, read-only, and stores
// the result: activating the candidate needs it. Only admins preview,
// since only they may act on one.
func (s *Service) PreviewPolicy(ctx context.Context, p Principal, body io.Reader, since string) (Preview, error) {
	if err := s.mayGovern(p, "preview a policy"); err != nil {
		return Preview{}, err
	}
	if since == "" {
		since = "30d"
	}
	window, err := ParseWindow("since", since)
	if err != nil {
		return Preview{}, err
	}
	cand, err := ParsePolicy(body)
	if err != nil {
		return Preview{}, err
	}
	now := s.now().UTC()
	items, err := s.policies.ReplayItems(ctx, now.Add(-window), MaxPreviewItems+1)
	if err != nil {
		return Preview{}, err
	}
	if len(items) > MaxPreviewItems {
		return Preview{}, Invalid("since", "the last %s holds more than %d decisions; preview a shorter window", since, MaxPreviewItems)
	}
	active := s.Policy()
	pv := Preview{Version: cand.Version(), ActiveVersion: active.Version(), Policy: cand, Since: since,
		From: now.Add(-window), To: now, CreatedBy: p.Actor(), CreatedAt: now, Result: previewOf(active, cand, items)}
	return s.policies.SavePreview(ctx, pv)
}

// PolicyPreview returns a stored preview; admins and analysts may read
// them.
func (s *Service) PolicyPreview(ctx context.Context, p Principal, id int64) (Preview, error) {
	if err := s.mayReadGovernance(p); err != nil {
		return Preview{}, err
	}
	return s.policies.Preview(ctx, id)
}
