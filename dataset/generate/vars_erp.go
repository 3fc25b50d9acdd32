package generate

import (
	"fmt"
	"strconv"
	"strings"
)

// erpCodes are the error codes each ERP returns per cause. NetSuite reports
// a missing GL account and a missing customer with the same code, as it does
// in reality, so the code alone does not give the cause away.
var erpCodes = map[string]map[string][]string{
	"missing_gl_mapping":       {"netsuite": {"INVALID_KEY_OR_REF"}, "sap": {"FI-F5153", "FH010"}, "dynamics": {"GL-404"}},
	"closed_accounting_period": {"netsuite": {"INVALID_PERIOD", "PERIOD_CLOSED"}, "sap": {"FI-F5201"}, "dynamics": {"GL-PERIOD-CLOSED"}},
	"customer_not_in_erp":      {"netsuite": {"INVALID_KEY_OR_REF"}, "sap": {"FI-F2104"}, "dynamics": {"CUST-404"}},
	"erp_timeout":              {"netsuite": {"SSS_REQUEST_TIME_EXCEEDED", "SSS_REQUEST_LIMIT_EXCEEDED"}, "sap": {"HTTP-504", "ICM_HTTP_TIMEOUT"}, "dynamics": {"HTTP-429", "HTTP-503"}},
}

func erpVars() map[string]func(*recCtx) string {
	return map[string]func(*recCtx) string{
		"erp_key":  func(c *recCtx) string { return c.cust.country.erp },
		"erp":      func(c *recCtx) string { return pick(c.r, erpNames[c.cust.country.erp]) },
		"erp_code": erpCode,
		"erp_msg":  erpMessage,
		"entity":   func(c *recCtx) string { return c.cust.country.entity },
		"company":  func(c *recCtx) string { return c.cust.country.code + "10" },
		"gl":       func(c *recCtx) string { return c.w.skus.glAccount(c.get("sku"), c.get("entity")) },
		"gl_num":   func(c *recCtx) string { return strings.SplitN(c.get("gl"), "-", 2)[0] + pick(c.r, []string{"", "00"}) },
		"coa":      func(c *recCtx) string { return pick(c.r, []string{"INT", "YCOA", "CAUS"}) },
		"doc":      func(c *recCtx) string { return fmt.Sprintf("90%06d", c.r.IntN(1000000)) },
		"sap_cust": func(c *recCtx) string { return fmt.Sprintf("10%05d", c.r.IntN(100000)) },
		"ms":       func(c *recCtx) string { return strconv.Itoa(pick(c.r, []int{30000, 60000, 90000, 120000, 180000})) },
		"attempt":  func(c *recCtx) string { return strconv.Itoa(c.r.between(1, 5)) },
		"retry_s":  func(c *recCtx) string { return strconv.Itoa(pick(c.r, []int{30, 60, 120, 300})) },
		"http_status": func(c *recCtx) string {
			return pick(c.r, []string{"HTTP 503", "HTTP 504", "HTTP 429", "connection reset"})
		},
		"retry_after": func(c *recCtx) string { return pick(c.r, []string{"5m", "15m", "30m", "1h"}) },
		"close_day": func(c *recCtx) string {
			return pick(c.r, []string{"on WD3", "on the 3rd", "last Friday", "yesterday", "on WD5"})
		},
		"period_name": func(c *recCtx) string {
			return c.inv.IssuedAt.Format(pick(c.r, []string{"Jan 2006", "2006-01", "January 2006"}))
		},
		"per3":        func(c *recCtx) string { return fmt.Sprintf("%03d", int(c.inv.IssuedAt.Month())) },
		"open_period": func(c *recCtx) string { return monthStart(c.inv.IssuedAt).AddDate(0, 1, 0).Format("2006-01") },
	}
}

// erpCode is usually the specific code, sometimes the connector's generic
// one, which is all some integrations ever report.
func erpCode(c *recCtx) string {
	codes := erpCodes[c.cause.RootCause][c.cust.country.erp]
	if len(codes) == 0 || c.r.chance(0.12) {
		return "POSTING_FAILED"
	}
	return pick(c.r, codes)
}

// erpMessage renders the ERP's own wording for the cause.
func erpMessage(c *recCtx) string {
	msgs := erpMessages[c.cause.RootCause][c.cust.country.erp]
	if len(msgs) == 0 {
		return "Posting failed"
	}
	return c.expand(pick(c.r, msgs))
}
