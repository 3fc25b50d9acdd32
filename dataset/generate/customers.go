package generate

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// tier is a customer's size; it drives invoice amounts, terms and plan.
type tier int

const (
	tierSmall tier = iota
	tierMid
	tierEnterprise
)

// tierMedianUSD is the median monthly invoice per tier, in USD.
var tierMedianUSD = [...]float64{600, 5000, 40000}

type customer struct {
	idx                      int // position in world.customers
	id, brand, legal, domain string
	country                  *country
	tier                     tier
	terms                    int     // payment terms in days
	reliability              float64 // latent propensity to pay on time, 0..1
	baseUSD                  float64 // this customer's typical invoice
	plan                     string
	acct                     string // usage account key
	po                       string // purchase order number, "" when none is required
	contacts                 []person

	// Identities, drawn by addIdentities from their own stream.
	aliases    []*alias
	juris      string // the tax jurisdiction its invoices belong in
	subs       []subscription
	newID      string    // canonical id after a migration; "" when none
	migratedAt time.Time // when newID took over
}

type person struct {
	first, last, title, phone, email string
}

func newCustomers(r *rng, n int) []*customer {
	weights := make([]float64, len(countries))
	for i, c := range countries {
		weights[i] = c.weight
	}
	used := make(map[string]bool)
	out := make([]*customer, n)
	for i := range out {
		c := &customer{idx: i, id: fmt.Sprintf("C-%d", 1001+i), country: &countries[r.weighted(weights)]}
		c.tier = tier(r.weighted([]float64{0.6, 0.3, 0.1}))
		c.brand = uniqueBrand(r, used)
		c.legal = c.brand + " " + pick(r, c.country.legal)
		c.domain = strings.ToLower(strings.Fields(c.brand)[0]) + "." + c.country.tld
		c.terms = paymentTerms(r, c)
		c.reliability = math.Min(0.99, math.Max(0.05, 0.72+0.18*r.NormFloat64()))
		c.baseUSD = r.logNormal(tierMedianUSD[c.tier], 0.5)
		c.plan = pick(r, plans[c.tier])
		c.acct = fmt.Sprintf("acct_%d", r.between(100, 9999))
		if c.tier == tierEnterprise || r.chance(0.1) {
			c.po = fmt.Sprintf("45%08d", r.IntN(100000000))
		}
		c.contacts = newContacts(r, c)
		out[i] = c
	}
	return out
}

// uniqueBrand retries on collisions; with thousands of combinations a
// collision is rare, and a numbered suffix keeps huge configs terminating.
func uniqueBrand(r *rng, used map[string]bool) string {
	for attempt := 0; ; attempt++ {
		name := pick(r, namePrefixes) + pick(r, nameSuffixes) + " " + pick(r, sectors)
		if attempt > 20 {
			name = fmt.Sprintf("%s %d", name, attempt)
		}
		if !used[name] {
			used[name] = true
			return name
		}
	}
}

// paymentTerms: larger customers negotiate longer terms, LATAM runs longer.
func paymentTerms(r *rng, c *customer) int {
	options := [...][]int{{15, 30, 30, 30}, {30, 30, 45, 60}, {30, 45, 60, 60}}[c.tier]
	if c.country.region == "LATAM" && r.chance(0.5) {
		return 60
	}
	return pick(r, options)
}

func newContacts(r *rng, c *customer) []person {
	out := make([]person, r.between(1, 3))
	for i := range out {
		first, last := pick(r, firstNames), pick(r, lastNames)
		local := strings.ToLower(asciiOnly(first) + "." + strings.ReplaceAll(asciiOnly(last), " ", ""))
		out[i] = person{first: first, last: last, title: pick(r, titles), phone: phoneNumber(r, c.country.phone), email: local + "@" + c.domain}
	}
	return out
}

func phoneNumber(r *rng, pattern string) string {
	b := []byte(pattern)
	for i, ch := range b {
		if ch == '#' {
			b[i] = byte('0' + r.IntN(10))
		}
	}
	return string(b)
}

// asciiOnly folds the accented letters used in the name lists, because
// e-mail local parts are ASCII in practice.
func asciiOnly(s string) string {
	return strings.NewReplacer("é", "e", "ü", "u", "í", "i", "á", "a", "'", "").Replace(s)
}
