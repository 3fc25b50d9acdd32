package pgtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultStandbyURL is the service's role on the hot standby that
// `scripts/standby.sh start` (`make standby`) runs beside the local server.
const DefaultStandbyURL = "postgres://billtriage_app@127.0.0.1:5433/billtriage?sslmode=disable"

// StandbyURL returns BILLTRIAGE_STANDBY_URL or DefaultStandbyURL.
func StandbyURL() string {
	if u := os.Getenv("BILLTRIAGE_STANDBY_URL"); u != "" {
		return u
	}
	return DefaultStandbyURL
}

// connect opens one connection to url, ending the test as a missing
// dependency when it cannot (a failure under CI=true).
func connect(tb testing.TB, url, what string) *pgx.Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		Unavailable(tb, err)
	}
	tb.Cleanup(func() { _ = c.Close(context.Background()) })
	var standby bool
	if err := c.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&standby); err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
	if what == "standby" && !standby {
		tb.Fatalf("%s is not a standby (pg_is_in_recovery() is false)", url)
	}
	return c
}

// RequireStandby returns a connection to the standby, failing the test
// under CI=true (skipping elsewhere) when none runs: start one with
// `make standby`.
func RequireStandby(tb testing.TB) *pgx.Conn {
	tb.Helper()
	return connect(tb, StandbyURL(), "standby")
}

// WaitReplayed waits until the standby has replayed everything the
// primary (URL's server) has written so far.
func WaitReplayed(tb testing.TB, standby *pgx.Conn, timeout time.Duration) {
	tb.Helper()
	primary := connect(tb, URL(), "primary")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var lsn string
	if err := primary.QueryRow(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&lsn); err != nil {
		tb.Fatal(err)
	}
	for {
		var done bool
		if err := standby.QueryRow(ctx, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, lsn).Scan(&done); err != nil {
			tb.Fatalf("standby did not replay up to %s within %s: %v", lsn, timeout, err)
		}
		if done {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ResolutionReads counts the scans of schema's resolutions table (either
// kind) as conn's server counts them: on a standby, the kNN searches it
// served, since nothing else the service sends a standby reads that table.
// The counts reach the view within about a second of a query; callers
// poll.
func ResolutionReads(tb testing.TB, conn *pgx.Conn, schema string) int64 {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var n int64
	err := conn.QueryRow(ctx, `SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0)::bigint
		FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'resolutions'`, schema).Scan(&n)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
