package postgres

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

// The queue page reads. The type filter and the cursor are optional and
// each adds parameters, so there is one constant statement for each of the
// four combinations rather than a WHERE clause built at run time. $1 is
// the queue, $2 the row limit.
const (
	queuePageSQL = `SELECT ` + exceptionColumns + `,
			coalesce((d.suggestion->>'confidence')::float8, 0), coalesce(d.suggestion->>'root_cause', ''), coalesce(d.suggestion->>'action', ''),
			(d.risk->>'probability')::float8
		FROM exceptions e
		LEFT JOIN LATERAL (SELECT suggestion, risk FROM decisions WHERE exception_id = e.id ORDER BY id DESC LIMIT 1) d ON true
		WHERE e.queue = $1 AND e.status = 'queued'`
	queueOrderSQL = ` ORDER BY e.sort_key DESC, e.id DESC LIMIT $2`

	queueSQL            = queuePageSQL + queueOrderSQL
	queueByTypeSQL      = queuePageSQL + ` AND e.type = $3` + queueOrderSQL
	queueAfterSQL       = queuePageSQL + ` AND (e.sort_key, e.id) < ($3, $4)` + queueOrderSQL
	queueByTypeAfterSQL = queuePageSQL + ` AND e.type = $3 AND (e.sort_key, e.id) < ($4, $5)` + queueOrderSQL
)

// Queue returns a page of queued exceptions in priority order. The cursor
// is the (sort key, id) of the last item, so pages stay consistent while
// items are added or resolved.
func (s *Store) Queue(ctx context.Context, q triage.QueueQuery) (triage.QueuePage, error) {
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 50
	}
	args := []any{string(q.Queue), q.Limit + 1}
	sql := queueSQL
	if q.Type != "" {
		args = append(args, string(q.Type))
		sql = queueByTypeSQL
	}
	if q.Cursor != "" {
		key, id, err := decodeCursor(q.Cursor)
		if err != nil {
			return triage.QueuePage{}, err
		}
		args = append(args, key, id)
		sql = queueAfterSQL
		if q.Type != "" {
			sql = queueByTypeAfterSQL
		}
	}
	rows, err := s.db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return triage.QueuePage{}, translate(err)
	}
	items, err := pgx.CollectRows(rows, scanQueueItem)
	if err != nil {
		return triage.QueuePage{}, translate(err)
	}
	page := triage.QueuePage{Items: items}
	if len(items) > q.Limit {
		page.Items = items[:q.Limit]
		last := page.Items[q.Limit-1]
		page.NextCursor = encodeCursor(last.SortKey, last.ID)
	}
	return page, nil
}

func scanQueueItem(r pgx.CollectableRow) (triage.QueueItem, error) {
	var it triage.QueueItem
	var attrs, enr []byte
	e := &it.Exception
	err := r.Scan(&e.ID, &e.Source, &e.ExternalID, &e.Type, &e.OccurredAt, &e.Text, &e.CustomerID, &e.InvoiceID,
		&e.Amount, &e.Currency, &e.Region, &attrs, &e.Status, &e.Queue, &e.SortKey, &enr, &e.ContentHash, &e.CreatedAt, &e.UpdatedAt, &e.Assignee,
		&it.Confidence, &it.RootCause, &it.Action, &it.Risk)
	if err != nil {
		return it, err
	}
	if err := unmarshalMap(attrs, &e.Attributes); err != nil {
		return it, err
	}
	return it, unmarshalMap(enr, &e.Enrichment)
}

func encodeCursor(key float64, id int64) string {
	raw := strconv.FormatFloat(key, 'g', -1, 64) + "|" + strconv.FormatInt(id, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
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
