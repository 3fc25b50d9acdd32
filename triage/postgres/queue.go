package postgres

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/billtriage/billtriage/triage"
)

// The queue page reads. Every filter is optional, so the statement is
// assembled from the constant fragments below: only fragments written here
// and positional parameters reach the database, never a caller's text, and
// an order is one of queueOrders' whitelisted expressions.
const (
	queueSelectSQL = `SELECT ` + exceptionColumns + `,
			coalesce((d.suggestion->>'confidence')::float8, 0), coalesce(d.suggestion->>'root_cause', ''), coalesce(d.suggestion->>'action', ''),
			(d.risk->>'probability')::float8, coalesce(d.outcome, ''), d.why`
	queueCountSQL = `SELECT count(*)`
	// latestDecisionJoinSQL joins each exception's latest decision as d, with
	// what queueSelectSQL (and scanQueueItem) read from it.
	latestDecisionJoinSQL = `
		FROM exceptions e
		LEFT JOIN LATERAL (SELECT suggestion, risk, outcome, why FROM decisions WHERE exception_id = e.id ORDER BY id DESC LIMIT 1) d ON true`
	queueFromSQL = latestDecisionJoinSQL + `
		WHERE e.queue = $1 AND e.status = 'queued'`
	// queueSearchExpr must stay the expression migration 00020 indexes.
	queueSearchExpr = `(e.text || ' ' || e.customer_id || ' ' || e.invoice_id || ' ' || coalesce(e.external_id, ''))`
	// queueWhyExpr is the item's tags as triage.QueuedBecause derives them:
	// an automatic decision now queued was reverted.
	queueWhyExpr   = `(CASE WHEN d.outcome = 'auto' THEN ARRAY['reverted'] ELSE coalesce(d.why, '{}') END)`
	queueRiskExpr  = `(d.risk->>'probability')::float8`
	queueConfExpr  = `coalesce((d.suggestion->>'confidence')::float8, 0)`
	queueOrderSQL  = ` ORDER BY e.sort_key DESC, e.id DESC`
	queueAfterSQL  = ` AND (e.sort_key, e.id) < (%s, %s)`
	queueLimitSQL  = ` LIMIT %s`
	queueOffsetSQL = ` OFFSET %s`
)

// queueOrders maps each sortable column to its expression and whether its
// natural order runs against the column's (age ascending is the newest
// first, that is occurred_at descending).
var queueOrders = map[triage.QueueSort]struct {
	expr    string
	inverse bool
}{
	triage.SortPriority:   {"e.sort_key", false},
	triage.SortType:       {"e.type", false},
	triage.SortAmount:     {"e.amount", false},
	triage.SortRisk:       {queueRiskExpr, false},
	triage.SortConfidence: {queueConfExpr, false},
	triage.SortAge:        {"e.occurred_at", true},
	triage.SortCustomer:   {"nullif(e.customer_id, '')", false},
	triage.SortWhy:        {queueWhyExpr + `[1]`, false},
	triage.SortID:         {"e.id", false},
}

// queueArgs collects positional parameters while a statement is built.
type queueArgs []any

