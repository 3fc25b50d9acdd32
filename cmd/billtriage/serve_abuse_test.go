package main_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// TestServeAbuseSettings runs the binary with the abuse settings from the
// environment: the failure limit, Secure cookies behind a proxy, a key for
// /metrics, and the sweep of expired sessions.
func TestServeAbuseSettings(t *testing.T) {
	bin := buildBinary(t)
	schema := isolatedSchema(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.URL(), postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := postgres.NewStore(db)
	k, key, err := st.CreateKey(ctx, "prometheus", triage.RoleAnalyst)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.CreateSession(ctx, triage.Principal{KeyID: k.ID, Name: k.Name, Role: k.Role}, -time.Minute); err != nil {
		t.Fatal(err)
	}
	env := []string{"DATABASE_URL=" + pgtest.URL(), "BILLTRIAGE_SCHEMA=" + schema,
		"BILLTRIAGE_AUTH_FAILURE_LIMIT=2", "BILLTRIAGE_AUTH_FAILURE_WINDOW=1h",
		"BILLTRIAGE_SECURE_COOKIES=true", "BILLTRIAGE_METRICS_AUTH=true"}
	base := startServer(t, bin, env)

	// serve deletes the expired session when it starts.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d expired sessions still stored after serve started", n)
		}
		time.Sleep(50 * time.Millisecond)
	}

	status := func(key string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/metrics", nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}
	if code, _ := status(key); code != http.StatusOK {
		t.Errorf("/metrics with a key: %d, want 200", code)
	}
	for i, want := range []int{401, 401, 429} {
		code, retry := status("")
		if code != want {
			t.Errorf("/metrics without a key, attempt %d: %d, want %d", i+1, code, want)
		}
		if want == 429 && retry == "" {
			t.Error("429 without Retry-After")
		}
	}

	resp, err := http.Get(base + "/ui/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var secure bool
	for _, c := range resp.Cookies() {
		if c.Name == "bt_login" {
			secure = c.Secure
		}
	}
	if !secure {
		t.Errorf("BILLTRIAGE_SECURE_COOKIES=true over plain HTTP: the sign-in cookie is not Secure (%v)",
			strings.Join(resp.Header.Values("Set-Cookie"), "; "))
	}
}
