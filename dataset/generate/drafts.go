package generate

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// DraftConfig asks for draft invoices after the history's window, some
// with one seeded fault each, to measure the pre-release checks. Drafting
// draws from its own stream after the world is built, so the history is
// the same bytes with or without drafts.
type DraftConfig struct {
	Drafts int
	// FaultRate is the share of drafts given a fault; 0 means 0.3.
	FaultRate float64
}

// DraftTruth is what a draft's seeded fault was: the check that should
// find it and the field it is in; Check is "" for a clean draft.
type DraftTruth struct {
	DraftID string
	Check   triage.Check
	Field   string
}

// streamDrafts draws the drafts; far from the world's own streams.
const streamDrafts uint64 = 100

// GenerateDrafts builds the world of cfg and drafts dc.Drafts invoices
// posted in the month after its window, from the world's customers, SKUs,
// entities, jurisdictions and price books as they truly are, then seeds
// faults.
func GenerateDrafts(cfg Config, dc DraftConfig) ([]triage.Draft, []DraftTruth, error) {
	if dc.Drafts < 0 || dc.FaultRate < 0 || dc.FaultRate > 1 {
		return nil, nil, errors.New("generate: drafts must not be negative and the fault rate must lie in [0, 1]")
	}
	if dc.FaultRate == 0 {
		dc.FaultRate = 0.3
	}
	w, err := build(cfg)
	if err != nil {
		return nil, nil, err
	}
	if len(w.invoices) == 0 && dc.Drafts > 0 {
		return nil, nil, errors.New("generate: drafts need invoices to draw customers from")
	}
	r := newRNG(w.cfg.Seed, streamDrafts)
	ds := make([]triage.Draft, dc.Drafts)
	truth := make([]DraftTruth, dc.Drafts)
	for i := range ds {
		ds[i] = w.cleanDraft(r, i)
		truth[i] = DraftTruth{DraftID: ds[i].ID}
		if r.chance(dc.FaultRate) {
			truth[i].Check, truth[i].Field = w.seedFault(r, &ds[i])
		}
	}
	return ds, truth, nil
}

// cleanDraft is a correct draft of an invoicing customer, posted on a day
// of the month after the window into that day's period.
func (w *world) cleanDraft(r *rng, i int) triage.Draft {
	cu := w.invCust[r.IntN(len(w.invoices))]
	at := w.end.Add(time.Duration(r.IntN(27*24)) * time.Hour)
	d := triage.Draft{ID: fmt.Sprintf("DRF-%06d", i+1), CustomerID: cu.id, AccountKey: cu.acct, Entity: cu.country.entity,
		Currency: cu.country.currency, Region: cu.country.region, TaxCode: cu.juris, Period: at.Format("2006-01"),
		PostingDate: at.Truncate(time.Second)}
	for range r.between(1, 3) {
		sku := w.skus.draw(r)
		sub := pick(r, cu.subs)
		amt := math.Round(r.logNormal(cu.baseUSD/2, 0.6)*fxPerUSD[d.Currency]*100) / 100
		d.Lines = append(d.Lines, triage.DraftLine{SKU: sku, Amount: &amt, GLAccount: w.skus.glAccount(sku, d.Entity),
			PriceBook: sub.book, Subscription: sub.id})
	}
	return d
}

// seedFault breaks one thing a check should catch, as a billing system
// gets it wrong, and says which.
func (w *world) seedFault(r *rng, d *triage.Draft) (triage.Check, string) {
	line := r.IntN(len(d.Lines))
	l := &d.Lines[line]
	switch c := pick(r, triage.Checks); c {
	case triage.CheckCustomerMaster:
		if r.chance(0.5) && len(w.aliases) > 0 {
			if a := pick(r, w.aliases); a.owner.id != d.CustomerID {
				d.AccountKey = a.key
				return c, "account_key"
			}
		}
		d.CustomerID = fmt.Sprintf("C-%d", 1001+len(w.customers)+r.IntN(1000)+1000)
		return c, "customer_id"
	case triage.CheckLegalEntity:
		d.Entity = otherCountry(r, d.Region, d.Entity, false).entity
		for i := range d.Lines {
			d.Lines[i].GLAccount = w.skus.glAccount(d.Lines[i].SKU, d.Entity)
		}
		return c, "entity"
	case triage.CheckRevenueAccount:
		switch r.IntN(3) {
		case 0:
			l.GLAccount = ""
		case 1:
			l.GLAccount = w.skus.glAccount(w.otherFamilySKU(r, l.SKU), d.Entity)
		default:
			l.GLAccount = w.skus.glAccount(l.SKU, otherCountry(r, d.Region, d.Entity, true).entity)
		}
		return c, fmt.Sprintf("lines[%d].gl_account", line)
	case triage.CheckTaxTreatment:
		d.TaxCode = otherJurisdictionOf(r, d)
		return c, "tax_code"
	case triage.CheckPriceBook:
		for _, b := range r.Perm(3) {
			if stale := []string{fmt.Sprintf("PB-%d-%s", w.cfg.Start.Year()-1, d.Currency), "PB-USD-LIST", "PB-LEGACY-2023"}[b]; stale != l.PriceBook {
				l.PriceBook = stale
				break
			}
		}
		return c, fmt.Sprintf("lines[%d].price_book", line)
	default:
		p, _ := triage.ParsePeriod(d.Period)
		d.Period = p.AddDate(0, -r.between(1, 3), 0).Format("2006-01")
		return triage.CheckPostingPeriod, "period"
	}
}

// otherCountry is a country whose entity is not notEntity, in region
// when same (a sister subsidiary) or in another region.
func otherCountry(r *rng, region, notEntity string, same bool) *country {
	var cs []*country
	for i := range countries {
		if c := &countries[i]; (c.region == region) == same && c.entity != notEntity {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return &countries[0]
	}
	return pick(r, cs)
}

// otherJurisdictionOf is a jurisdiction the draft's customer is not taxed
// in: another state of its country when it has states, else another
// country's, near or far.
func otherJurisdictionOf(r *rng, d *triage.Draft) string {
	for _, c := range countries {
		if c.entity != d.Entity || len(c.juris) < 2 || !r.chance(0.5) {
			continue
		}
		for range 16 {
			if j := pick(r, c.juris); j != d.TaxCode {
				return j
			}
		}
	}
	return pick(r, otherCountry(r, d.Region, d.Entity, r.chance(0.5)).juris)
}

// otherFamilySKU is a SKU posting to another revenue account.
func (w *world) otherFamilySKU(r *rng, sku string) string {
	for range 32 {
		if o := w.skus.draw(r); w.skus.gl[o] != w.skus.gl[sku] {
			return o
		}
	}
	return sku
}

// DraftTruthHeader is the header of a draft truth file.
var DraftTruthHeader = []string{"draft_id", "check", "field"}

// WriteDraftTruth writes the seeded faults as CSV.
func WriteDraftTruth(w io.Writer, truth []DraftTruth) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(DraftTruthHeader); err != nil {
		return err
	}
	for _, t := range truth {
		if err := cw.Write([]string{t.DraftID, string(t.Check), t.Field}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadDraftTruth reads a draft truth file by draft id; a malformed line
// is an error naming it.
func ReadDraftTruth(r io.Reader) (map[string]DraftTruth, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(DraftTruthHeader)
	out := map[string]DraftTruth{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("draft truth line %d: %w", line, err)
		}
		if line == 1 {
			continue
		}
		out[rec[0]] = DraftTruth{DraftID: rec[0], Check: triage.Check(rec[1]), Field: rec[2]}
	}
}
