package triage_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// custKey is the i-th key of a shape the generator never makes and the
// code never listed: CUST/<region>/<padded number>.
func custKey(i int) string { return fmt.Sprintf("CUST/%d/%04d", 1+i%12, 40+i*37) }

// setupCustKeys imports a usage history whose account keys are shaped
// CUST/7/0042: 20 distinct keys corrected once each, and CUST/3/0815
// corrected 30 times to C-3815.
func setupCustKeys(t *testing.T) (*triage.Service, *postgres.Store) {
	t.Helper()
	var ms []mapping
	for i := range 20 {
		ms = append(ms, mapping{i, custKey(i), fmt.Sprintf("C-%d", 2000+i)})
	}
	for i := range 30 {
		ms = append(ms, mapping{100 + i, "CUST/3/0815", "C-3815"})
	}
	return setupMappings(t, ms)
}

// textOnly is a usage exception that names its account key only in the
// text, as the customer's feed did.
func textOnly(id, key string) triage.Exception {
	return triage.Exception{Source: "usage-pipeline", ExternalID: id, Type: triage.UsageMismatch, OccurredAt: day0.AddDate(0, 11, 0),
		Text:       fmt.Sprintf("Usage events for unknown account %s rejected by rating on 2025-11-03: no customer mapping", key),
		Attributes: map[string]any{"meter": "api_calls"}}
}

func TestKeysOfALearnedShapeAreLookedUpFromText(t *testing.T) {
	svc, _ := setupCustKeys(t)
	ctx := context.Background()
	seen, lookAlike := textOnly("s1", "CUST/3/0815"), textOnly("s2", "CUST/3/0816")
	if ids := triage.Identifiers(&seen, nil); len(ids) != 0 {
		t.Fatalf("without learned shapes nothing should be found (the shape is not in the code): %+v", ids)
	}
	subs, err := svc.Submit(ctx, admin, []triage.Exception{seen, lookAlike})
	if err != nil {
		t.Fatal(err)
	}
	got := subs[0]
	if got.Exception.Status != triage.StatusAutoEnriched || got.Exception.Attributes["account_id"] != "C-3815" {
		t.Fatalf("a seen key in the text: %s %v %v", got.Exception.Status, got.Exception.Attributes, got.Decision.Reasons)
	}
	if e := got.Decision.Enrichments; len(e) != 1 || e[0].Key != "CUST/3/0815" || e[0].Applied == nil {
		t.Errorf("enrichment %+v", e)
	}
	// An unseen look-alike is found too; pg_trgm offers the known key's
	// target to a person, never applied.
	alike := subs[1]
	if alike.Exception.Status != triage.StatusQueued || alike.Exception.Attributes["account_id"] != nil {
		t.Fatalf("an unseen look-alike was applied: %s %v", alike.Exception.Status, alike.Decision.Reasons)
	}
	e := alike.Decision.Enrichments
	if len(e) != 1 || e[0].Key != "CUST/3/0816" || len(e[0].Candidates) == 0 {
		t.Fatalf("look-alike enrichment %+v", e)
	}
	if c := e[0].Candidates[0]; c.To != "C-3815" || !strings.Contains(c.Source, "CUST/3/0815") || c.Confidence != 0 {
		t.Errorf("look-alike candidate %+v", c)
	}
}

// The store hands the learner distinct keys, newest first and bounded,
// with the attribute names that held them on resolved exceptions; a name
// learned so is then where keys of any shape are looked for.
func TestCorrectionKeysAndLearnedAttributeNames(t *testing.T) {
	svc, st := setupCustKeys(t)
	ctx := context.Background()
	keys, err := st.CorrectionKeys(ctx, "account_id", 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := keyNames(keys); !slices.Equal(got, []string{"CUST/3/0815", custKey(19), custKey(18)}) {
		t.Errorf("newest keys %v", got)
	}
	var exs []triage.Exception
	for i := range 5 {
		ex := textOnly(fmt.Sprintf("r%d", i), "a key named elsewhere")
		ex.Attributes["legacy_ref"] = fmt.Sprintf("LEG%d", i)
		exs = append(exs, ex)
	}
	subs, err := svc.Submit(ctx, admin, exs)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range subs {
		key := fmt.Sprintf("LEG%d", i)
		_, _, err := svc.Resolve(ctx, admin, s.Exception.ID, triage.ResolutionInput{Verdict: triage.VerdictEdit,
			RootCause: "unmapped_usage_account", Action: "map_usage_account",
			Params: map[string]any{"corrections": []any{map[string]any{"field": "account_id", "key": key, "from": key, "to": "C-77"}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	keys, err = st.CorrectionKeys(ctx, "account_id", 100)
	if err != nil {
		t.Fatal(err)
	}
	ks := triage.LearnKeyShapes("account_id", keys, triage.DefaultShapes)
	if !slices.Equal(ks.Attrs, []string{"legacy_ref"}) {
		t.Fatalf("attribute names %v from %+v", ks.Attrs, keys[:5])
	}
	next := textOnly("r9", "nothing")
	next.Attributes["legacy_ref"] = "zz-9" // of no learned shape
	subs, err = svc.Submit(ctx, admin, []triage.Exception{next})
	if err != nil {
		t.Fatal(err)
	}
	if e := subs[0].Decision.Enrichments; len(e) != 1 || e[0].Key != "zz-9" {
		t.Errorf("the learned attribute name was not used: %+v %v", e, subs[0].Decision.Reasons)
	}
}

func keyNames(keys []triage.CorrectionKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Key
	}
	return out
}
