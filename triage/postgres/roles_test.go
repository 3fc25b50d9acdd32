package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/internal/testenv"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// serviceRole returns pgtest's DB with the current schema's name, after
// checking the pool's role is the service's: no superuser, owner of
// nothing. A one-role setup (DATABASE_URL a superuser) cannot show what
// these tests show, so they skip there; CI runs with the two roles `make
// db` creates and must not skip.
func serviceRole(t *testing.T) (*postgres.DB, string) {
	t.Helper()
	db := pgtest.Open(t)
	var schema string
	var super, owner bool
	err := db.Pool.QueryRow(context.Background(), `SELECT current_schema(), r.rolsuper,
		pg_has_role(current_user, n.nspowner, 'MEMBER')
		FROM pg_roles r, pg_namespace n WHERE r.rolname = current_user AND n.nspname = current_schema()`).Scan(&schema, &super, &owner)
	if err != nil {
		t.Fatal(err)
	}
	if super || owner {
		testenv.Missing(t, "a service role apart from the owner: DATABASE_URL's role is a superuser or owns the schema; set DATABASE_URL and BILLTRIAGE_MIGRATE_URL to two roles (`make db` makes them)")
	}
	return db, schema
}

// TestServiceRoleCannotRewriteHistory attacks audit_log with the service's
// own credentials: every way to change or hide a row, or to switch off the
// append-only triggers, is refused for want of privilege (SQLSTATE 42501),
// while appending and reading work.
func TestServiceRoleCannotRewriteHistory(t *testing.T) {
	db, schema := serviceRole(t)
	ctx := context.Background()
	st := postgres.NewStore(db)
	res, err := st.CreateExceptions(ctx, []triage.Exception{exception("a", triage.Other, 1)})
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].Exception.ID

	if _, err := db.Pool.Exec(ctx, `INSERT INTO audit_log (exception_id, at, actor, action) VALUES ($1, now(), 'test', 'note')`, id); err != nil {
		t.Fatalf("INSERT INTO audit_log: %v", err)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("SELECT count(*) FROM audit_log = %d, %v; want 2", n, err)
	}
	t.Logf("as %s: INSERT INTO audit_log ok, SELECT FROM audit_log ok (%d rows)", db.Pool.Config().ConnConfig.User, n)

	attacks := []string{
		`DELETE FROM audit_log`,
		`UPDATE audit_log SET actor = 'mallory'`,
		`TRUNCATE audit_log`,
		`SET session_replication_role = replica`,
		`BEGIN; SET LOCAL session_replication_role = replica; DELETE FROM audit_log; COMMIT`,
		`ALTER TABLE audit_log DISABLE TRIGGER ALL`,
		`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`,
		`DROP TRIGGER audit_log_no_update_delete ON audit_log`,
		`DROP TRIGGER audit_log_no_truncate ON audit_log`,
		`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`,
		`ALTER TABLE audit_log RENAME TO audit_log_old`,
		`DROP TABLE audit_log`,
		`DROP SCHEMA ` + schema + ` CASCADE`,
		`CREATE TABLE audit_log_copy (id bigint)`,
		`SET ROLE ` + ownerOf(t, db),
		`CREATE INDEX ON resolutions (id)`,
	}
	for _, q := range attacks {
		_, err := db.Pool.Exec(ctx, q)
		if err == nil {
			t.Errorf("%s: succeeded; the service's role must be refused", q)
			continue
		}
		if !strings.Contains(err.Error(), "SQLSTATE 42501") {
			t.Errorf("%s: %v; want a privilege error (SQLSTATE 42501)", q, err)
			continue
		}
		t.Logf("refused: %-95s %v", q, err)
	}
	audit, err := st.Audit(ctx, id)
	if err != nil || len(audit) != 2 || audit[0].Actor != triage.SystemActor {
		t.Errorf("audit changed: %+v, %v", audit, err)
	}
}

// TestServiceRoleCannotRewriteComments: comments are history like the
// audit log; the service's role appends and reads them and nothing else.
func TestServiceRoleCannotRewriteComments(t *testing.T) {
	db, _ := serviceRole(t)
	ctx := context.Background()
	st := postgres.NewStore(db)
	res, err := st.CreateExceptions(ctx, []triage.Exception{exception("c", triage.Other, 1)})
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].Exception.ID
	c, err := st.AddComment(ctx, triage.Comment{ExceptionID: id, At: time.Now(), Author: "finance:fay", Body: "checked with the customer"},
		triage.AuditEntry{ExceptionID: id, At: time.Now(), Actor: "finance:fay", Action: triage.AuditCommented, Detail: map[string]any{}})
	if err != nil || c.ID == 0 {
		t.Fatalf("AddComment: %+v, %v", c, err)
	}
	for _, q := range []string{
		`DELETE FROM comments`,
		`UPDATE comments SET body = 'nothing to see'`,
		`TRUNCATE comments`,
		`ALTER TABLE comments DISABLE TRIGGER ALL`,
		`DROP TRIGGER comments_no_update_delete ON comments`,
	} {
		if _, err := db.Pool.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "SQLSTATE 42501") {
			t.Errorf("%s: %v; want a privilege error (SQLSTATE 42501)", q, err)
		}
	}
	cs, err := st.Comments(ctx, id)
	if err != nil || len(cs) != 1 || cs[0].Body != "checked with the customer" {
		t.Errorf("comments changed: %+v, %v", cs, err)
	}
}

// ownerOf names the role that owns the current schema.
func ownerOf(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var owner string
	if err := db.Pool.QueryRow(context.Background(),
		`SELECT quote_ident(pg_get_userbyid(nspowner)) FROM pg_namespace WHERE nspname = current_schema()`).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	return owner
}

