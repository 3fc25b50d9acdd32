package generate_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/triage"
)

func TestDraftsAreValidRepeatableAndSeededAsTold(t *testing.T) {
	cfg := generate.Config{Seed: 3, Exceptions: 300, Invoices: 200}
	ds, truth, err := generate.GenerateDrafts(cfg, generate.DraftConfig{Drafts: 300, FaultRate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	again, truth2, err := generate.GenerateDrafts(cfg, generate.DraftConfig{Drafts: 300, FaultRate: 0.5})
	if err != nil || !reflect.DeepEqual(ds, again) || !reflect.DeepEqual(truth, truth2) {
		t.Fatalf("the same config gave other drafts (%v)", err)
	}
	byCheck := map[triage.Check]int{}
	for i, d := range ds {
		if err := d.Validate(); err != nil {
			t.Errorf("draft %d: %v", i, err)
		}
		if truth[i].DraftID != d.ID {
			t.Errorf("truth %d names %s, draft is %s", i, truth[i].DraftID, d.ID)
		}
		byCheck[truth[i].Check]++
	}
	if faults := 300 - byCheck[""]; faults < 110 || faults > 190 {
		t.Errorf("%d of 300 drafts faulty at rate 0.5", faults)
	}
	for _, c := range triage.Checks {
		if byCheck[c] == 0 {
			t.Errorf("no draft seeded for %s", c)
		}
	}
	var buf bytes.Buffer
	if err := dataset.WriteDrafts(&buf, ds); err != nil {
		t.Fatal(err)
	}
	var read []triage.Draft
	errs, err := dataset.ReadDrafts(&buf, func(_ int, d triage.Draft) error { read = append(read, d); return nil })
	if err != nil || len(errs) > 0 || len(read) != len(ds) {
		t.Fatalf("read back %d of %d drafts: %v %v", len(read), len(ds), errs, err)
	}
}

func TestDraftsLeaveTheHistoryAlone(t *testing.T) {
	cfg := generate.Config{Seed: 3, Exceptions: 200, Invoices: 100}
	recs, invs, err := generate.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := generate.GenerateDrafts(cfg, generate.DraftConfig{Drafts: 50}); err != nil {
		t.Fatal(err)
	}
	recs2, invs2, err := generate.Generate(cfg)
	if err != nil || !reflect.DeepEqual(recs, recs2) || !reflect.DeepEqual(invs, invs2) {
		t.Errorf("drafting changed the history (%v)", err)
	}
	if _, _, err := generate.GenerateDrafts(cfg, generate.DraftConfig{Drafts: 5, FaultRate: 1.5}); err == nil {
		t.Error("a fault rate above 1 was accepted")
	}
}
