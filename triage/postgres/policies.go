package postgres

import (
	"bytes"
	"context"

	"github.com/billtriage/billtriage/triage"
)

var _ triage.PolicyStore = (*Store)(nil)

const insertPolicySQL = `INSERT INTO policies (version, body, created_by) VALUES ($1, $2, $3)`

// SavePolicy stores p as the newest, active policy.
func (s *Store) SavePolicy(ctx context.Context, p *triage.Policy, by string) error {
	_, err := s.db.Pool.Exec(ctx, insertPolicySQL,
		p.Version(), string(p.MarshalIndented()), by)
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
