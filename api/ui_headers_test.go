package api_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleAdmin)
	_, page := c.get("/ui/queues/finance")
	css := regexp.MustCompile(`/ui/static/ui\.css\?v=[0-9a-f]+`).FindString(page)
	if css == "" {
		t.Fatal("the page links no versioned stylesheet")
	}
	anon := f.client(t)
	tests := []struct {
		path        string
		status      int
		contentType string
	}{
		{"/ui/login", http.StatusOK, "text/html; charset=utf-8"},
		{"/ui/login?next=/ui/dashboard", http.StatusSeeOther, ""},
		{"/ui/queues/finance", http.StatusOK, "text/html; charset=utf-8"},
		{exceptionPath(f.finance[0]), http.StatusOK, "text/html; charset=utf-8"},
		{"/ui/dashboard", http.StatusOK, "text/html; charset=utf-8"},
		{"/ui/nowhere", http.StatusNotFound, "text/html; charset=utf-8"},
		{css, http.StatusOK, "text/css; charset=utf-8"},
		{"/ui/static/", http.StatusNotFound, ""},
		{"/ui/static/missing.css", http.StatusNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			hc := c.http
			if tc.path == "/ui/login" {
				hc = anon.http // signed in, the sign-in page moves on
			}
			resp, err := hc.Get(f.srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			h := resp.Header
			if tc.contentType != "" && h.Get("Content-Type") != tc.contentType {
				t.Errorf("Content-Type %q, want %q", h.Get("Content-Type"), tc.contentType)
			}
			want := map[string]string{
				"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "same-origin",
			}
			for k, v := range want {
				if h.Get(k) != v {
					t.Errorf("%s: %q, want %q", k, h.Get(k), v)
				}
			}
			if tc.contentType == "text/html; charset=utf-8" && h.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q on a page, want no-store", h.Get("Cache-Control"))
			}
		})
	}
}

func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleAdmin)
	inline := regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|\sstyle=|\son[a-z]+=`)
	for _, path := range []string{"/ui/login", "/ui/queues/finance", exceptionPath(f.dispute), "/ui/dispute", "/ui/dashboard", "/ui/nowhere"} {
		_, body := c.get(path)
		if m := inline.FindString(body); m != "" {
			t.Errorf("%s has inline script or style %q, which the CSP blocks", path, m)
		}
	}
}
