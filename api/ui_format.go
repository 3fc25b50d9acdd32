package api

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/billtriage/billtriage/internal/numfmt"
	"github.com/billtriage/billtriage/triage"
)

// funcs are the template helpers; they format values the same way on
// every page.
func funcs(a *assets) template.FuncMap {
	return template.FuncMap{
		"asset":       a.url,
		"typeLabel":   typeLabel,
		"money":       money,
		"count":       count,
		"pct":         pct,
		"conf":        conf,
		"dur":         duration,
		"when":        when,
		"value":       value,
		"short":       short,
		"excerpt":     excerpt,
		"queueName":   triage.QueueName,
		"day":         day,
		"level":       level,
		"barWidth":    barWidth,
		"f1":          func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
		"paramRows":   paramRows,
		"paramFields": paramFields,
		"cases":       cases,
		"ptr":         func(f float64) *float64 { return &f },
		"ci":          ci,
		"interval":    interval,
		"optPrec":     optPrecision,
		"diffValue":   diffValue,
	}
}

var typeLabels = map[triage.Type]string{
	triage.UsageMismatch: "Usage mismatch", triage.PricingDiscrepancy: "Pricing discrepancy",
	triage.ERPPostingFailure: "ERP posting failure", triage.TaxInconsistency: "Tax inconsistency",
	triage.BillingDispute: "Billing dispute", triage.Other: "Other",
}

// typeLabel names an exception type for people.
func typeLabel(t triage.Type) string {
	if l, ok := typeLabels[t]; ok {
		return l
	}
	return string(t)
}

// money formats an amount with thousands separators and two decimals,
// e.g. "12,400.00 EUR"; a missing amount is a dash.
func money(amount *float64, currency string) string {
	if amount == nil {
		return "—"
	}
	s := strconv.FormatFloat(math.Abs(*amount), 'f', 2, 64)
	whole, frac, _ := strings.Cut(s, ".")
	s = numfmt.Group(whole) + "." + frac
	if *amount < 0 {
		s = "−" + s
	}
	return strings.TrimSpace(s + " " + currency)
}

// count formats a whole number with thousands separators.
func count(n int) string {
	if n < 0 {
		return "−" + numfmt.Group(strconv.Itoa(-n))
	}
	return numfmt.Group(strconv.Itoa(n))
}

// pct formats a share as a percentage with one decimal.
func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

// conf formats a confidence or similarity score.
func conf(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// duration formats a span in the two largest units people use for queue
// ages: "3d 4h", "5h 12m", "12m"; under a minute is "<1m".
func duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
}

// when formats an instant in UTC to the minute.
func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// day formats an instant's date in UTC.
func day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02")
}

// level names the band of a score for its bar's colour: a visual cue only;
// the policy's real thresholds are in the decision's reasons.
func level(f float64) string {
	switch {
	case f >= 0.85:
		return "level-high"
	case f >= 0.5:
		return "level-mid"
	}
	return "level-low"
}

// barWidth is the filled width of a score bar w units wide.
func barWidth(f, w float64) float64 { return math.Max(0, math.Min(1, f)) * w }

// value formats a parameter or audit detail: strings as they are, other
// values as compact JSON.
func value(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		return x
	case float64:
		// Scores are stored at full precision; three decimals is what a
		// person can read and compare.
		return strconv.FormatFloat(math.Round(x*1000)/1000, 'f', -1, 64)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// short abbreviates a long version hash to 12 characters.
func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// excerpt returns the first n runes of s on one line, with an ellipsis
// when cut.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}
