package triage

import "context"

// ChangePolicy puts pol in force, if p administers. It is stored first, so
// a restart keeps it, then used for the next decision; decisions already
// made keep the version they were made under.
func (s *Service) ChangePolicy(ctx context.Context, p Principal, pol *Policy) error {
	if !p.CanAdminister() {
		return Authorize(false, p, "change the policy")
	}
	if s.policies == nil {
		return Errorf(EUNAVAILABLE, "no policy store is configured")
	}
	if err := s.policies.SavePolicy(ctx, pol, p.Actor()); err != nil {
		return err
	}
	s.policy.Store(pol)
	return nil
}

// Models lists the risk-model registry with each model's validation
// metrics; any role may read it.
func (s *Service) Models(ctx context.Context, _ Principal) ([]RiskModel, error) {
	if s.models == nil {
		return nil, Errorf(EUNAVAILABLE, "no model registry is configured")
	}
	ms, err := s.models.ListModels(ctx)
	if ms == nil {
		ms = []RiskModel{}
	}
	return ms, err
}

// ActivateModel makes a trained risk model the active one, if p
// administers; running services pick it up at their next registry check.
func (s *Service) ActivateModel(ctx context.Context, p Principal, version string) error {
	if !p.CanAdminister() {
		return Authorize(false, p, "activate models")
	}
	if s.models == nil {
		return Errorf(EUNAVAILABLE, "no model registry is configured")
	}
	return s.models.ActivateModel(ctx, version)
}
