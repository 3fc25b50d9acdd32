package postgres

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/billtriage/billtriage/triage"
)

// migrateRiver brings River's tables (its jobs, queues and leader) up to
// date in the same schema as the project's, after the project's own
// migrations, so one `billtriage migrate` readies both and River's jobs
// commit in the same transactions as the changes that make them.
func migrateRiver(ctx context.Context, cc *pgx.ConnConfig, schema string) error {
	pc, err := pgxpool.ParseConfig("")
	if err != nil {
		return triage.Wrap(triage.EINTERNAL, err, "river migration pool")
	}
	pc.ConnConfig, pc.MaxConns = cc.Copy(), 1
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return triage.Wrap(triage.EUNAVAILABLE, err, "connect to database")
	}
	defer pool.Close()
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: schema, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return triage.Wrap(triage.EINTERNAL, err, "river migrations")
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		if isPrivilegeError(err) {
			return needOwner(err, cc.User)
		}
		return triage.Wrap(triage.EUNAVAILABLE, err, "apply river migrations")
	}
	return nil
}
