package eval

import (
	"context"
	"sort"
	"time"

	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/triage"
)

// window returns the items that occurred in [to-d, to): items are in time
// order.
func window(items []triage.PatternItem, to time.Time, d time.Duration) []triage.PatternItem {
	lo := sort.Search(len(items), func(i int) bool { return !items[i].OccurredAt.Before(to.Add(-d)) })
	hi := sort.Search(len(items), func(i int) bool { return !items[i].OccurredAt.Before(to) })
	return items[lo:hi]
}

// incidentSets maps each incident's name to its records' ids.
func incidentSets(incs []generate.Incident) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, inc := range incs {
		out[inc.Name] = map[string]bool{}
		for _, id := range inc.IDs {
			out[inc.Name][id] = true
		}
	}
	return out
}

// scoreIncidents scores the patterns found at each incident's end.
func scoreIncidents(items []triage.PatternItem, ids map[int64]string, in PatternsInput) []IncidentScore {
	sets := incidentSets(in.Incidents)
	var out []IncidentScore
	for _, inc := range in.Incidents {
		sc := IncidentScore{Name: inc.Name, Records: len(inc.IDs)}
		det := triage.Detect(window(items, inc.End, in.Config.Window()), inc.End, in.Config)
		best, during := 0, 0
		for _, p := range det.Patterns {
			n, d := 0, 0
			for _, m := range p.Refs {
				if sets[inc.Name][ids[m.ResolutionID]] {
					n++
				}
				if at := items[m.ResolutionID-1].OccurredAt; !at.Before(inc.Start) && at.Before(inc.End) {
					d++
				}
			}
			if n > best {
				best, during = n, d
			}
		}
		sc.Completeness, sc.Purity = share(best, len(inc.IDs)), share(best, during)
		out = append(out, sc)
	}
	return out
}

// episode is one series flagged in consecutive runs.
type episode struct {
	kind, key string
	first     time.Time
	runs      int
	explained bool
}

// replaySpikes runs detection every Step from the first moment a whole
// baseline is behind it to the last record, and counts alarms: a spike
// whose current members include incident records making up at least half
// of its excess over the forecast is explained by that incident; an
// episode none of whose runs is explained is a false alarm.
func replaySpikes(ctx context.Context, items []triage.PatternItem, ids map[int64]string, in PatternsInput, rep *PatternsReport) {
	step := in.Step
	if step <= 0 {
		step = 6 * time.Hour
	}
	sets := incidentSets(in.Incidents)
	first := items[0].OccurredAt.Add(in.Config.Window()).Truncate(24 * time.Hour)
	last := items[len(items)-1].OccurredAt
	active := map[string]*episode{}
	var episodes []*episode
	found := map[string]*IncidentScore{}
	for i := range rep.Incidents {
		found[rep.Incidents[i].Name] = &rep.Incidents[i]
	}
	for t := first; !t.After(last); t = t.Add(step) {
		if ctx.Err() != nil {
			return
		}
		rep.Runs++
		det := triage.Detect(window(items, t, in.Config.Window()), t, in.Config)
		next := map[string]*episode{}
		for _, sp := range det.Spikes {
			ep := active[sp.Key()]
			if ep == nil {
				ep = &episode{kind: sp.Kind, key: sp.Key(), first: t}
				episodes = append(episodes, ep)
			}
			next[sp.Key()] = ep
			ep.runs++
			for _, inc := range in.Incidents {
				if !explains(sp, sets[inc.Name], ids) {
					continue
				}
				ep.explained = true
				if sc := found[inc.Name]; !sc.Detected && !t.Before(inc.Start) {
					sc.Detected, sc.TTDHours, sc.Where, sc.Kind = true, t.Sub(inc.Start).Hours(), sp.Where, sp.Kind
				}
			}
		}
		active = next
	}
	rep.Months = last.Sub(first).Hours() / 24 / 30.44
	rep.FalseByKind = map[string]int{}
	for _, ep := range episodes {
		rep.Alarms++
		if !ep.explained {
			rep.FalseAlarms++
			rep.FalseByKind[ep.kind]++
			rep.FalseList = append(rep.FalseList, FalseAlarm{Series: ep.key, First: ep.first, Runs: ep.runs})
		}
	}
	if rep.Months > 0 {
		rep.FalseAlarmsPerMonth = float64(rep.FalseAlarms) / rep.Months
	}
}

// explains says whether an incident's records make up at least half of a
// spike's excess over its forecast.
func explains(sp triage.Spike, set map[string]bool, ids map[int64]string) bool {
	n := 0
	for _, m := range sp.Members {
		if set[ids[m.ResolutionID]] {
			n++
		}
	}
	return n > 0 && float64(n) >= 0.5*(float64(sp.Observed)-sp.Expected)
}
