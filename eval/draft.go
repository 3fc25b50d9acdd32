package eval

import (
	"bytes"

	"github.com/billtriage/billtriage/triage"
)

// DraftPolicy turns the recommended thresholds into a draft policy: base
// (the policy the replay ran under) with each recommended type threshold
// set. A type without a recommendation keeps base's threshold: no
// threshold reached the target precision on enough cases, so the draft
// does not loosen it. The draft still goes through preview before it can
// be activated.
func DraftPolicy(base *triage.Policy, recs map[string]*Threshold) (*triage.Policy, error) {
	draft, err := triage.ParsePolicy(bytes.NewReader(base.MarshalIndented())) // a copy
	if err != nil {
		return nil, err
	}
	for t, rec := range recs {
		if rec == nil || !triage.Type(t).Valid() {
			continue
		}
		if draft.TypeThresholds == nil {
			draft.TypeThresholds = map[triage.Type]float64{}
		}
		draft.TypeThresholds[triage.Type(t)] = rec.Threshold
	}
	// Parsed again so the draft carries its own version.
	return triage.ParsePolicy(bytes.NewReader(draft.MarshalIndented()))
}
