package eval

import (
	"sort"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/triage"
)

// CheckHistoryOf is what the pre-release checks learn from a labelled
// file, as the store would hold it once loaded: each labelled record that
// occurred before before as a resolved case with its facts, its
// corrections from the time it was resolved (those resolved before
// before), and the invoices issued before before. A zero before takes
// everything.
func CheckHistoryOf(recs []dataset.Record, invs []triage.Invoice, before time.Time) triage.CheckHistory {
	issued := map[string]time.Time{}
	for _, inv := range invs {
		issued[inv.InvoiceID] = inv.IssuedAt
	}
	var h triage.CheckHistory
	for _, r := range recs {
		res := r.Resolution
		if res == nil || (!before.IsZero() && !r.OccurredAt.Before(before)) {
			continue
		}
		at := r.OccurredAt
		if res.ResolvedAt != nil {
			at = *res.ResolvedAt
		}
		if !before.IsZero() && !at.Before(before) {
			continue // not resolved yet: nothing learned from it
		}
		ex := r.Exception()
		h.Cases = append(h.Cases, triage.CheckCase{Facts: ex.Facts(), Type: ex.Type, RootCause: res.RootCause, Action: res.Action,
			Params: res.Params, At: r.OccurredAt, IssuedAt: issued[r.InvoiceID]})
		cs, _ := triage.CorrectionsFromParams(res.Params)
		for _, c := range cs {
			if c.ReversedAt != nil && !before.IsZero() && !c.ReversedAt.Before(before) {
				c.ReversedAt = nil // found wrong only later
			}
			h.Corrections = append(h.Corrections, triage.Evidence{Correction: c, Type: ex.Type, At: at})
		}
	}
	for _, inv := range invs {
		if before.IsZero() || inv.IssuedAt.Before(before) {
			h.Cases = append(h.Cases, triage.CheckCase{Facts: triage.Facts{CustomerID: inv.CustomerID, InvoiceID: inv.InvoiceID,
				Region: inv.Region, Currency: inv.Currency}, At: inv.IssuedAt, IssuedAt: inv.IssuedAt})
		}
	}
	return h
}

// CheckScore is one check's precision and recall on drafts with seeded
// faults: a draft counts for a check when a finding of it reaches the
// raising severity.
type CheckScore struct {
	Check     triage.Check `json:"check"`
	Seeded    int          `json:"seeded"`
	Flagged   int          `json:"flagged"`
	TP        int          `json:"true_positives"`
	Precision *float64     `json:"precision"`
	Recall    *float64     `json:"recall"`
}

// DraftScores are the checks' results on a set of drafts.
type DraftScores struct {
	Drafts int `json:"drafts"`
	Faulty int `json:"faulty"`
	Held   int `json:"held"`
	// HeldFaulty is how many faulty drafts were held, CleanHeld how many
	// clean ones.
	HeldFaulty int          `json:"held_faulty"`
	CleanHeld  int          `json:"clean_held"`
	PerCheck   []CheckScore `json:"per_check"`
}

// ScoreDrafts runs the checks learned from h on every draft and scores
// them against the seeded faults.
func ScoreDrafts(h triage.CheckHistory, drafts []triage.Draft, truth map[string]generate.DraftTruth, cfg triage.CheckConfig) DraftScores {
	k := triage.LearnChecks(h)
	raiseAt := cfg.RaiseAt
	if raiseAt == "" {
		raiseAt = triage.SeverityError
	}
	out := DraftScores{Drafts: len(drafts)}
	per := map[triage.Check]*CheckScore{}
	for _, c := range triage.Checks {
		per[c] = &CheckScore{Check: c}
	}
	for _, d := range drafts {
		seeded := truth[d.ID].Check
		flagged := map[triage.Check]bool{}
		for _, f := range k.CheckDraft(d, time.Time{}, cfg) {
			if f.Severity.Rank() >= raiseAt.Rank() {
				flagged[f.Check] = true
			}
		}
		out.tally(seeded, len(flagged) > 0)
		if seeded != "" {
			per[seeded].Seeded++
		}
		for c := range flagged {
			per[c].Flagged++
			if c == seeded {
				per[c].TP++
			}
		}
	}
	for _, c := range triage.Checks {
		s := per[c]
		s.Precision, s.Recall = ratio(s.TP, s.Flagged), ratio(s.TP, s.Seeded)
		out.PerCheck = append(out.PerCheck, *s)
	}
	return out
}

