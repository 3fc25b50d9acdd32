package triage

import (
	"context"
)

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
	return ActivateChecked(ctx, s.models, version, s.featureHash)
}

// ActivateChecked makes version the active model of reg unless it was
// trained with other features than features (the hash of those this build
// computes; "" skips the check), so a stale model is refused here rather
// than failing at scoring time.
func ActivateChecked(ctx context.Context, reg ModelStore, version, features string) error {
	ms, err := reg.ListModels(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Version == version && features != "" && m.FeatureHash != features {
			return Errorf(ECONFLICT, "model %s was trained with features %s but this build computes %s: retrain it", version, m.FeatureHash, features)
		}
	}
	return reg.ActivateModel(ctx, version)
}
