package generate

import (
	"errors"
	"fmt"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// Mislabel is a change in the world at a date, for testing the service's
// drift alarms: from After on, a share MislabelRate of the records of
// Type ("" for every type) are labelled with a sibling cause of the one
// their text was written for, as if the people resolving them had started
// to decide differently (or the same words had come to mean another
// cause). The records' texts, times and ids do not change, and neither do
// those before After.
type Mislabel struct {
	After        time.Time
	Type         string
	MislabelRate float64
}

func (d Mislabel) validate() error {
	switch {
	case d.After.IsZero() && (d.Type != "" || d.MislabelRate != 0):
		return errors.New("generate: a drift's type and mislabel rate need its date (--mislabel-after)")
	case d.After.IsZero():
		return nil
	case !(d.MislabelRate > 0 && d.MislabelRate <= 1):
		return fmt.Errorf("generate: the mislabel rate must be above 0 and at most 1, not %g", d.MislabelRate)
	case d.Type != "" && !triage.Type(d.Type).Valid():
		return fmt.Errorf("generate: unknown drift type %q", d.Type)
	}
	return nil
}

// drift relabels the records the configured drift reaches. It draws from
// its own stream, after every other part of the world, so a world
// without a drift is the same bytes as before drifts existed.
func (w *world) mislabel(r *rng) {
	d := w.cfg.Mislabel
	if d.After.IsZero() {
		return
	}
	for i := range w.drafts {
		dr := &w.drafts[i]
		res := dr.rec.Resolution
		if res == nil || dr.rec.OccurredAt.Before(d.After) || (d.Type != "" && dr.rec.Type != d.Type) {
			continue
		}
		if len(causesByType[dr.rec.Type]) < 2 || !r.chance(d.MislabelRate) {
			continue
		}
		label := sibling(r, dr.cause)
		if label.RootCause == res.RootCause && label.Action == res.Action {
			continue // a noisy label that is the sibling already
		}
		// The wrong cause corrected nothing: its corrections go, as a
		// noisy label's do.
		delete(res.Params, "corrections")
		res.RootCause, res.Action, res.Queue = label.RootCause, label.Action, label.Queue
		dr.noisy = true
	}
}