func (s *DraftScores) tally(seeded triage.Check, held bool) {
	if seeded != "" {
		s.Faulty++
	}
	if !held {
		return
	}
	s.Held++
	if seeded != "" {
		s.HeldFaulty++
	} else {
		s.CleanHeld++
	}
}

// CaughtScore counts, per type and root cause of the later exceptions, how
// many the checks would have held before release.
type CaughtScore struct {
	Type      triage.Type `json:"type"`
	RootCause string      `json:"root_cause"`
	Cases     int         `json:"cases"`
	Caught    int         `json:"caught"`
	Share     *float64    `json:"share"`
	// ByCheck counts the cases each check held.
	ByCheck map[triage.Check]int `json:"by_check"`
}

// DraftOf is the draft a case's invoice would have been, as far as the
// case states it: its customer, entity, currency, region, jurisdiction,
// SKU and price book, the period its invoice was issued in, posted when
// the case occurred. The account is left to the ERP, since cases do not
// state it.
func DraftOf(r dataset.Record, issued time.Time) triage.Draft {
	attr := func(k string) string { s, _ := r.Attributes[k].(string); return s }
	if issued.IsZero() {
		issued = r.OccurredAt
	}
	return triage.Draft{ID: r.ID, CustomerID: r.CustomerID, AccountKey: attr("account_key"), InvoiceID: r.InvoiceID,
		Entity: attr("entity"), Currency: r.Currency, Region: r.Region, TaxCode: attr("jurisdiction"),
		Period: issued.UTC().Format("2006-01"), PostingDate: r.OccurredAt,
		Lines: []triage.DraftLine{{SKU: attr("sku"), GLAccount: attr("gl_account"), PriceBook: attr("price_book"), Subscription: attr("subscription")}}}
}

// ScoreCaught replays the test part: each labelled exception of the types
// asked for, as the draft of its invoice (DraftOf) checked with what the
// history knew the day it occurred, counts as caught when a finding of a
// check raising its type reached the raising severity. Types other than
// those asked for are the control: a finding of those types on them is a
// false alarm. The knowledge is relearned once a day of the test part.
func ScoreCaught(recs []dataset.Record, invs []triage.Invoice, splitAt time.Time, types []triage.Type, cfg triage.CheckConfig) (caught []CaughtScore, control CaughtScore) {
	issued := map[string]time.Time{}
	for _, inv := range invs {
		issued[inv.InvoiceID] = inv.IssuedAt
	}
	want := map[triage.Type]bool{}
	for _, t := range types {
		want[t] = true
	}
	raiseAt := cfg.RaiseAt
	if raiseAt == "" {
		raiseAt = triage.SeverityError
	}
	byCause := map[[2]string]*CaughtScore{}
	control = CaughtScore{RootCause: "(other types)", ByCheck: map[triage.Check]int{}}
	var k *triage.CheckKnowledge
	var day time.Time
	for _, r := range recs {
		if r.Resolution == nil || r.OccurredAt.Before(splitAt) {
			continue
		}
		if d := r.OccurredAt.UTC().Truncate(24 * time.Hour); k == nil || d.After(day) {
			day, k = d, triage.LearnChecks(CheckHistoryOf(recs, invs, d))
		}
		d := DraftOf(r, issued[r.InvoiceID])
		if d.Entity == "" && d.Lines[0].SKU == "" && d.TaxCode == "" {
			continue // states nothing a check reads
		}
		hits := map[triage.Check]bool{}
		for _, f := range k.CheckDraft(d, time.Time{}, cfg) {
			if f.Severity.Rank() >= raiseAt.Rank() && want[f.Check.Type()] && (f.Check.Type() == triage.Type(r.Type) || !want[triage.Type(r.Type)]) {
				hits[f.Check] = true
			}
		}
		s := &control
		if want[triage.Type(r.Type)] {
			key := [2]string{r.Type, r.Resolution.RootCause}
			if byCause[key] == nil {
				byCause[key] = &CaughtScore{Type: triage.Type(r.Type), RootCause: r.Resolution.RootCause, ByCheck: map[triage.Check]int{}}
			}
			s = byCause[key]
		}
		s.Cases++
		if len(hits) > 0 {
			s.Caught++
		}
		for c := range hits {
			s.ByCheck[c]++
		}
	}
	for _, s := range byCause {
		s.Share = ratio(s.Caught, s.Cases)
		caught = append(caught, *s)
	}
	sort.Slice(caught, func(i, j int) bool {
		if caught[i].Type != caught[j].Type {
			return caught[i].Type < caught[j].Type
		}
		return caught[i].RootCause < caught[j].RootCause
	})
	control.Share = ratio(control.Caught, control.Cases)
	return caught, control
}
