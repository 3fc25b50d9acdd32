package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	if err := f.store.RevokeKey(context.Background(), f.ids[triage.RoleTax]); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		key      string
		next     string
		status   int
		location string
		message  string
	}{
		{"valid key", f.keys[triage.RoleFinance], "", http.StatusSeeOther, "/ui/", ""},
		{"back to the page asked for", f.keys[triage.RoleFinance], "/ui/queues/finance?type=other", http.StatusSeeOther, "/ui/queues/finance?type=other", ""},
		{"no redirect off site", f.keys[triage.RoleFinance], "//evil.example/ui/", http.StatusSeeOther, "/ui/", ""},
		{"unknown key", "btk_" + strings.Repeat("x", 43), "", http.StatusUnauthorized, "", "unknown or has been revoked"},
		{"revoked key", f.keys[triage.RoleTax], "", http.StatusUnauthorized, "", "unknown or has been revoked"},
		{"empty key", "", "", http.StatusUnauthorized, "", "unknown or has been revoked"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := f.client(t)
			resp, body := c.login(tc.key, tc.next)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d\n%s", resp.StatusCode, tc.status, body)
			}
			if got := resp.Header.Get("Location"); got != tc.location {
				t.Errorf("Location %q, want %q", got, tc.location)
			}
			mustContain(t, body, tc.message)
			signedIn := sessionCookie(resp) != nil
			if signedIn != (tc.status == http.StatusSeeOther) {
				t.Errorf("session cookie set: %v", signedIn)
			}
		})
	}
}

func TestSignInFormNeedsItsToken(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	tests := []struct {
		name  string
		token func(c *client) string
	}{
		{"no token", func(*client) string { return "" }},
		{"wrong token", func(*client) string { return "forged-token-forged-token-forged-token-1" }},
		{"token without its cookie", func(c *client) string {
			tok := c.csrf
			c.http.Jar, _ = newJar()
			return tok
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := f.client(t)
			c.get("/ui/login")
			resp, body := c.postRaw("/ui/login", url.Values{"key": {f.keys[triage.RoleAdmin]}, "csrf": {tc.token(c)}})
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", resp.StatusCode)
			}
			if sessionCookie(resp) != nil {
				t.Error("a forged sign-in got a session")
			}
			mustContain(t, body, "did not come from this site")
		})
	}
}

func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tls    bool
		secure bool
	}{
		{"plain HTTP", false, false},
		{"TLS", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f *uiFixture
			if tc.tls {
				f = setupUI(t, withTLS)
			} else {
				f = setupUI(t)
			}
			resp, _ := f.client(t).login(f.keys[triage.RoleSupport], "")
			c := sessionCookie(resp)
			if c == nil {
				t.Fatal("no session cookie")
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/ui/" || c.Secure != tc.secure {
				t.Errorf("cookie HttpOnly=%v SameSite=%v Path=%q Secure=%v; want HttpOnly, Strict, /ui/, Secure=%v",
					c.HttpOnly, c.SameSite, c.Path, c.Secure, tc.secure)
			}
			if c.Expires.IsZero() {
				t.Error("cookie has no expiry; the session's should be used")
			}
		})
	}
}

func TestWithoutSession(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.client(t)
	resp, err := c.http.Get(f.srv.URL + "/ui/queues/finance?type=other")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/ui/login?next=%2Fui%2Fqueues%2Ffinance%3Ftype%3Dother" {
		t.Errorf("page without session: %d to %q, want 303 to the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
	post, body := c.postRaw(exceptionPath(f.finance[0])+"/resolution", url.Values{"verdict": {"accept"}})
	if post.StatusCode != http.StatusUnauthorized {
		t.Errorf("form post without session: %d, want 401", post.StatusCode)
	}
	mustContain(t, body, "nothing was changed")
	assertStatus(t, f, f.finance[0], triage.StatusQueued)
}

func TestSignOutEndsTheSession(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleFinance)
	if status, _ := c.get("/ui/login"); status != http.StatusSeeOther {
		t.Errorf("sign-in page while signed in: %d, want 303 on to the UI", status)
	}
	token := c.cookie(sessionCookieName)
	resp, _ := c.post("/ui/logout", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/ui/login" {
		t.Fatalf("sign out: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if c.cookie(sessionCookieName) != "" {
		t.Error("the browser kept the session cookie")
	}
	if status, _ := c.get("/ui/login"); status != http.StatusOK {
		t.Errorf("sign-in page after signing out: %d, want 200", status)
	}
	// A copy of the old cookie no longer works either.
	if _, err := f.store.Session(context.Background(), token); triage.ErrorCode(err) != triage.EUNAUTHORIZED {
		t.Errorf("session after sign-out: %v, want unauthorized", err)
	}
}

func TestRevokedKeyEndsItsSessions(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleFinance)
	if status, _ := c.get("/ui/queues/finance"); status != http.StatusOK {
		t.Fatalf("queue before revoking: %d", status)
	}
	if err := f.store.RevokeKey(context.Background(), f.ids[triage.RoleFinance]); err != nil {
		t.Fatal(err)
	}
	status, _ := c.get("/ui/queues/finance")
	if status != http.StatusSeeOther {
		t.Errorf("queue after revoking the key: %d, want 303 to sign in", status)
	}
	resp, _ := c.post(exceptionPath(f.finance[0])+"/resolution", url.Values{"verdict": {"accept"}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("action after revoking the key: %d, want 401", resp.StatusCode)
	}
	assertStatus(t, f, f.finance[0], triage.StatusQueued)
}
