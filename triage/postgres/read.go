package postgres

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"

	"github.com/billtriage/billtriage/triage"
)

// Reads that tolerate a little lag (the kNN search, queue listings, the
// dashboard's figures, the auto-enriched list) may go to a hot standby
// (Options.ReadURL): they are most of a busy service's reads and none of
// them decides anything a person has not seen yet. Everything that takes
// a lock, writes, or must see its own writes (a decision's lock, the
// corrections memory, an exception by id) stays on the primary.

// openReader opens the pool of Options.ReadURL, in the same schema. pgx
// connects lazily, so a standby that is down at start costs nothing until
// a read tries it, and then the read falls back to the primary.
func (db *DB) openReader(ctx context.Context, url string, opt Options) error {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return triage.Wrap(triage.EINVALID, err, "invalid read (standby) database URL")
	}
	if opt.Schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = searchPath(opt.Schema)
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	if opt.Tracer != nil {
		cfg.ConnConfig.Tracer = opt.Tracer
	}
	// A standby answers only reads; saying so up front turns a write
	// that slipped onto this pool into an error instead of a surprise.
	cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error { return pgxvec.RegisterTypes(ctx, c) }
	if db.Read, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return triage.Wrap(triage.EUNAVAILABLE, err, "connect to the read (standby) database")
	}
	return nil
}

// fallbackLogEvery bounds how often a failing standby is logged: every
// read would otherwise log while it is down.
const fallbackLogEvery = time.Minute

// lagTolerant runs read on the standby's pool when there is one, and on
// the primary's when there is none or the standby failed: down, too far
// behind to have the schema, or a query cancelled by a recovery conflict.
// Only a cancelled request is not retried.
func (db *DB) lagTolerant(ctx context.Context, read func(*pgxpool.Pool) error) error {
	if db.Read == nil {
		return read(db.Pool)
	}
	err := read(db.Read)
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		return err
	}
	db.ReadFallbacks.Add(1)
	if last := db.lastFallbackLog.Load(); time.Since(time.Unix(0, last)) > fallbackLogEvery &&
		db.lastFallbackLog.CompareAndSwap(last, time.Now().UnixNano()) {
		db.log.Warn("read from the standby failed; reading from the primary", "err", err)
	}
	return read(db.Pool)
}

// readerState is the DB's standby pool and its fallback counters.
type readerState struct {
	// Read is the standby's pool (Options.ReadURL), nil without one.
	Read *pgxpool.Pool
	// ReadFallbacks counts lag-tolerant reads the standby failed and the
	// primary answered.
	ReadFallbacks   atomic.Int64
	lastFallbackLog atomic.Int64
}