// TestServiceRolePrivileges checks what the migration step granted: every
// table the migrations create is readable (a table missing from
// appPrivileges in roles.go would not be), audit_log is insert-only, and
// the role owns nothing in the schema.
func TestServiceRolePrivileges(t *testing.T) {
	db, _ := serviceRole(t)
	ctx := context.Background()
	rows, err := db.Pool.Query(ctx, `SELECT tablename,
		has_table_privilege(current_user, quote_ident(tablename), 'SELECT'),
		has_table_privilege(current_user, quote_ident(tablename), 'INSERT'),
		has_table_privilege(current_user, quote_ident(tablename), 'UPDATE'),
		has_table_privilege(current_user, quote_ident(tablename), 'DELETE'),
		has_table_privilege(current_user, quote_ident(tablename), 'TRUNCATE'),
		has_table_privilege(current_user, quote_ident(tablename), 'REFERENCES'),
		has_table_privilege(current_user, quote_ident(tablename), 'TRIGGER')
		FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	tables := 0
	for rows.Next() {
		var table string
		var sel, ins, upd, del, trunc, ref, trig bool
		if err := rows.Scan(&table, &sel, &ins, &upd, &del, &trunc, &ref, &trig); err != nil {
			t.Fatal(err)
		}
		tables++
		switch {
		case !sel:
			t.Errorf("%s: the service's role cannot read it; list it in appPrivileges (triage/postgres/roles.go)", table)
		case trunc || ref || trig:
			t.Errorf("%s: TRUNCATE, REFERENCES or TRIGGER granted; the service needs none", table)
		case (table == "audit_log" || table == "comments" || table == "alert_log") && (!ins || upd || del):
			t.Errorf("%s: insert %v, update %v, delete %v; want insert only", table, ins, upd, del)
		case table == "goose_db_version" && (ins || upd || del):
			t.Errorf("goose_db_version: the service's role may write it")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if tables < 10 {
		t.Errorf("only %d tables in the schema", tables)
	}
	var owned int
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)
		+ (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
		FROM pg_roles r WHERE r.rolname = current_user`).Scan(&owned); err != nil || owned != 0 {
		t.Errorf("the service's role owns %d objects (%v); want none", owned, err)
	}
}

// The service's role opens a schema the owner migrated without the
// owner's URL (nothing is pending, the index exists), and is told to run
// `billtriage migrate` as the owner when there is DDL it may not do.
func TestServiceRoleNeedsOwnerOnlyForDDL(t *testing.T) {
	owned, schema := serviceRole(t)
	ctx := context.Background()
	if err := owned.EnsureIndex(ctx, "test-emb", dims); err != nil {
		t.Fatalf("EnsureIndex through the owner: %v", err)
	}
	db, err := postgres.Open(ctx, pgtest.URL(), postgres.Options{Schema: schema, Migrate: true})
	if err != nil {
		t.Fatalf("open a migrated schema as the service's role alone: %v", err)
	}
	defer db.Close()
	if err := db.EnsureIndex(ctx, "test-emb", dims); err != nil {
		t.Errorf("EnsureIndex of a built index as the service's role: %v", err)
	}
	wantOwner := func(what string, err error) {
		t.Helper()
		if triage.ErrorCode(err) != triage.EFORBIDDEN || !strings.Contains(err.Error(), "billtriage migrate") {
			t.Errorf("%s as the service's role: %v; want forbidden, naming `billtriage migrate`", what, err)
		}
	}
	wantOwner("EnsureIndex of a new embedder", db.EnsureIndex(ctx, "other-emb", dims))
	wantOwner("DropSchema", db.DropSchema(ctx))
	fresh := pgtest.NewSchemaName("t")
	_, err = postgres.Open(ctx, pgtest.URL(), postgres.Options{Schema: fresh, Migrate: true})
	wantOwner("migrating a new schema", err)
}

// A bulk load refreshes resolutions' statistics although the service's
// role may not ANALYZE: the owner's analyze_resolutions does it.
func TestLoadAnalyzesAsTheServiceRole(t *testing.T) {
	db, _ := serviceRole(t)
	ctx := context.Background()
	var rs []triage.Resolution
	for i := range 250 {
		rs = append(rs, triage.Resolution{ExternalID: fmt.Sprint(i), Type: triage.Other, Text: "t", RootCause: "rc",
			Action: "act", Queue: triage.QueueRevOps, Verdict: triage.VerdictImported, OccurredAt: time.Unix(0, 0),
			ResolvedAt: time.Unix(int64(i), 0), Embedder: "test-emb", Vector: make([]float32, dims)})
	}
	if err := postgres.NewStore(db).AddResolutions(ctx, rs); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'resolutions'`).Scan(&n); err != nil || n == 0 {
		t.Errorf("no statistics for resolutions after a load (%d, %v)", n, err)
	}
}

// The triggers still guard audit_log against its owner's own statements:
// with the service's role refused by privilege, TestAuditLogIsAppendOnly
// no longer reaches them.
func TestAuditTriggerHoldsForTheOwner(t *testing.T) {
	db, schema := serviceRole(t)
	ctx := context.Background()
	if _, err := postgres.NewStore(db).CreateExceptions(ctx, []triage.Exception{exception("a", triage.Other, 1)}); err != nil {
		t.Fatal(err)
	}
	owner, err := postgres.Open(ctx, pgtest.OwnerURL(), postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	for _, q := range []string{"UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log", "TRUNCATE audit_log"} {
		if _, err := owner.Pool.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s as the owner: %v; want the append-only trigger's refusal", q, err)
		}
	}
}
