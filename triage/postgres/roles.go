package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

// Two roles keep the history honest. The owner role owns the schema and
// its objects: it runs the migrations, builds the per-embedder indexes and
// drops isolated schemas. The service's role owns nothing and holds only
// the table privileges below, so even with its credentials nobody can
// rewrite audit_log: it lacks UPDATE, DELETE and TRUNCATE there, cannot
// disable or drop the append-only triggers (only an owner may), and cannot
// set session_replication_role to skip them (only a superuser may).

// appPrivileges lists, per table, the privileges the service's role is
// granted: what this package's statements need and nothing more. A table
// a migration adds gets no privileges until it is listed here (a test
// checks every migrated table is). SELECT comes with every write because
// RETURNING, ON CONFLICT and SELECT ... FOR UPDATE read the rows they touch.
var appPrivileges = map[string]string{
	// Submitted, then re-queued, resolved, reassigned: status and queue change.
	"exceptions": "SELECT, INSERT, UPDATE",
	// Each decision is a new row; an earlier one is never changed.
	"decisions": "SELECT, INSERT",
	// Re-embedding rewrites a row's vector in place.
	"resolutions": "SELECT, INSERT, UPDATE",
	// Append-only: the point of the two roles.
	"audit_log": "SELECT, INSERT",
	// Loading invoices again updates them (upsert).
	"invoices": "SELECT, INSERT, UPDATE",
	// Revocation and last use are updates; keys are never deleted.
	"api_keys": "SELECT, INSERT, UPDATE",
	// Sign-out and revocation delete sessions.
	"sessions": "SELECT, INSERT, DELETE",
	// A new policy is a new row (a rollback or promotion too).
	"policies": "SELECT, INSERT",
	// Admin actions on the policy, append-only like the audit log.
	"admin_audit": "SELECT, INSERT",
	// A preview is kept as it was shown.
	"policy_previews": "SELECT, INSERT",
	// A shadow is started, then ended (promoted or discarded).
	"policy_shadows": "SELECT, INSERT, UPDATE",
	// A shadow's decisions are records, never changed.
	"shadow_decisions": "SELECT, INSERT",
	// A risk-model shadow is started, then ended; its scores are records.
	"risk_model_shadows": "SELECT, INSERT, UPDATE",
	"risk_shadow_scores": "SELECT, INSERT",
	// A classifier shadow is started, then ended (UPDATE also records the
	// version a promotion stored); its predictions are records.
	"classifier_shadows":            "SELECT, INSERT, UPDATE",
	"classifier_shadow_predictions": "SELECT, INSERT",
	// Activation flips the active flag.
	"risk_models": "SELECT, INSERT, UPDATE",
	// A retraining adds a version; a stored model is never changed.
	"classifier_models": "SELECT, INSERT",
	// Comments are history, like the audit log: appended, never changed.
	"comments": "SELECT, INSERT",
	// A reversal is stored as a new row.
	"corrections": "SELECT, INSERT",
	// Derived from corrections by the owner's trigger (migration 00023).
	"correction_keys": "SELECT",
	// The service reads the version to know whether it is up to date.
	"goose_db_version": "SELECT",
	// Snapshots are written by the periodic job and only read after.
	"kpi_snapshots": "SELECT, INSERT",
	// What left the service is history, like the audit log.
	"events": "SELECT, INSERT",
	// Endpoints are added, rotated and retired by admins.
	"webhook_endpoints": "SELECT, INSERT, UPDATE",
	// A later outcome of the same posting replaces the earlier (upsert).
	"postings": "SELECT, INSERT, UPDATE",
	// People save, replace (upsert) and delete their own queue views.
	"saved_views": "SELECT, INSERT, UPDATE, DELETE",
	// Pattern runs are derived and recomputed: a run is added with its
	// patterns and members, and runs older than the last few are deleted.
	"pattern_runs":    "SELECT, INSERT, DELETE",
	"patterns":        "SELECT, INSERT, DELETE",
	"pattern_members": "SELECT, INSERT, DELETE",
	// An open item's vector is written once per embedder (upsert).
	"pattern_vectors": "SELECT, INSERT, UPDATE",
	// Drift findings are history: the periodic job appends them.
	"drift_findings": "SELECT, INSERT",
	// The drift check replaces a week's measures as it recomputes them.
	"drift_measures": "SELECT, INSERT, UPDATE",
	// Alerts are acknowledged and resolved; never deleted.
	"alerts": "SELECT, INSERT, UPDATE",
	// The brake pauses and an admin resumes a type: one row per type.
	"automation_pauses": "SELECT, INSERT, UPDATE",
	// Who raised, acknowledged, resolved, paused or resumed: history.
	"alert_log": "SELECT, INSERT",
	// River's tables: its clients insert, lock, complete, retry and clean
	// up jobs, elect a leader and register themselves.
	"river_job":          "SELECT, INSERT, UPDATE, DELETE",
	"river_leader":       "SELECT, INSERT, UPDATE, DELETE",
	"river_queue":        "SELECT, INSERT, UPDATE, DELETE",
	"river_client":       "SELECT, INSERT, UPDATE, DELETE",
	"river_client_queue": "SELECT, INSERT, UPDATE, DELETE",
	"river_notification": "SELECT, INSERT, DELETE",
	"river_migration":    "SELECT",
}

