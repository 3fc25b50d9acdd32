package eval

import (
	"fmt"
	"math"
	"sort"

	"github.com/billtriage/billtriage/triage"
)

// Why an action was never automated, most fundamental first: a policy
// change that lifts a later reason does nothing while an earlier one holds.
const (
	// DeniedHumanOnly: the action is in human_only_actions, which holds
	// it whatever else the policy allows.
	DeniedHumanOnly = "human_only"
	// DeniedNotAutomatable: automatable_actions does not list the action
	// for the type, so automation is denied by default.
	DeniedNotAutomatable = "not_automatable"
	// DeniedBelowThreshold: the policy would have automated some of its
	// cases, but no confidence reached the threshold.
	DeniedBelowThreshold = "below_threshold"
	// DeniedOtherRules: every case was held by another rule (amount or
	// collection-risk limit, distant precedent, enrichment hold).
	DeniedOtherRules = "other_rules"
)

// DeniedAction is an action the scored cases of one type suggested that
// the policy in force never automated, and why.
type DeniedAction struct {
	// Suggested is how many scored cases of the type suggested it.
	Suggested int `json:"suggested"`
	// Correct is how many of those had root cause and action both right:
	// what allowing it could have automated correctly, at best.
	Correct int `json:"correct"`
	// Reason is one of the Denied constants; Why says it in words.
	Reason string `json:"reason"`
	Why    string `json:"why"`
}

// deniedActions lists, by type and action, the suggested actions that no
// scored case had automated, with the first reason that held them all.
// Cases without a suggestion are left out: they name no action.
func deniedActions(cases []Case, p *triage.Policy) map[string]map[string]DeniedAction {
	type key struct{ typ, action string }
	type tally struct {
		suggested, correct, auto, eligible int
		maxConf                            float64
	}
	tallies := map[key]*tally{}
	for _, c := range labelled(cases) {
		if c.Action == "" {
			continue
		}
		k := key{c.Type, c.Action}
		t := tallies[k]
		if t == nil {
			t = &tally{maxConf: math.Inf(-1)}
			tallies[k] = t
		}
		t.suggested++
		t.correct += b2i(c.Correct())
		t.auto += b2i(c.Auto)
		t.eligible += b2i(c.Eligible)
		t.maxConf = math.Max(t.maxConf, c.Confidence)
	}
	out := map[string]map[string]DeniedAction{}
	for k, t := range tallies {
		if t.auto > 0 {
			continue
		}
		d := DeniedAction{Suggested: t.suggested, Correct: t.correct}
		typ := triage.Type(k.typ)
		switch th := p.Threshold(typ, k.action); {
		case p.HumanOnly(k.action):
			d.Reason, d.Why = DeniedHumanOnly, "in human_only_actions: always needs a person"
		case !p.Automatable(typ, k.action):
			d.Reason, d.Why = DeniedNotAutomatable, fmt.Sprintf("not in automatable_actions for %s: add it there to allow it", k.typ)
		case t.eligible > 0 && th > 1:
			d.Reason, d.Why = DeniedBelowThreshold, fmt.Sprintf("threshold %s is above 1: automation is off for %s", fnum(th), k.typ)
		case t.eligible > 0:
			d.Reason, d.Why = DeniedBelowThreshold, fmt.Sprintf("%d of %d cases passed every other rule, but none reached the threshold %s (highest confidence %s)",
				t.eligible, t.suggested, fnum(th), fnum(t.maxConf))
		default:
			d.Reason, d.Why = DeniedOtherRules, "every case was held by another rule (amount or risk limit, distant precedent, enrichment hold)"
		}
		if out[k.typ] == nil {
			out[k.typ] = map[string]DeniedAction{}
		}
		out[k.typ][k.action] = d
	}
	return out
}

// deniedRow is one denied action for the report and the summary.
type deniedRow struct {
	Type, Action string
	DeniedAction
}

// deniedRows flattens the denied actions, most suggested first (ties by
// type, then action), so the report leads with what costs the most work.
func deniedRows(denied map[string]map[string]DeniedAction) []deniedRow {
	var rows []deniedRow
	for typ, actions := range denied {
		for a, d := range actions {
			rows = append(rows, deniedRow{typ, a, d})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Suggested != rows[j].Suggested {
			return rows[i].Suggested > rows[j].Suggested
		}
		if rows[i].Type != rows[j].Type {
			return rows[i].Type < rows[j].Type
		}
		return rows[i].Action < rows[j].Action
	})
	return rows
}
