package postgres

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

var _ triage.PolicyStore = (*Store)(nil)

const insertPolicySQL = `INSERT INTO policies (version, body, created_by, change, reason, preview_id, restored_from, shadow_id)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at`

// SavePolicy stores p as the newest, active policy: the operator's
// --policy file.
func (s *Store) SavePolicy(ctx context.Context, p *triage.Policy, by string) error {
	_, err := s.db.Pool.Exec(ctx, insertPolicySQL,
		p.Version(), string(p.MarshalIndented()), by, triage.ChangeFile, "loaded from the --policy file at start", nil, nil, nil)
	return translate(err)
}

const activePolicySQL = `SELECT body::text FROM policies ORDER BY id DESC LIMIT 1`

// ActivePolicy returns the newest saved policy.
func (s *Store) ActivePolicy(ctx context.Context) (*triage.Policy, error) {
	var body []byte
	err := s.db.Pool.QueryRow(ctx, activePolicySQL).Scan(&body)
	if err != nil {
		return nil, translate(err)
	}
	return triage.ParsePolicy(bytes.NewReader(body))
}

const (
	// endShadowSQL ends a running shadow; no row means it had ended.
	endShadowSQL = `UPDATE policy_shadows SET ended_at = $2, ended_by = $3, outcome = $4
		WHERE id = $1 AND ended_at IS NULL`
	insertAdminAuditSQL = `INSERT INTO admin_audit (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)`
	// lockPoliciesSQL serialises changes of the policy in force (per
	// schema), so two admins' changes cannot interleave with a promotion.
	// An advisory lock, because the service's role may not LOCK a table
	// it can only append to.
	lockPoliciesSQL = `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.policies'))`
)

// ActivateVersion appends v, ends its shadow when it promotes one, and
// writes the audit row, in one transaction.
func (s *Store) ActivateVersion(ctx context.Context, v triage.PolicyVersion, audit triage.AdminAudit) (triage.PolicyVersion, error) {
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockPoliciesSQL); err != nil {
			return translate(err)
		}
		if v.ShadowID != nil {
			tag, err := tx.Exec(ctx, endShadowSQL, *v.ShadowID, audit.At, v.CreatedBy, triage.ShadowPromoted)
			if err != nil {
				return translate(err)
			}
			if tag.RowsAffected() == 0 {
				return triage.Errorf(triage.ECONFLICT, "shadow %d is no longer running", *v.ShadowID)
			}
		}
		if err := tx.QueryRow(ctx, insertPolicySQL, v.Version, string(v.Policy.MarshalIndented()), v.CreatedBy, v.Change,
			v.Reason, v.PreviewID, v.RestoredFrom, v.ShadowID).Scan(&v.ID, &v.CreatedAt); err != nil {
			return translate(err)
		}
		if audit.Detail == nil {
			audit.Detail = map[string]any{}
		}
		audit.Detail["policy_version_id"] = v.ID
		return insertAdminAudit(ctx, tx, audit)
	})
	v.Active = err == nil
	return v, translate(err)
}

func insertAdminAudit(ctx context.Context, tx pgx.Tx, a triage.AdminAudit) error {
	detail, err := json.Marshal(a.Detail)
	if err != nil {
		return triage.Wrap(triage.EINTERNAL, err, "encode audit detail")
	}
	_, err = tx.Exec(ctx, insertAdminAuditSQL, a.At, a.Actor, a.Action, a.Subject, detail)
	return translate(err)
}

const policyVersionCols = `id, version, body::text, change, created_by, created_at, reason, preview_id, restored_from, shadow_id`

const (
	policyVersionsSQL = `SELECT ` + policyVersionCols + ` FROM policies ORDER BY id DESC LIMIT $1`
	policyVersionSQL  = `SELECT ` + policyVersionCols + ` FROM policies WHERE id <= $1 ORDER BY id DESC LIMIT 2`
	newestPolicySQL   = `SELECT max(id) FROM policies`
)

// PolicyVersions returns the newest versions first; the first is active.
func (s *Store) PolicyVersions(ctx context.Context, limit int) ([]triage.PolicyVersion, error) {
	rows, err := s.db.Pool.Query(ctx, policyVersionsSQL, limit)
	if err != nil {
		return nil, translate(err)
	}
	vs, err := pgx.CollectRows(rows, scanPolicyVersion)
	if err != nil {
		return nil, translate(err)
	}
	if len(vs) > 0 {
		vs[0].Active = true
	}
	return vs, nil
}

// PolicyVersion returns version id and the one before it.
func (s *Store) PolicyVersion(ctx context.Context, id int64) (triage.PolicyVersion, *triage.PolicyVersion, error) {
	rows, err := s.db.Pool.Query(ctx, policyVersionSQL, id)
	if err != nil {
		return triage.PolicyVersion{}, nil, translate(err)
	}
	vs, err := pgx.CollectRows(rows, scanPolicyVersion)
	if err != nil {
		return triage.PolicyVersion{}, nil, translate(err)
	}
	if len(vs) == 0 || vs[0].ID != id {
		return triage.PolicyVersion{}, nil, triage.Errorf(triage.ENOTFOUND, "no policy version %d", id)
	}
	var newest int64
	if err := s.db.Pool.QueryRow(ctx, newestPolicySQL).Scan(&newest); err != nil {
		return triage.PolicyVersion{}, nil, translate(err)
	}
	vs[0].Active = vs[0].ID == newest
	if len(vs) == 1 {
		return vs[0], nil, nil
	}
	return vs[0], &vs[1], nil
}

func scanPolicyVersion(row pgx.CollectableRow) (triage.PolicyVersion, error) {
	var v triage.PolicyVersion
	var body []byte
	if err := row.Scan(&v.ID, &v.Version, &body, &v.Change, &v.CreatedBy, &v.CreatedAt, &v.Reason,
		&v.PreviewID, &v.RestoredFrom, &v.ShadowID); err != nil {
		return v, err
	}
	p, err := triage.ParsePolicy(bytes.NewReader(body))
	if err != nil {
		return v, triage.Wrap(triage.EINTERNAL, err, "stored policy %d no longer parses", v.ID)
	}
	v.Policy = p
	return v, nil
}

const adminAuditSQL = `SELECT id, at, actor, action, subject, detail FROM admin_audit WHERE subject = $1 ORDER BY id`

// AdminAudit returns the admin audit rows about subject, oldest first.
func (s *Store) AdminAudit(ctx context.Context, subject string) ([]triage.AdminAudit, error) {
	rows, err := s.db.Pool.Query(ctx, adminAuditSQL, subject)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.AdminAudit, error) {
		var a triage.AdminAudit
		var detail []byte
		if err := r.Scan(&a.ID, &a.At, &a.Actor, &a.Action, &a.Subject, &detail); err != nil {
			return a, err
		}
		a.At = a.At.UTC()
		return a, json.Unmarshal(detail, &a.Detail)
	})
	return out, translate(err)
}