// appFunctions are the schema's functions the service's role may call:
// analyze_resolutions lends it the owner's right to ANALYZE (see
// migration 00014).
var appFunctions = []string{"analyze_resolutions()"}

const (
	// currentSchemaSQL names the schema the connection's tables live in.
	currentSchemaSQL = `SELECT current_schema()`
	// schemaTablesSQL lists the tables of a schema.
	schemaTablesSQL = `SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY 1`
	// functionExistsSQL reports whether a function (name with argument
	// types) exists in the connection's search path.
	functionExistsSQL = `SELECT to_regprocedure($1) IS NOT NULL`
	// Grant statements; {schema}, {table}, {role} are quoted names,
	// {privileges} a constant of appPrivileges, {function} one of
	// appFunctions.
	grantSchemaSQL    = `GRANT USAGE ON SCHEMA {schema} TO {role}`
	revokeTableSQL    = `REVOKE ALL ON TABLE {schema}.{table} FROM {role}`
	grantTableSQL     = `GRANT {privileges} ON TABLE {schema}.{table} TO {role}`
	grantSequencesSQL = `GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}`
	grantFunctionSQL  = `GRANT EXECUTE ON FUNCTION {schema}.{function} TO {role}`
)

// grantApp gives role the service's privileges on the tables of the
// connection's current schema, in one transaction so the service never
// sees half of them. It revokes first so that a narrowed list narrows what
// an earlier run granted; it runs after every migration, so a table a
// migration adds is covered at once.
func grantApp(ctx context.Context, conn *pgx.Conn, role string) error {
	var schema string
	if err := conn.QueryRow(ctx, currentSchemaSQL).Scan(&schema); err != nil {
		return translate(err)
	}
	rows, err := conn.Query(ctx, schemaTablesSQL, schema)
	if err != nil {
		return translate(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return translate(err)
	}
	s, r := quoteIdent(schema), quoteIdent(role)
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		stmts := []string{fillSQL(grantSchemaSQL, "{schema}", s, "{role}", r)}
		for _, t := range tables {
			stmts = append(stmts, fillSQL(revokeTableSQL, "{schema}", s, "{table}", quoteIdent(t), "{role}", r))
			if privs, ok := appPrivileges[t]; ok {
				stmts = append(stmts, fillSQL(grantTableSQL, "{privileges}", privs, "{schema}", s, "{table}", quoteIdent(t), "{role}", r))
			}
		}
		stmts = append(stmts, fillSQL(grantSequencesSQL, "{schema}", s, "{role}", r))
		for _, f := range appFunctions {
			var exists bool
			if err := tx.QueryRow(ctx, functionExistsSQL, schema+"."+f).Scan(&exists); err != nil {
				return err
			}
			if exists { // absent while an older binary's migrations are in place
				stmts = append(stmts, fillSQL(grantFunctionSQL, "{schema}", s, "{function}", f, "{role}", r))
			}
		}
		for _, q := range stmts {
			if _, err := tx.Exec(ctx, q); err != nil {
				return triage.Wrap(triage.EINTERNAL, translate(err), "grant role %s its privileges in schema %s", role, schema)
			}
		}
		return nil
	})
}
