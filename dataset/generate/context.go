package generate

import (
	"strconv"
	"strings"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// recCtx is everything one record's text, attributes and label are drawn
// from. Variables are computed on first use and memoised, so a value shown in
// the text is exactly the one that ends up in the resolution's params.
type recCtx struct {
	r       *rng
	w       *world
	cause   *cause // the cause the text is written for (not a noisy label)
	cust    *customer
	inv     *triage.Invoice
	at      time.Time
	stake   float64 // signed amount at stake, in the invoice currency
	contact *person
	alias   *alias // the key unmapped usage arrived under; nil for other causes
	memo    map[string]string
}

// varFuncs computes each template variable; filled by init because the
// functions refer back to it through get.
var varFuncs map[string]func(*recCtx) string

func init() {
	varFuncs = make(map[string]func(*recCtx) string)
	for _, m := range []map[string]func(*recCtx) string{commonVars(), usageVars(), pricingVars(), erpVars(), taxVars(), disputeVars(), mailVars()} {
		for k, f := range m {
			varFuncs[k] = f
		}
	}
}

// get returns the variable's memoised value; an unknown name yields "" (the
// template tests make sure no template uses one).
func (c *recCtx) get(name string) string {
	if v, ok := c.memo[name]; ok {
		return v
	}
	v := ""
	if f := varFuncs[name]; f != nil {
		v = f(c)
	}
	c.memo[name] = v
	return v
}

// num reads back a numeric variable, for params that must match the text.
func (c *recCtx) num(name string) float64 {
	f, _ := strconv.ParseFloat(c.get(name), 64)
	return f
}

// expand renders a template with this record's variables.
func (c *recCtx) expand(tmpl string) string {
	var b strings.Builder
	render(&b, tmpl, c.r, c.get)
	return b.String()
}

func (c *recCtx) money(v float64) string {
	return formatMoney(c.r, roundMoney(v, c.inv.Currency), c.inv.Currency, c.cust.country.region)
}

// absStake is the size of the discrepancy, never zero so texts make sense.
func (c *recCtx) absStake() float64 {
	if c.stake == 0 {
		return roundMoney(c.inv.Amount*0.1, c.inv.Currency)
	}
	if c.stake < 0 {
		return -c.stake
	}
	return c.stake
}

func (c *recCtx) person() *person {
	if c.contact == nil {
		c.contact = &c.cust.contacts[c.r.IntN(len(c.cust.contacts))]
	}
	return c.contact
}
