package generate

import (
	"fmt"
	"math"
	"strconv"
)

// meter is a usage dimension; wrongUnit and factor describe the unit mix-up
// that meter_unit_mismatch is about.
type meter struct {
	key, label, unit, wrongUnit string
	factor                      int
}

var meters = []meter{
	{"api_calls", "API calls", "calls", "k-calls", 1000},
	{"storage_gb", "Storage (GB-month)", "GB", "MB", 1024},
	{"compute_hours", "Compute hours", "hours", "minutes", 60},
	{"active_users", "Monthly active users", "users", "user-days", 30},
	{"messages_sent", "Messages", "messages", "batches", 100},
	{"data_transfer_gb", "Data transfer", "GB", "MB", 1000},
}

// billedRatio is billed/metered quantity per cause: late and unmapped usage
// under-bill, duplicates over-bill.
var billedRatio = map[string][2]float64{
	"usage_late_arrival":     {0.6, 0.95},
	"unmapped_usage_account": {0.3, 0.9},
	"duplicate_usage_events": {1.1, 2.0},
	"unrecognised_usage":     {1.0, 1.0},
}

func usageVars() map[string]func(*recCtx) string {
	m := func(c *recCtx) meter { return meters[int(c.num("meter_idx"))] }
	return map[string]func(*recCtx) string{
		"meter_idx":   func(c *recCtx) string { return strconv.Itoa(c.r.IntN(len(meters))) },
		"meter":       func(c *recCtx) string { return m(c).key },
		"meter_label": func(c *recCtx) string { return m(c).label },
		"unit":        func(c *recCtx) string { return m(c).unit },
		"unit_wrong":  func(c *recCtx) string { return m(c).wrongUnit },
		"factor":      func(c *recCtx) string { return strconv.Itoa(m(c).factor) },
		"acct":        usageAccount,
		"qty_metered": func(c *recCtx) string { return strconv.Itoa(int(c.r.logNormal(250000, 1.2)) + 100) },
		"qty_billed":  qtyBilled,
		"qty_metered_k": func(c *recCtx) string {
			return fmt.Sprintf("%.0fk", math.Max(1, c.num("qty_metered")/1000*(0.3+0.4*c.r.Float64())))
		},
		"batch": func(c *recCtx) string { return fmt.Sprintf("b-%08x", c.r.Uint32()) },
		"ver":   func(c *recCtx) string { return fmt.Sprintf("%d.%d.%d", c.r.between(2, 5), c.r.IntN(20), c.r.IntN(10)) },
	}
}

// usageAccount is the customer's key, except for unmapped usage, which
// arrives under one of the customer's aliases that billing does not link.
func usageAccount(c *recCtx) string {
	if c.alias != nil {
		return c.alias.key
	}
	return c.cust.acct
}

func qtyBilled(c *recCtx) string {
	metered := c.num("qty_metered")
	if c.cause.RootCause == "meter_unit_mismatch" {
		return strconv.Itoa(int(metered) * int(c.num("factor")))
	}
	ratio := [2]float64{0.97, 1.03}
	if r, ok := billedRatio[c.cause.RootCause]; ok {
		ratio = r
	}
	return strconv.Itoa(int(metered * (ratio[0] + (ratio[1]-ratio[0])*c.r.Float64())))
}
