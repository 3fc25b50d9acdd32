package generate

import (
	"strings"
	"time"
)

// mailVars describe the people in an e-mail: the customer's contact who
// writes, and for contact changes the person replacing them.
func mailVars() map[string]func(*recCtx) string {
	return map[string]func(*recCtx) string{
		"first": func(c *recCtx) string { return c.person().first },
		"last":  func(c *recCtx) string { return c.person().last },
		"title": func(c *recCtx) string { return c.person().title },
		"phone": func(c *recCtx) string { return c.person().phone },
		"email": func(c *recCtx) string { return c.person().email },
		"web":   func(c *recCtx) string { return "www." + c.cust.domain },
		"quote_date": func(c *recCtx) string {
			t := c.at.Add(-time.Duration(c.r.between(20, 240)) * time.Hour)
			return t.Format(pick(c.r, []string{"Mon, 2 Jan 2006 at 15:04", "Mon, Jan 2, 2006 at 3:04 PM", "2 Jan 2006, at 15:04"}))
		},
		"new_first":   func(c *recCtx) string { return pick(c.r, firstNames) },
		"new_contact": func(c *recCtx) string { return c.get("new_first") + " " + pick(c.r, lastNames) },
		"new_email": func(c *recCtx) string {
			return pick(c.r, []string{"ap", "invoices", "billing", "accounts.payable", strings.ToLower(asciiOnly(c.get("new_first")))}) + "@" + c.cust.domain
		},
		"new_title": func(c *recCtx) string { return pick(c.r, titles) },
		"old_first": func(c *recCtx) string { return pick(c.r, firstNames) },
		"vendor":    func(*recCtx) string { return vendor },
		"vendor_domain": func(*recCtx) string {
			return vendorDomain
		},
	}
}
