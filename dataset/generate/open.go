package generate

import "time"

// leaveOpen removes the resolutions of the records still open when the
// window closes (see Config.Open): the newest cfg.Open, and any whose
// resolution lands at or after the close, since nobody can have resolved
// them yet. A reversal that lies after the close has not happened yet, so
// the remaining history loses its reversed_at and shows the wrong mapping
// as still standing.
func (w *world) leaveOpen() {
	if w.cfg.Open == 0 {
		return
	}
	newest := len(w.drafts) - min(w.cfg.Open, len(w.drafts))
	for i := range w.drafts {
		rec := &w.drafts[i].rec
		res := rec.Resolution
		if i >= newest || res == nil || res.ResolvedAt == nil || !res.ResolvedAt.Before(w.end) {
			rec.Resolution = nil
			continue
		}
		cs, _ := res.Params["corrections"].([]any)
		for _, c := range cs {
			m, _ := c.(map[string]any)
			if at, ok := m["reversed_at"].(string); ok {
				if t, err := time.Parse(time.RFC3339, at); err == nil && !t.Before(w.end) {
					delete(m, "reversed_at")
				}
			}
		}
	}
}
