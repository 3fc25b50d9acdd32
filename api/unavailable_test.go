package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// scratchDatabase creates a database of its own for a test that must
// refuse connections to it (the shared one cannot), and drops it after.
func scratchDatabase(t *testing.T) (name, dbURL string, admin *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, pgtest.AdminURL())
	if err != nil {
		pgtest.Unavailable(t, err)
	}
	name = pgtest.NewSchemaName("bt_refuse")
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		admin.Close(ctx)
	})
	u, err := url.Parse(pgtest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return name, u.String(), admin
}

// TestRefusedConnectionsAnswer503 opens the service on a database, then
// has the database refuse new connections and drop the open ones, as a
// failover or maintenance does: every request answers 503 with
// Retry-After, never 500, and the readiness probe says so.
func TestRefusedConnectionsAnswer503(t *testing.T) {
	ctx := context.Background()
	name, dbURL, admin := scratchDatabase(t)
	db, err := postgres.Open(ctx, dbURL, postgres.Options{Migrate: true, MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	emb, _ := embeddings.NewLocal(256)
	st := postgres.NewStore(db)
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Policies: st, Models: st})
	_, key, err := st.CreateKey(ctx, "k", triage.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newServer(t, svc, st, db))
	t.Cleanup(srv.Close)
	f := &fixture{srv: srv, svc: svc, as: key}
	if status, body := f.do(t, "GET", "/v1/queues/finance", ""); status != http.StatusOK {
		t.Fatalf("before: %d %v", status, body)
	}
	for _, q := range []string{
		"ALTER DATABASE " + pgx.Identifier{name}.Sanitize() + " ALLOW_CONNECTIONS false",
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'",
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, path := range []string{"/v1/queues/finance", "/v1/exceptions/1", "/readyz"} {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s with connections refused: %d, Retry-After %q; want 503 with Retry-After", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
}
