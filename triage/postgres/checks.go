package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

// The pre-release checks learn from the latest maxCheckRows resolutions
// with facts and the latest maxCheckRows invoices: enough for any
// customer's, SKU's and entity's recent history, bounded in memory.
const maxCheckRows = 200000

const (
	checkCasesSQL = `SELECT r.type, r.root_cause, r.action, coalesce(r.params, '{}'), r.facts, r.occurred_at, i.issued_at
		FROM (SELECT * FROM resolutions WHERE facts IS NOT NULL AND verdict <> 'reject'
			ORDER BY resolved_at DESC LIMIT $1) r
		LEFT JOIN invoices i ON i.invoice_id = r.facts->>'invoice_id'`
	checkInvoicesSQL = `SELECT invoice_id, customer_id, region, currency, issued_at FROM invoices
		ORDER BY issued_at DESC LIMIT $1`
	allCorrectionsSQL = `SELECT coalesce(resolution_id, 0), field, key, from_value, to_value, type, at, by, reversed_at
		FROM corrections ORDER BY at, id`
)

// CheckHistory reads what the pre-release checks learn from.
func (s *Store) CheckHistory(ctx context.Context) (triage.CheckHistory, error) {
	var h triage.CheckHistory
	var err error
	if h.Cases, err = s.checkCases(ctx); err != nil {
		return h, err
	}
	invs, err := s.checkInvoices(ctx)
	if err != nil {
		return h, err
	}
	h.Cases = append(h.Cases, invs...)
	rows, err := s.db.Pool.Query(ctx, allCorrectionsSQL)
	if err != nil {
		return h, translate(err)
	}
	h.Corrections, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.Evidence, error) {
		var e triage.Evidence
		err := r.Scan(&e.ResolutionID, &e.Field, &e.Key, &e.From, &e.To, &e.Type, &e.At, &e.By, &e.ReversedAt)
		return e, err
	})
	return h, translate(err)
}

func (s *Store) checkCases(ctx context.Context) ([]triage.CheckCase, error) {
	rows, err := s.db.Pool.Query(ctx, checkCasesSQL, maxCheckRows)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.CheckCase, error) {
		var c triage.CheckCase
		var params, facts []byte
		var issued *time.Time
		if err := r.Scan(&c.Type, &c.RootCause, &c.Action, &params, &facts, &c.At, &issued); err != nil {
			return c, err
		}
		if issued != nil {
			c.IssuedAt = *issued
		}
		if err := json.Unmarshal(facts, &c.Facts); err != nil {
			return c, err
		}
		return c, unmarshalMap(params, &c.Params)
	})
	return out, translate(err)
}

// checkInvoices are the invoices as facts-only sightings: who is billed,
// where and in what currency.
func (s *Store) checkInvoices(ctx context.Context) ([]triage.CheckCase, error) {
	rows, err := s.db.Pool.Query(ctx, checkInvoicesSQL, maxCheckRows)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.CheckCase, error) {
		var c triage.CheckCase
		err := r.Scan(&c.Facts.InvoiceID, &c.Facts.CustomerID, &c.Facts.Region, &c.Facts.Currency, &c.At)
		c.IssuedAt = c.At
		return c, err
	})
	return out, translate(err)
}
