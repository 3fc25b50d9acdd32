package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

func TestKeysAreHashedAndRevocable(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	k, secret, err := st.CreateKey(ctx, "ana", triage.RoleFinance)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "btk_") || !strings.HasPrefix(secret, k.Prefix) {
		t.Errorf("secret %q, prefix %q", secret, k.Prefix)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM api_keys WHERE position($1 in encode(secret_hash, 'escape')) > 0 OR prefix = $1`, secret).Scan(&n); err != nil || n != 0 {
		t.Errorf("the secret is stored in plain text (%d rows, %v)", n, err)
	}
	p, err := st.Authenticate(ctx, secret)
	if err != nil || p.Role != triage.RoleFinance || p.Name != "ana" {
		t.Fatalf("authenticate: %+v %v", p, err)
	}
	token, _, err := st.CreateSession(ctx, p, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := st.Session(ctx, token); err != nil || s.Principal.KeyID != k.ID || s.CSRF == "" {
		t.Fatalf("session: %+v %v", s, err)
	}
	for _, bad := range []string{"", "btk_nope", secret + "x", strings.ToUpper(secret)} {
		if _, err := st.Authenticate(ctx, bad); triage.ErrorCode(err) != triage.EUNAUTHORIZED {
			t.Errorf("Authenticate(%q) = %v, want unauthorized", bad, err)
		}
	}
	if _, _, err := st.CreateKey(ctx, "x", "root"); triage.ErrorField(err) != "role" {
		t.Errorf("bad role: %v", err)
	}
	if err := st.RevokeKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Authenticate(ctx, secret); triage.ErrorCode(err) != triage.EUNAUTHORIZED {
		t.Errorf("revoked key still authenticates: %v", err)
	}
	if _, err := st.Session(ctx, token); triage.ErrorCode(err) != triage.EUNAUTHORIZED {
		t.Errorf("revoked key's session still live: %v", err)
	}
	if err := st.RevokeKey(ctx, k.ID); triage.ErrorCode(err) != triage.ENOTFOUND {
		t.Errorf("revoking twice: %v", err)
	}
	keys, err := st.ListKeys(ctx)
	if err != nil || len(keys) != 1 || keys[0].RevokedAt == nil || keys[0].LastUsedAt == nil {
		t.Errorf("list: %+v %v", keys, err)
	}
}

func TestExpiredSessionIsRefused(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	k, _, _ := st.CreateKey(ctx, "s", triage.RoleSupport)
	token, _, err := st.CreateSession(ctx, triage.Principal{KeyID: k.ID, Name: k.Name, Role: k.Role}, -time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Session(ctx, token); triage.ErrorCode(err) != triage.EUNAUTHORIZED {
		t.Errorf("expired session: %v", err)
	}
}

func TestDeleteExpiredSessions(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	k, _, err := st.CreateKey(ctx, "s", triage.RoleSupport)
	if err != nil {
		t.Fatal(err)
	}
	p := triage.Principal{KeyID: k.ID, Name: k.Name, Role: k.Role}
	for _, ttl := range []time.Duration{-time.Hour, -time.Second} {
		if _, _, err := st.CreateSession(ctx, p, ttl); err != nil {
			t.Fatal(err)
		}
	}
	live, _, err := st.CreateSession(ctx, p, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.DeleteExpiredSessions(ctx)
	if err != nil || n != 2 {
		t.Fatalf("DeleteExpiredSessions = %d, %v; want 2 deleted", n, err)
	}
	var left int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM sessions`).Scan(&left); err != nil || left != 1 {
		t.Errorf("%d sessions left (%v), want the live one", left, err)
	}
	if _, err := st.Session(ctx, live); err != nil {
		t.Errorf("the live session was deleted too: %v", err)
	}
	if n, err := st.DeleteExpiredSessions(ctx); err != nil || n != 0 {
		t.Errorf("second sweep = %d, %v; want 0", n, err)
	}
}

// TestEveryRoleCanHoldAKey stores and authenticates a key of each role,
// so a role added to the domain is not refused by the database (a CHECK
// constraint, a column too short) where `keys create` would first meet it.
func TestEveryRoleCanHoldAKey(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	for _, role := range triage.Roles {
		_, secret, err := st.CreateKey(ctx, "k-"+string(role), role)
		if err != nil {
			t.Fatalf("%s: %v", role, err)
		}
		if p, err := st.Authenticate(ctx, secret); err != nil || p.Role != role {
			t.Errorf("%s: authenticated as %+v, %v", role, p, err)
		}
	}
}

// A key's use is recorded, but at most once a minute, so a busy client's
// requests do not queue on its row.
func TestKeyUseIsRecordedAtMostOnceAMinute(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	k, secret, err := st.CreateKey(ctx, "ana", triage.RoleFinance)
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() *time.Time {
		t.Helper()
		keys, err := st.ListKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range keys {
			if x.ID == k.ID {
				return x.LastUsedAt
			}
		}
		t.Fatalf("key %d not listed", k.ID)
		return nil
	}
	if lastUsed() != nil {
		t.Fatal("a new key is already used")
	}
	for range 3 {
		if _, err := st.Authenticate(ctx, secret); err != nil {
			t.Fatal(err)
		}
	}
	first := lastUsed()
	if first == nil {
		t.Fatal("use not recorded")
	}
	if _, err := st.Authenticate(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if again := lastUsed(); !again.Equal(*first) {
		t.Errorf("recorded again within the minute: %v then %v", first, again)
	}
	// A use older than a minute is refreshed.
	if _, err := db.Pool.Exec(ctx, `UPDATE api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Authenticate(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if later := lastUsed(); !later.After(first.Add(-time.Second)) {
		t.Errorf("an old use was not refreshed: %v", later)
	}
}
