package generate

import (
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// world is one generated dataset with the ground truth that the output
// leaves out; the package's own tests read that truth.
type world struct {
	cfg          Config
	end          time.Time // first instant after the window
	customers    []*customer
	invoices     []triage.Invoice
	invCust      []*customer // invoice index → its customer
	custInvoices [][]int     // customer index → its invoice indices
	drafts       []draft
	touched      []int // invoices referenced by customer-visible exceptions so far

	aliases      []*alias // every alias, customer by customer
	active       []*alias // aliases whose owner has an invoice once they appear
	aliasSampler sampler  // draws from active by rate
	skus         catalog
	incidents    []Incident // seeded with Config.Incidents
}

// draft is a record with what the output doesn't say about it.
type draft struct {
	rec   dataset.Record
	cause *cause // the cause the text was written for
	vague bool   // text doesn't reveal the cause
	noisy bool   // label replaced by a sibling cause
	alias *alias // the alias the label's account correction maps, if any
	// incident is the 1-based index of the seeded incident the record
	// belongs to, 0 for none.
	incident int
}

// build makes the world in dependency order: aliases need invoices to
// appear on, wrong corrections are chosen once the history is in time
// order, and disputes mark invoices before payments are settled, because
// disputes delay payment.
func build(cfg Config) (*world, error) {
	raw := cfg
	cfg = cfg.withDefaults()
	if err := cfg.validate(raw); err != nil {
		return nil, err
	}
	w := &world{cfg: cfg, end: cfg.end()}
	w.customers = newCustomers(newRNG(cfg.Seed, streamCustomers), cfg.Customers)
	w.addInvoices(newRNG(cfg.Seed, streamInvoices))
	w.addIdentities(newRNG(cfg.Seed, streamIdentities))
	w.addExceptions(newRNG(cfg.Seed, streamExceptions))
	if cfg.Incidents {
		w.addIncidents(newRNG(cfg.Seed, streamIncidents))
	}
	w.reverseSomeCorrections(newRNG(cfg.Seed, streamCorrections))
	w.settlePayments(newRNG(cfg.Seed, streamPayments))
	w.mislabel(newRNG(cfg.Seed, streamMislabel))
	// Last and without randomness, so that Open changes nothing but the
	// records it leaves open.
	w.leaveOpen()
	return w, nil
}

// otherInvoice returns another invoice of the same customer when it has
// one, else any other invoice.
func (w *world) otherInvoice(r *rng, cu *customer, not *triage.Invoice) *triage.Invoice {
	own := w.custInvoices[cu.idx]
	for range 4 {
		if inv := &w.invoices[pick(r, own)]; inv != not {
			return inv
		}
	}
	return &w.invoices[(r.IntN(len(w.invoices)))]
}
