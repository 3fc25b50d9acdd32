package generate

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// commonVars are shared by all types; they carry most of the distractor
// content (ids, names, amounts, dates) that every kind of text mentions.
func commonVars() map[string]func(*recCtx) string {
	return map[string]func(*recCtx) string{
		"inv":  func(c *recCtx) string { return c.inv.InvoiceID },
		"inv2": func(c *recCtx) string { return c.w.otherInvoice(c.r, c.cust, c.inv).InvoiceID },
		"cid":  func(c *recCtx) string { return c.cust.id },
		"cust": func(c *recCtx) string { return c.cust.legal },
		"cust_short": func(c *recCtx) string {
			return pick(c.r, []string{c.cust.brand, strings.Fields(c.cust.brand)[0]})
		},
		"amt":        func(c *recCtx) string { return c.money(c.inv.Amount) },
		"amt_exp":    func(c *recCtx) string { return c.money(c.inv.Amount - c.absStake()) },
		"prev_amt":   func(c *recCtx) string { return c.money(c.inv.Amount * (0.55 + 0.3*c.r.Float64())) },
		"delta":      func(c *recCtx) string { return c.money(c.absStake()) },
		"cur":        func(c *recCtx) string { return c.inv.Currency },
		"region":     func(c *recCtx) string { return c.cust.country.region },
		"period":     func(c *recCtx) string { return billingPeriod(c.inv.IssuedAt).Format("2006-01") },
		"month":      func(c *recCtx) string { return billingPeriod(c.inv.IssuedAt).Format("January") },
		"month_year": func(c *recCtx) string { return billingPeriod(c.inv.IssuedAt).Format("January 2006") },
		"year":       func(c *recCtx) string { return strconv.Itoa(c.inv.IssuedAt.Year()) },
		"date":       func(c *recCtx) string { return formatDay(c.r, c.at, c.cust.country.region) },
		"date_iso":   func(c *recCtx) string { return c.inv.IssuedAt.Format("2006-01-02") },
		"due_date":   func(c *recCtx) string { return formatDay(c.r, c.inv.DueAt, c.cust.country.region) },
		"ts": func(c *recCtx) string {
			return c.at.Add(-time.Duration(c.r.IntN(600)) * time.Second).Format(time.RFC3339)
		},
		"owner":   func(c *recCtx) string { return pick(c.r, colleagues) },
		"agent":   func(c *recCtx) string { return pick(c.r, colleagues) },
		"ticket":  ticket,
		"plan":    func(c *recCtx) string { return c.cust.plan },
		"product": func(c *recCtx) string { return pick(c.r, products) },
		"sku":     func(c *recCtx) string { return c.w.skus.draw(c.r) },
		"sub_idx": func(c *recCtx) string { return strconv.Itoa(c.r.IntN(len(c.cust.subs))) },
		"sub":     func(c *recCtx) string { return c.subscription().id },
		"contract": func(c *recCtx) string {
			return fmt.Sprintf("CTR-%d-%04d", c.inv.IssuedAt.Year()-c.r.IntN(3), c.r.IntN(10000))
		},
		"n":          func(c *recCtx) string { return strconv.Itoa(int(c.r.logNormal(900, 1.4)) + 3) },
		"n_fail":     func(c *recCtx) string { return strconv.Itoa(c.r.between(2, 60)) },
		"n_total":    func(c *recCtx) string { return strconv.Itoa(int(c.num("n_fail")) + c.r.between(40, 900)) },
		"days":       func(c *recCtx) string { return strconv.Itoa(c.r.between(2, 20)) },
		"since_year": func(c *recCtx) string { return strconv.Itoa(c.r.between(2015, c.inv.IssuedAt.Year()-1)) },
	}
}

// subscription is the one of the customer's subscriptions the record is
// about.
func (c *recCtx) subscription() subscription { return c.cust.subs[int(c.num("sub_idx"))] }

func ticket(c *recCtx) string {
	n := c.r.between(10000, 99999)
	return pick(c.r, []string{"#" + strconv.Itoa(n), "CS-" + strconv.Itoa(n), "SUP-" + strconv.Itoa(n)})
}
