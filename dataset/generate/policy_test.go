package generate_test

import (
	"slices"
	"testing"

	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/triage"
)

// The default policy's automatable_actions is written out as data in the
// triage package, which may not import the generator. This test keeps the
// two from drifting: the lists hold exactly the catalog's actions that are
// not human-only, per type, so the default-deny rule changes nothing on the
// project's own taxonomy and a new cause's action is not silently held.
func TestDefaultAutomatableActionsAreTheCatalogs(t *testing.T) {
	p := triage.DefaultPolicy()
	want := map[triage.Type][]string{}
	for _, c := range generate.Catalog() {
		typ := triage.Type(c.Type)
		if !typ.Valid() {
			t.Fatalf("catalog type %q is not a triage type", c.Type)
		}
		if p.HumanOnly(c.Action) {
			continue
		}
		if c.MoneyMoving {
			t.Errorf("%s / %s moves money but is not in human_only_actions", c.Type, c.Action)
		}
		if !slices.Contains(want[typ], c.Action) {
			want[typ] = append(want[typ], c.Action)
		}
	}
	for _, typ := range triage.Types {
		slices.Sort(want[typ])
		if got := p.AutomatableActions[typ]; !slices.Equal(got, want[typ]) {
			t.Errorf("automatable_actions[%s] = %q, the catalog's automatable actions are %q", typ, got, want[typ])
		}
	}
	for typ := range p.AutomatableActions {
		if !slices.Contains(triage.Types, typ) {
			t.Errorf("automatable_actions lists type %q, which the catalog does not have", typ)
		}
	}
}
