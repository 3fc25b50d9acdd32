package generate

import (
	"fmt"
	"slices"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// Realism knobs: the share of records whose text doesn't reveal the cause,
// and the share whose label names a sibling cause instead of the true one.
// Mislabels concentrate where the text is unclear, as in real triage: an
// analyst rarely mislabels "GL account missing for SKU X" but often
// guesses on "invoice looks wrong, please check". A quarter of vague
// records and 0.8% of clear ones carry a sibling's label, 2% overall.
const (
	vagueRate      = 0.05
	vagueNoiseRate = 0.25
	clearNoiseRate = 0.008
)

// typeMix is each type's share of records and how long after the invoice was
// issued its exceptions surface: ERP failures within hours, disputes weeks
// later when the customer reads the invoice.
var typeMix = []struct {
	typ      string
	weight   float64
	from, to time.Duration
}{
	{"usage_mismatch", 0.25, 0, 12 * day},
	{"pricing_discrepancy", 0.20, 0, 20 * day},
	{"erp_posting_failure", 0.20, 5 * time.Minute, 2 * day},
	{"tax_inconsistency", 0.12, 0, 10 * day},
	{"billing_dispute", 0.20, 2 * day, 45 * day},
	{"other", 0.03, 0, 30 * day},
}

const day = 24 * time.Hour

var typeSampler = newSampler(func() []float64 {
	ws := make([]float64, len(typeMix))
	for i, t := range typeMix {
		ws[i] = t.weight
	}
	return ws
}())

func (w *world) addExceptions(r *rng) {
	// withDefaults guarantees at least one invoice to reference.
	w.drafts = make([]draft, w.cfg.Exceptions)
	for i := range w.drafts {
		w.drafts[i] = w.newException(r)
		if w.cfg.Progress != nil {
			w.cfg.Progress(i+1, len(w.drafts))
		}
	}
	slices.SortStableFunc(w.drafts, func(a, b draft) int { return a.rec.OccurredAt.Compare(b.rec.OccurredAt) })
	for i := range w.drafts {
		w.drafts[i].rec.ID = fmt.Sprintf("EXC-%06d", i+1)
	}
}

func (w *world) newException(r *rng) draft {
	tm := typeMix[typeSampler.draw(r)]
	i, cs, a := w.pickSubject(r, tm.typ)
	inv, cu := &w.invoices[i], w.invCust[i]
	c := &recCtx{r: r, w: w, cause: cs, cust: cu, inv: inv, alias: a, memo: make(map[string]string, 24)}
	c.at = occurredAt(r, inv.IssuedAt, tm.from, tm.to, w.end)
	c.stake = stakeAmount(r, cs.stake, inv)
	d := draft{cause: cs}
	d.rec, d.vague = c.record()
	label := cs
	noise := clearNoiseRate
	if d.vague {
		noise = vagueNoiseRate
	}
	if r.chance(noise) {
		label, d.noisy = sibling(r, cs), true
	}
	d.rec.Resolution = c.resolution(label)
	keepSupportedParams(&d.rec)
	if !d.noisy {
		d.alias = a // only the true cause carries the account correction
	}
	if tm.typ == "billing_dispute" {
		inv.Disputed = true // disputes always name their invoice
	}
	return d
}

// pickSubject draws the invoice a record is about, its cause and, for
// unmapped usage, the alias the usage arrived under. Unmapped usage is
// driven by the alias that emits it, so that the same keys recur at their
// own rates: its cause is drawn first (usage causes do not depend on the
// region) and the invoice follows from the alias's owner. Every other
// record starts from the invoice.
func (w *world) pickSubject(r *rng, typ string) (i int, cs *cause, a *alias) {
	if typ == "usage_mismatch" {
		cs = pickCause(r, typ, "")
		if cs.RootCause == "unmapped_usage_account" {
			if a, i, ok := w.pickAliasInvoice(r); ok {
				w.touched = append(w.touched, i)
				return i, cs, a
			}
		}
	}
	i = w.pickInvoice(r, typ)
	if cs == nil {
		cs = pickCause(r, typ, w.invCust[i].country.region)
	}
	if cs.RootCause == "unmapped_usage_account" {
		// No alias has an invoice to land on (a tiny world): any alias
		// of the invoice's customer will do.
		a = pick(r, w.invCust[i].aliases)
	}
	return i, cs, a
}

// pickInvoice draws the invoice an exception is about. Customers dispute
// invoices that already had a billing problem more often than clean ones,
// and write more than once about the same invoice, so disputes reuse
// invoices that earlier exceptions touched.
func (w *world) pickInvoice(r *rng, typ string) int {
	if typ == "billing_dispute" && len(w.touched) > 0 && r.chance(0.5) {
		return pick(r, w.touched)
	}
	i := r.IntN(len(w.invoices))
	if typ != "erp_posting_failure" && typ != "other" {
		w.touched = append(w.touched, i)
	}
	return i
}

// pickCause draws a cause of the type, making causes rare outside the
// regions where they mostly happen.
func pickCause(r *rng, typ, region string) *cause {
	cs := causesByType[typ]
	ws := make([]float64, len(cs))
	for i, c := range cs {
		ws[i] = c.weight
		if c.regions != nil && !slices.Contains(c.regions, region) {
			ws[i] *= 0.15
		}
	}
	return cs[r.weighted(ws)]
}

// sibling is a plausible mislabel: another cause of the same type.
func sibling(r *rng, cs *cause) *cause {
	var others []*cause
	for _, o := range causesByType[cs.Type] {
		if o != cs {
			others = append(others, o)
		}
	}
	return pick(r, others)
}

var causesByType = func() map[string][]*cause {
	m := make(map[string][]*cause)
	for i := range causes {
		m[causes[i].Type] = append(m[causes[i].Type], &causes[i])
	}
	return m
}()

// occurredAt places the exception after the invoice, inside the window.
func occurredAt(r *rng, issued time.Time, from, to time.Duration, end time.Time) time.Time {
	// At least zero: with Config.End, an invoice of End's own day may be
	// less than a minute old.
	room := max(0, end.Sub(issued)-time.Minute)
	if room < from {
		from = 0
	}
	to = min(to, room)
	offset := from + time.Duration(r.Float64()*float64(to-from))
	return issued.Add(offset).Truncate(time.Second)
}

// stakeAmount is the record's signed amount before rounding.
func stakeAmount(r *rng, s stake, inv *triage.Invoice) float64 {
	frac := 0.03 + 0.37*r.Float64()*r.Float64() // mostly small discrepancies
	switch s {
	case stakeInvoice:
		return inv.Amount
	case stakeOver:
		return roundMoney(inv.Amount*frac, inv.Currency)
	case stakeUnder:
		return -roundMoney(inv.Amount*frac, inv.Currency)
	}
	return 0
}
