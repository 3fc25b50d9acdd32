package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/billtriage/billtriage/triage"
)

// dispatchArgs is River's job to fan an event out to the endpoints that
// want it. It is inserted in the change's own transaction.
type dispatchArgs struct {
	EventID string `json:"event_id"`
}

// Kind names the job in river_job.
func (dispatchArgs) Kind() string { return "event.dispatch" }

// InsertOpts keeps one dispatch per event, however often it is inserted.
func (dispatchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: outboxQueue, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// outboxQueue is River's queue for everything that leaves the service.
const outboxQueue = "outbox"

const insertEventSQL = `INSERT INTO events (id, type, exception_id, at, payload) VALUES ($1, $2, $3, $4, $5)`

// appendEvents records evs and inserts the River jobs that will deliver
// them, in tx: the change, its events and their delivery commit or roll
// back together.
func (s *Store) appendEvents(ctx context.Context, tx pgx.Tx, evs []triage.Event) error {
	if len(evs) == 0 {
		return nil
	}
	jobs := make([]river.InsertManyParams, 0, len(evs))
	for _, ev := range evs {
		body, err := json.Marshal(ev)
		if err != nil {
			return triage.Wrap(triage.EINTERNAL, err, "encode event")
		}
		if _, err := tx.Exec(ctx, insertEventSQL, ev.ID, ev.Type, eventException(ev), ev.At, body); err != nil {
			return translate(err)
		}
		jobs = append(jobs, river.InsertManyParams{Args: dispatchArgs{EventID: ev.ID}})
	}
	_, err := s.inserter().InsertManyTx(ctx, tx, jobs)
	return translate(err)
}

// eventException is the exception ev concerns, nil for an alert's event.
func eventException(ev triage.Event) *int64 {
	if ev.Data.Exception.ID == 0 {
		return nil
	}
	return &ev.Data.Exception.ID
}

// queueEvents queues the rows of evs on b and returns the River jobs that
// deliver them, which insertJobs inserts in the same transaction after b
// (appendEvents, pipelined).
func queueEvents(b *pgx.Batch, evs []triage.Event) ([]river.InsertManyParams, error) {
	jobs := make([]river.InsertManyParams, 0, len(evs))
	for _, ev := range evs {
		body, err := json.Marshal(ev)
		if err != nil {
			return nil, triage.Wrap(triage.EINTERNAL, err, "encode event")
		}
		b.Queue(insertEventSQL, ev.ID, ev.Type, eventException(ev), ev.At, body)
		jobs = append(jobs, river.InsertManyParams{Args: dispatchArgs{EventID: ev.ID}})
	}
	return jobs, nil
}

// insertJobs inserts the delivery jobs queueEvents returned, in tx.
func (s *Store) insertJobs(ctx context.Context, tx pgx.Tx, jobs []river.InsertManyParams) error {
	if len(jobs) == 0 {
		return nil
	}
	_, err := s.inserter().InsertManyTx(ctx, tx, jobs)
	return translate(err)
}

// inserter returns the insert-only River client the store enqueues with;
// the workers run in a Runner.
func (s *Store) inserter() *river.Client[pgx.Tx] {
	s.insertOnce.Do(func() {
		s.jobs, s.jobsErr = river.NewClient(riverpgxv5.New(s.db.Pool), &river.Config{})
	})
	if s.jobsErr != nil {
		// Only a configuration error can get here; it is the same for
		// every call, so failing loudly at the first insert is right.
		panic(s.jobsErr)
	}
	return s.jobs
}
