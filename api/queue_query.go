package api

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// queueParams are the query parameters of a queue read, the same for the
// JSON API (GET /v1/queues/{queue}) and the UI's queue page, so that a saved
// view or a copied address means one thing everywhere.
var queueParams = []string{"q", "type", "customer", "why", "min_amount", "max_amount", "min_risk", "max_risk",
	"min_confidence", "max_confidence", "min_age", "max_age", "sort", "cursor", "limit"}

// parseQueueQuery decodes a queue read's parameters. It only decodes, each
// failure naming its parameter; the rules (ranges, known values) are the
// domain's, checked by triage.QueueQuery.Validate.
func parseQueueQuery(queue triage.Queue, v url.Values) (triage.QueueQuery, error) {
	q := triage.QueueQuery{Queue: queue, Type: triage.Type(v.Get("type")), Cursor: v.Get("cursor"),
		Search: v.Get("q"), Customer: v.Get("customer"), Why: triage.Why(v.Get("why"))}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return q, triage.Invalid("limit", "must be an integer from 1 to %d", triage.MaxQueuePage)
		}
		q.Limit = n
	}
	for _, f := range []struct {
		name string
		dst  **float64
	}{{"min_amount", &q.MinAmount}, {"max_amount", &q.MaxAmount}, {"min_risk", &q.MinRisk}, {"max_risk", &q.MaxRisk},
		{"min_confidence", &q.MinConfidence}, {"max_confidence", &q.MaxConfidence}} {
		s := strings.TrimSpace(v.Get(f.name))
		if s == "" {
			continue
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return q, triage.Invalid(f.name, "%q is not a number", s)
		}
		*f.dst = &x
	}
	for _, f := range []struct {
		name string
		dst  *time.Duration
	}{{"min_age", &q.MinAge}, {"max_age", &q.MaxAge}} {
		s := strings.TrimSpace(v.Get(f.name))
		if s == "" {
			continue
		}
		d, err := parseAge(s)
		if err != nil {
			return q, triage.Invalid(f.name, "%q is not an age (write 3d, 12h or 90m)", s)
		}
		*f.dst = d
	}
	if s := v.Get("sort"); s != "" {
		// "-amount" sorts by amount, largest first.
		q.Sort, q.Desc = triage.QueueSort(strings.TrimPrefix(s, "-")), strings.HasPrefix(s, "-")
	}
	return q, nil
}

// parseAge reads an age in days ("3d", "1.5d") or as a Go duration ("12h",
// "90m"); a bare number is days, the unit ages are shown in.
func parseAge(s string) (time.Duration, error) {
	days := strings.TrimSuffix(s, "d")
	if x, err := strconv.ParseFloat(days, 64); err == nil {
		if x < 0 || x > 100*365 {
			return 0, strconv.ErrRange
		}
		return time.Duration(x * float64(24*time.Hour)), nil
	}
	// Only hours, minutes and seconds: the OpenAPI document's pattern.
	if !durationPattern.MatchString(s) {
		return 0, strconv.ErrSyntax
	}
	return time.ParseDuration(s)
}

// durationPattern is an age written in hours, minutes or seconds (1h30m).
var durationPattern = regexp.MustCompile(`^([0-9]+(\.[0-9]+)?(h|m|s))+$`)

// sortParam is the sort parameter of a query: the column, "-" first when
// descending; "" for the default (priority, highest first).
func sortParam(q triage.QueueQuery) string {
	if q.Sort == "" || (q.Sort == triage.SortPriority && q.Desc) {
		return ""
	}
	if q.Desc {
		return "-" + string(q.Sort)
	}
	return string(q.Sort)
}

// queueQueryValues keeps the known parameters of v that are set, minus
// those named in drop: the links of a queue page (sort headers, next page,
// a saved view) carry its search and filters on.
func queueQueryValues(v url.Values, drop ...string) url.Values {
	out := url.Values{}
	for _, k := range queueParams {
		if s := strings.TrimSpace(v.Get(k)); s != "" {
			out.Set(k, s)
		}
	}
	for _, k := range drop {
		out.Del(k)
	}
	return out
}
