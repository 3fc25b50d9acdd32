package api

import (
	"net/http"

	"github.com/billtriage/billtriage/triage"
)

// spikeAlert is the banner every page shows while the latest pattern run
// flags a spike: how many, how many are new, and the most unlikely one.
type spikeAlert struct {
	Count, New int
	Top        triage.Spike
}

// spikeBanner reads the latest run's spikes for p; nil when there are
// none, when p may not read patterns, or when they cannot be read (the
// page itself must not fail for its banner).
func (s *Server) spikeBanner(r *http.Request, p triage.Principal) *spikeAlert {
	run, _, err := s.svc.Patterns(r.Context(), p, triage.PatternQuery{Spiking: true, Limit: 1})
	if err != nil || len(run.Spikes) == 0 {
		return nil
	}
	a := &spikeAlert{Count: len(run.Spikes), Top: run.Spikes[0]}
	for _, sp := range run.Spikes {
		if sp.New {
			a.New++
		}
	}
	return a
}
