package generate

import (
	"fmt"
	"math"
	"time"
)

// Identities are what stays true about a customer from one record to the
// next, and what an analyst's correction points at: its aliases
// (aliases.go), the jurisdiction it is taxed in, its subscriptions with
// their price books, the GL account of each SKU, and for a few customers a
// new canonical id after a migration.

// subscription is one of a customer's subscriptions and the price book it
// should be rated from.
type subscription struct {
	id, book string
}

// migrationShare is the share of customers that get a new canonical id
// during the window.
const migrationShare = 0.05

// addIdentities draws from its own stream, after customers and invoices,
// so that adding identities left those unchanged.
func (w *world) addIdentities(r *rng) {
	usedSubs := make(map[string]bool)
	for _, cu := range w.customers {
		cu.juris = pick(r, cu.country.juris)
		cu.subs = newSubscriptions(r, cu, w.cfg.Start.Year(), usedSubs)
	}
	w.skus = newCatalog(r)
	w.addAliases(r)
	w.addMigrations(r)
}

func newSubscriptions(r *rng, cu *customer, year int, used map[string]bool) []subscription {
	out := make([]subscription, r.between(1, 2))
	for i := range out {
		id := fmt.Sprintf("SUB-%06d", r.IntN(1000000))
		for used[id] {
			id = fmt.Sprintf("SUB-%06d", r.IntN(1000000))
		}
		used[id] = true
		out[i] = subscription{id: id, book: priceBook(r, cu, year)}
	}
	return out
}

// priceBook: enterprise deals have their own book, a few customers buy
// through partners, everyone else is on the year's list in their currency.
func priceBook(r *rng, cu *customer, year int) string {
	cur := cu.country.currency
	switch {
	case cu.tier == tierEnterprise:
		return fmt.Sprintf("PB-ENT-%d-%s", year, cur)
	case r.chance(0.15):
		return "PB-PARTNER-" + cur
	}
	return fmt.Sprintf("PB-%d-%s", year, cur)
}

// addMigrations gives about 5% of customers a new canonical id from a day
// in the middle 80% of the window, as after an acquisition: C-1106 becomes
// C-2106. Customers are drawn by their aliases' rates: a migration of a
// customer whose usage never goes unmapped leaves no stale evidence to
// test against. The offset is a multiple of 1000 no smaller than the
// number of customers, so a new id never equals an existing one.
func (w *world) addMigrations(r *rng) {
	n := int(math.Round(migrationShare * float64(len(w.customers))))
	offset := 1000 * ((len(w.customers) + 999) / 1000)
	window := float64(w.end.Sub(w.cfg.Start))
	ws := make([]float64, len(w.customers))
	for i, cu := range w.customers {
		for _, a := range cu.aliases {
			ws[i] += a.weight
		}
	}
	for range n {
		i := r.weighted(ws)
		ws[i] = 0 // without replacement
		cu := w.customers[i]
		cu.newID = fmt.Sprintf("C-%d", 1001+i+offset)
		cu.migratedAt = w.cfg.Start.Add(time.Duration((0.1 + 0.55*r.Float64()) * window)).Truncate(time.Second)
	}
}

// idAt is the customer's canonical id at t: the one a correction made then
// maps to. Invoices and the billing system keep the original id.
func (cu *customer) idAt(t time.Time) string {
	if cu.newID != "" && !t.Before(cu.migratedAt) {
		return cu.newID
	}
	return cu.id
}

// skuFamilies are the product lines and the revenue account each posts to.
var skuFamilies = []struct{ code, gl string }{
	{"PLT", "4010-SaaS"}, {"ADD", "4010-SaaS"}, {"API", "4030-Usage"},
	{"USG", "4030-Usage"}, {"SVC", "4020-Services"}, {"SUP", "4050-Support"},
}

// catalog is the SKUs invoices carry, a few per family, some sold far more
// than others, so the same SKU and entity fail to post again and again.
type catalog struct {
	codes   []string
	gl      map[string]string // SKU → its family's GL account
	sampler sampler
}

func newCatalog(r *rng) catalog {
	c := catalog{gl: make(map[string]string)}
	var ws []float64
	for _, f := range skuFamilies {
		for range r.between(4, 8) {
			code := fmt.Sprintf("SKU-%s-%03d", f.code, r.IntN(400))
			if c.gl[code] != "" {
				continue // drawn twice: the family just has one SKU fewer
			}
			c.codes, c.gl[code] = append(c.codes, code), f.gl
			ws = append(ws, r.logNormal(1, 1))
		}
	}
	c.sampler = newSampler(ws)
	return c
}

func (c catalog) draw(r *rng) string { return c.codes[c.sampler.draw(r)] }

// glAccount is where the SKU's revenue posts in the entity: the family's
// account with the entity as suffix (4030-Usage-DE01), the mapping an
// analyst adds when the ERP has none.
func (c catalog) glAccount(sku, entity string) string { return c.gl[sku] + "-" + entity }
