package generate

import (
	"fmt"
	"strconv"
	"time"
)

var payMethods = map[string][]string{
	"NA":    {"ACH", "wire", "credit card", "check"},
	"EMEA":  {"SEPA transfer", "bank transfer", "credit card", "BACS"},
	"APAC":  {"bank transfer", "wire", "credit card"},
	"LATAM": {"wire", "bank transfer", "credit card"},
}

var cities = map[string][]string{
	"US": {"Austin, TX 78701", "Chicago, IL 60601", "Denver, CO 80202"}, "CA": {"Toronto, ON M5V 2T6", "Vancouver, BC V6B 1A1"},
	"DE": {"10115 Berlin", "80331 München"}, "FR": {"75002 Paris", "69002 Lyon"}, "NL": {"1012 AB Amsterdam"},
	"GB": {"London EC2A 4NE", "Manchester M1 1AE"}, "IE": {"Dublin 2, D02 X285"}, "ES": {"28001 Madrid"}, "SE": {"111 57 Stockholm"},
	"AU": {"Sydney NSW 2000", "Melbourne VIC 3000"}, "JP": {"Tokyo 100-0005"}, "SG": {"Singapore 018989"},
	"BR": {"São Paulo - SP, 01310-100"}, "MX": {"Ciudad de México, CDMX 06600"}, "CL": {"Santiago, RM 8320000"},
}

func disputeVars() map[string]func(*recCtx) string {
	daysBefore := func(c *recCtx, lo, hi int) time.Time {
		return c.at.Add(-time.Duration(c.r.between(lo, hi)) * 24 * time.Hour)
	}
	return map[string]func(*recCtx) string{
		"pay_date":   func(c *recCtx) string { return formatDay(c.r, daysBefore(c, 2, 20), c.cust.country.region) },
		"pay_method": func(c *recCtx) string { return pick(c.r, payMethods[c.cust.country.region]) },
		"payref": func(c *recCtx) string {
			return pick(c.r, []string{"PMT-", "FT", "TRX", "REF"}) + strconv.Itoa(c.r.between(1000000, 9999999))
		},
		"card4":         func(c *recCtx) string { return fmt.Sprintf("%04d", c.r.IntN(10000)) },
		"cancel_date":   func(c *recCtx) string { return formatDay(c.r, daysBefore(c, 10, 60), c.cust.country.region) },
		"cancel_month":  func(c *recCtx) string { return daysBefore(c, 10, 60).Format("January") },
		"incident":      func(c *recCtx) string { return fmt.Sprintf("INC-%d", c.r.between(1000, 9999)) },
		"incident_date": func(c *recCtx) string { return formatDay(c.r, daysBefore(c, 3, 30), c.cust.country.region) },
		"hours":         func(c *recCtx) string { return strconv.Itoa(c.r.between(2, 14)) },
		"sla":           func(c *recCtx) string { return pick(c.r, []string{"99.9", "99.95", "99.5"}) },
		"po":            purchaseOrder,
		"address": func(c *recCtx) string {
			return fmt.Sprintf("%d %s, %s", c.r.between(1, 250), pick(c.r, []string{"Market Street", "Harbour Road", "Hauptstraße", "Calle Mayor", "King Street"}), pick(c.r, cities[c.cust.country.code]))
		},
	}
}

// purchaseOrder is the customer's standing PO when it has one.
func purchaseOrder(c *recCtx) string {
	if c.cust.po != "" {
		return c.cust.po
	}
	return fmt.Sprintf("45%08d", c.r.IntN(100000000))
}
