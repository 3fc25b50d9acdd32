package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

// KeyPrefix starts every API key, so leaked keys are easy to find in logs
// and by secret scanners.
const KeyPrefix = "btk_"

var (
	_ triage.KeyStore     = (*Store)(nil)
	_ triage.SessionStore = (*Store)(nil)
)

func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on Linux
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

const insertKeySQL = `INSERT INTO api_keys (name, role, prefix, secret_hash) VALUES ($1, $2, $3, $4) RETURNING id, created_at`

// CreateKey stores a new key hashed and returns its secret once.
func (s *Store) CreateKey(ctx context.Context, name string, role triage.Role) (triage.APIKey, string, error) {
	if !role.Valid() {
		return triage.APIKey{}, "", triage.Invalid("role", "unknown role %q", role)
	}
	if name == "" || len(name) > 100 {
		return triage.APIKey{}, "", triage.Invalid("name", "is required (at most 100 characters)")
	}
	secret := KeyPrefix + newSecret()
	k := triage.APIKey{Name: name, Role: role, Prefix: secret[:len(KeyPrefix)+6]}
	err := s.db.Pool.QueryRow(ctx, insertKeySQL,
		name, role, k.Prefix, hashSecret(secret)).Scan(&k.ID, &k.CreatedAt)
	return k, secret, translate(err)
}

const listKeysSQL = `SELECT id, name, role, prefix, created_at, revoked_at, last_used_at FROM api_keys ORDER BY id`

// ListKeys returns every key without secrets.
func (s *Store) ListKeys(ctx context.Context) ([]triage.APIKey, error) {
	rows, err := s.db.Pool.Query(ctx, listKeysSQL)
	if err != nil {
		return nil, translate(err)
	}
	keys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.APIKey, error) {
		var k triage.APIKey
		err := r.Scan(&k.ID, &k.Name, &k.Role, &k.Prefix, &k.CreatedAt, &k.RevokedAt, &k.LastUsedAt)
		return k, err
	})
	return keys, translate(err)
}

const revokeKeySQL = `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`

const deleteKeySessionsSQL = `DELETE FROM sessions WHERE key_id = $1`

// RevokeKey revokes a key and ends its sessions.
func (s *Store) RevokeKey(ctx context.Context, id int64) error {
	return translate(pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, revokeKeySQL, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return triage.Errorf(triage.ENOTFOUND, "no active key %d", id)
		}
		_, err = tx.Exec(ctx, deleteKeySessionsSQL, id)
		return err
	}))
}

var errUnauthenticated = triage.Errorf(triage.EUNAUTHORIZED, "missing, unknown or revoked API key")

// authenticateSQL reads the key and records its use at most once a minute:
// an UPDATE on every request serialised each key's requests on its row
// lock (about 2,200 requests/s per key, issue 16), while "last used" only
// needs to be roughly right.
const authenticateSQL = `WITH k AS (
		SELECT id, name, role, last_used_at FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL),
	used AS (
		UPDATE api_keys SET last_used_at = now() FROM k
		WHERE api_keys.id = k.id AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute'))
	SELECT id, name, role FROM k`

// Authenticate returns the principal of an active key.
func (s *Store) Authenticate(ctx context.Context, secret string) (triage.Principal, error) {
	var p triage.Principal
	if len(secret) < len(KeyPrefix)+10 || len(secret) > 200 {
		return p, errUnauthenticated
	}
	err := s.db.Pool.QueryRow(ctx, authenticateSQL, hashSecret(secret)).Scan(&p.KeyID, &p.Name, &p.Role)
	if err != nil {
		if triage.ErrorCode(translate(err)) == triage.ENOTFOUND {
			return p, errUnauthenticated
		}
		return p, translate(err)
	}
	return p, nil
}

const insertSessionSQL = `INSERT INTO sessions (token_hash, key_id, csrf, expires_at) VALUES ($1, $2, $3, $4)`

// CreateSession signs p in for ttl.
func (s *Store) CreateSession(ctx context.Context, p triage.Principal, ttl time.Duration) (string, triage.Session, error) {
	token := newSecret()
	sess := triage.Session{Principal: p, CSRF: newSecret(), ExpiresAt: time.Now().Add(ttl).UTC()}
	_, err := s.db.Pool.Exec(ctx, insertSessionSQL,
		hashSecret(token), p.KeyID, sess.CSRF, sess.ExpiresAt)
	return token, sess, translate(err)
}

const sessionSQL = `SELECT k.id, k.name, k.role, s.csrf, s.expires_at FROM sessions s JOIN api_keys k ON k.id = s.key_id
	WHERE s.token_hash = $1 AND s.expires_at > now() AND k.revoked_at IS NULL`

// Session returns the live session of token.
func (s *Store) Session(ctx context.Context, token string) (triage.Session, error) {
	var sess triage.Session
	p := &sess.Principal
	err := s.db.Pool.QueryRow(ctx, sessionSQL, hashSecret(token)).
		Scan(&p.KeyID, &p.Name, &p.Role, &sess.CSRF, &sess.ExpiresAt)
	if triage.ErrorCode(translate(err)) == triage.ENOTFOUND {
		return sess, triage.Errorf(triage.EUNAUTHORIZED, "not signed in or session expired")
	}
	return sess, translate(err)
}

const deleteSessionSQL = `DELETE FROM sessions WHERE token_hash = $1`

// DeleteSession signs a session out.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	_, err := s.db.Pool.Exec(ctx, deleteSessionSQL, hashSecret(token))
	return translate(err)
}

const deleteExpiredSessionsSQL = `DELETE FROM sessions WHERE expires_at <= now()`

// DeleteExpiredSessions removes the sessions past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	tag, err := s.db.Pool.Exec(ctx, deleteExpiredSessionsSQL)
	if err != nil {
		return 0, translate(err)
	}
	return tag.RowsAffected(), nil
}
