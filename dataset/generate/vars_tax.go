package generate

import (
	"fmt"
	"strconv"
	"time"
)

func taxVars() map[string]func(*recCtx) string {
	return map[string]func(*recCtx) string{
		"juris":  func(c *recCtx) string { return c.cust.juris },
		"juris2": otherJurisdiction,
		// The jurisdiction the tax engine applied, as the record shows it.
		"juris_seen": func(c *recCtx) string {
			if c.cause.RootCause == "wrong_tax_jurisdiction" {
				return c.get("juris2")
			}
			return c.get("juris")
		},
		"tax_name":     func(c *recCtx) string { return c.cust.country.taxName },
		"tax_id_label": func(c *recCtx) string { return c.cust.country.taxIDLabel },
		"rate":         func(c *recCtx) string { return formatRate(taxRates[c.get("juris")]) },
		"rate_old":     func(c *recCtx) string { return formatRate(max(1, c.num("rate")-float64(c.r.between(1, 2)))) },
		"rate_wrong":   func(c *recCtx) string { return formatRate(taxRates[c.get("juris2")]) },
		"rate_date": func(c *recCtx) string {
			return fmt.Sprintf("1 %s %d", pick(c.r, []string{"January", "April", "July"}), c.inv.IssuedAt.Year())
		},
		"tax_amt": func(c *recCtx) string { return c.money(c.inv.Amount * c.num("rate") / 100) },
		"engine":  func(c *recCtx) string { return pick(c.r, []string{"Avalara", "Vertex", "Anrok", "Stripe Tax"}) },
		"cert":    func(c *recCtx) string { return fmt.Sprintf("EXM-%s-%05d", c.get("juris"), c.r.IntN(100000)) },
		"exp_date": func(c *recCtx) string {
			return formatDay(c.r, c.at.Add(-time.Duration(c.r.between(2, 90))*24*time.Hour), c.cust.country.region)
		},
	}
}

// otherJurisdiction is where a mis-sourced invoice was taxed: another state
// or province of the same country when there is one, else a country of the
// same region.
func otherJurisdiction(c *recCtx) string {
	own := c.get("juris")
	var candidates []string
	for _, j := range c.cust.country.juris {
		if j != own {
			candidates = append(candidates, j)
		}
	}
	if len(candidates) == 0 {
		for _, co := range countries {
			if co.region == c.cust.country.region && co.code != c.cust.country.code {
				candidates = append(candidates, co.juris[0])
			}
		}
	}
	return pick(c.r, candidates)
}

func formatRate(r float64) string { return strconv.FormatFloat(r, 'f', -1, 64) }