func (a *queueArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// queueFilters returns the WHERE fragments of q's filters (after the
// queue's own) and adds their parameters to args.
func queueFilters(q triage.QueueQuery, args *queueArgs) string {
	var b strings.Builder
	if q.Type != "" {
		b.WriteString(` AND e.type = ` + args.add(string(q.Type)))
	}
	for _, w := range strings.Fields(q.Search) {
		b.WriteString(` AND ` + queueSearchExpr + ` ILIKE ` + args.add("%"+escapeLike(w)+"%"))
	}
	if q.Customer != "" {
		b.WriteString(` AND e.customer_id = ` + args.add(q.Customer))
	}
	if q.Why != "" {
		b.WriteString(` AND ` + args.add(string(q.Why)) + ` = ANY(` + queueWhyExpr + `)`)
	}
	bound := func(expr, op string, v *float64) {
		if v != nil {
			b.WriteString(` AND ` + expr + ` ` + op + ` ` + args.add(*v))
		}
	}
	bound("e.amount", ">=", q.MinAmount)
	bound("e.amount", "<=", q.MaxAmount)
	bound(queueRiskExpr, ">=", q.MinRisk)
	bound(queueRiskExpr, "<=", q.MaxRisk)
	bound(queueConfExpr, ">=", q.MinConfidence)
	bound(queueConfExpr, "<=", q.MaxConfidence)
	asOf := q.AsOf
	if asOf.IsZero() {
		asOf = time.Now()
	}
	if q.MinAge > 0 {
		b.WriteString(` AND e.occurred_at <= ` + args.add(asOf.Add(-q.MinAge)))
	}
	if q.MaxAge > 0 {
		b.WriteString(` AND e.occurred_at >= ` + args.add(asOf.Add(-q.MaxAge)))
	}
	return b.String()
}

// escapeLike makes a search word match itself literally under LIKE.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// keyset reports whether q pages by (sort key, id): the default order,
// where a page stays consistent while items arrive or leave. Other orders
// page by offset.
func keyset(q triage.QueueQuery) bool {
	return (q.Sort == "" || q.Sort == triage.SortPriority) && (q.Desc || q.Sort == "")
}

// Queue returns a page of queued exceptions matching q's filters, in q's
// order, with the count of all that match, from the standby when there is
// one. In the default priority order
// the cursor is the (sort key, id) of the last item, so pages stay
// consistent while items are added or resolved; in another order it is
// the offset of the next page.
func (s *Store) Queue(ctx context.Context, q triage.QueueQuery) (triage.QueuePage, error) {
	if q.Limit <= 0 || q.Limit > triage.MaxQueuePage {
		q.Limit = triage.DefaultQueuePage
	}
	args := queueArgs{string(q.Queue)}
	where := queueFilters(q, &args)
	countArgs := slices.Clone(args)
	sql := queueSelectSQL + queueFromSQL + where
	offset := 0
	if keyset(q) {
		if q.Cursor != "" {
			key, id, err := decodeCursor(q.Cursor)
			if err != nil {
				return triage.QueuePage{}, err
			}
			sql += fmt.Sprintf(queueAfterSQL, args.add(key), args.add(id))
		}
		sql += queueOrderSQL
	} else {
		o, ok := queueOrders[q.Sort]
		if !ok {
			return triage.QueuePage{}, triage.Invalid("sort", "cannot sort by %q", q.Sort)
		}
		dir := " ASC"
		if q.Desc != o.inverse {
			dir = " DESC"
		}
		sql += ` ORDER BY ` + o.expr + dir + ` NULLS LAST, e.sort_key DESC, e.id DESC`
		if q.Cursor != "" {
			n, err := decodeOffset(q.Cursor)
			if err != nil {
				return triage.QueuePage{}, err
			}
			offset = n
		}
	}
	sql += fmt.Sprintf(queueLimitSQL, args.add(q.Limit+1))
	if offset > 0 {
		sql += fmt.Sprintf(queueOffsetSQL, args.add(offset))
	}
	var total int
	var items []triage.QueueItem
	err := s.db.lagTolerant(ctx, func(pool *pgxpool.Pool) error {
		if err := pool.QueryRow(ctx, queueCountSQL+queueFromSQL+where, countArgs...).Scan(&total); err != nil {
			return err
		}
		rows, err := pool.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		items, err = pgx.CollectRows(rows, scanQueueItem)
		return err
	})
	if err != nil {
		return triage.QueuePage{}, translate(err)
	}
	page := triage.QueuePage{Items: items, Total: total}
	if len(items) > q.Limit {
		page.Items = items[:q.Limit]
		last := page.Items[q.Limit-1]
		if keyset(q) {
			page.NextCursor = encodeCursor(last.SortKey, last.ID)
		} else {
			page.NextCursor = encodeOffset(offset + q.Limit)
		}
	}
	return page, nil
}

func scanQueueItem(r pgx.CollectableRow) (triage.QueueItem, error) {
	var it triage.QueueItem
	var attrs, enr []byte
	var why []string
	e := &it.Exception
	err := r.Scan(&e.ID, &e.Source, &e.ExternalID, &e.Type, &e.OccurredAt, &e.Text, &e.CustomerID, &e.InvoiceID,
		&e.Amount, &e.Currency, &e.Region, &attrs, &e.Status, &e.Queue, &e.SortKey, &enr, &e.ContentHash, &e.CreatedAt, &e.UpdatedAt, &e.Assignee,
		&it.Confidence, &it.RootCause, &it.Action, &it.Risk, &it.Outcome, &why)
	if err != nil {
		return it, err
	}
	it.Why = whys(why)
	if err := unmarshalMap(attrs, &e.Attributes); err != nil {
		return it, err
	}
	return it, unmarshalMap(enr, &e.Enrichment)
}

func encodeCursor(key float64, id int64) string {
	raw := strconv.FormatFloat(key, 'g', -1, 64) + "|" + strconv.FormatInt(id, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// offsetPrefix marks a cursor that holds an offset rather than a key.
const offsetPrefix = "@"

func encodeOffset(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(offsetPrefix + strconv.Itoa(n)))
}

func decodeOffset(c string) (int, error) {
	bad := triage.Invalid("cursor", "is not a cursor this service issued for this order")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, bad
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(raw), offsetPrefix))
	if err != nil || !strings.HasPrefix(string(raw), offsetPrefix) || n < 0 {
		return 0, bad
	}
	return n, nil
}

func decodeCursor(c string) (float64, int64, error) {
	bad := triage.Invalid("cursor", "is not a cursor this service issued")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, bad
	}
	k, i, ok := strings.Cut(string(raw), "|")
	if !ok {
		return 0, 0, bad
	}
	key, err1 := strconv.ParseFloat(k, 64)
	id, err2 := strconv.ParseInt(i, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, bad
	}
	return key, id, nil
}
