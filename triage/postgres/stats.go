package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/billtriage/billtriage/triage"
)

var _ triage.StatsStore = (*Store)(nil)

// Stats computes the KPIs of exceptions received since since, on the
// standby when there is one.
func (s *Store) Stats(ctx context.Context, since time.Time) (triage.Stats, error) {
	st := triage.Stats{Since: since}
	err := s.db.lagTolerant(ctx, func(pool *pgxpool.Pool) error {
		st = triage.Stats{Since: since}
		return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			for _, step := range []func(context.Context, pgx.Tx, *triage.Stats) error{statsCounts, statsVolume, statsResolution, statsQueues, statsUndecided, statsPostings} {
				if err := step(ctx, tx, &st); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if st.Decided > 0 {
		st.AutoRate = float64(st.Auto) / float64(st.Decided)
	}
	return st, translate(err)
}

const statsCountsSQL = `SELECT count(*),
		count(*) FILTER (WHERE status NOT IN ('received', 'triaged')),
		count(*) FILTER (WHERE EXISTS (SELECT 1 FROM decisions d WHERE d.exception_id = e.id AND d.outcome = 'auto')),
		count(*) FILTER (WHERE status = 'resolved'),
		count(*) FILTER (WHERE status = 'rejected'),
		count(*) FILTER (WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.exception_id = e.id AND a.actor <> 'system'
			AND a.action IN ('resolved', 'rejected', 'reassigned'))),
		count(*) FILTER (WHERE type = 'billing_dispute'),
		count(*) FILTER (WHERE type = 'erp_posting_failure')
	FROM exceptions e WHERE created_at >= $1`

func statsCounts(ctx context.Context, tx pgx.Tx, st *triage.Stats) error {
	var touched, disputes, erp int
	err := tx.QueryRow(ctx, statsCountsSQL, st.Since).
		Scan(&st.Received, &st.Decided, &st.Auto, &st.Resolved, &st.Rejected, &touched, &disputes, &erp)
	if err != nil {
		return err
	}
	if st.Decided > 0 {
		st.ManualTouchRate = float64(touched) / float64(st.Decided)
	}
	if st.Received > 0 {
		st.DisputeShare = float64(disputes) / float64(st.Received)
		st.ERPFailureShare = float64(erp) / float64(st.Received)
	}
	return nil
}

const statsVolumeSQL = `SELECT date_trunc('day', created_at), type, count(*) FROM exceptions
	WHERE created_at >= $1 GROUP BY 1, 2 ORDER BY 1, 2`

func statsVolume(ctx context.Context, tx pgx.Tx, st *triage.Stats) error {
	rows, err := tx.Query(ctx, statsVolumeSQL, st.Since)
	if err != nil {
		return err
	}
	st.Volume, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.VolumePoint, error) {
		var v triage.VolumePoint
		err := r.Scan(&v.Day, &v.Type, &v.Count)
		return v, err
	})
	return err
}

const statsResolutionSQL = `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY secs), percentile_cont(0.9) WITHIN GROUP (ORDER BY secs)
	FROM (SELECT extract(epoch FROM r.resolved_at - e.created_at) AS secs
		FROM resolutions r JOIN exceptions e ON e.id = r.exception_id WHERE e.created_at >= $1) t`

func statsResolution(ctx context.Context, tx pgx.Tx, st *triage.Stats) error {
	var med, p90 *float64
	err := tx.QueryRow(ctx, statsResolutionSQL, st.Since).Scan(&med, &p90)
	if med != nil {
		st.ResolutionMedian = time.Duration(*med * float64(time.Second))
		st.ResolutionP90 = time.Duration(*p90 * float64(time.Second))
	}
	return err
}

const statsQueuesSQL = `SELECT q, count(e.id), coalesce(extract(epoch FROM now() - min(e.occurred_at)), 0)
	FROM unnest($1::text[]) q LEFT JOIN exceptions e ON e.queue = q AND e.status = 'queued' GROUP BY q ORDER BY q`

func statsQueues(ctx context.Context, tx pgx.Tx, st *triage.Stats) error {
	rows, err := tx.Query(ctx, statsQueuesSQL, triage.Queues)
	if err != nil {
		return err
	}
	st.Queues, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.QueueStat, error) {
		var q triage.QueueStat
		var age float64
		err := r.Scan(&q.Queue, &q.Size, &age)
		q.OldestAge = time.Duration(age * float64(time.Second))
		return q, err
	})
	return err
}

const statsUndecidedSQL = `SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)
	FROM exceptions WHERE status = 'received'`

func statsUndecided(ctx context.Context, tx pgx.Tx, st *triage.Stats) error {
	var secs float64
	if err := tx.QueryRow(ctx, statsUndecidedSQL).Scan(&st.Undecided, &secs); err != nil {
		return err
	}
	st.UndecidedOldest = time.Duration(secs * float64(time.Second))
	return nil
}

const statsPostingsSQL = `SELECT count(*) FILTER (WHERE status = 'failed'), count(*) FROM postings WHERE at >= $1`

// statsPostings counts the postings the ERP answered within the window,
// by their latest outcome.
func statsPostings(ctx context.Context, tx pgx.Tx, st *triage.Stats) error {
	return tx.QueryRow(ctx, statsPostingsSQL, st.Since).Scan(&st.PostingsFailed, &st.PostingsTotal)
}
