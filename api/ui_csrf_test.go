package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func TestFormsNeedTheSessionToken(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleAdmin)
	other := f.signIn(t, triage.RoleAdmin) // a real token, of another session
	forms := []struct {
		path string
		form url.Values
	}{
		{exceptionPath(f.finance[0]) + "/resolution", url.Values{"verdict": {"accept"}}},
		{exceptionPath(f.finance[0]) + "/reassign", url.Values{"queue": {"tax"}}},
		{"/ui/dispute", url.Values{"email": {"We were charged twice for INV-9999."}}},
		{"/ui/logout", url.Values{}},
	}
	tokens := []struct {
		name  string
		token *string
	}{
		{"no token", nil},
		{"empty token", ptr("")},
		{"wrong token", ptr("not-the-token-not-the-token-not-the-token")},
		{"another session's token", &other.csrf},
	}
	for _, fm := range forms {
		for _, tok := range tokens {
			t.Run(fm.path+" "+tok.name, func(t *testing.T) {
				form := url.Values{}
				for k, v := range fm.form {
					form[k] = v
				}
				if tok.token != nil {
					form.Set("csrf", *tok.token)
				}
				resp, body := c.postRaw(fm.path, form)
				if resp.StatusCode != http.StatusForbidden {
					t.Fatalf("status %d, want 403", resp.StatusCode)
				}
				mustContain(t, body, "did not come from this site")
			})
		}
	}
	// Nothing happened: the item is still queued where it was, and the
	// session still works.
	assertStatus(t, f, f.finance[0], triage.StatusQueued)
	assertQueue(t, f, f.finance[0], triage.QueueFinance)
	if status, _ := c.get("/ui/queues/finance"); status != http.StatusOK {
		t.Errorf("session after refused posts: %d", status)
	}
	// The same post with the token goes through.
	resp, _ := c.post(exceptionPath(f.finance[0])+"/resolution", url.Values{"verdict": {"accept"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("post with the token: %d, want 303", resp.StatusCode)
	}
}

func ptr(s string) *string { return &s }
