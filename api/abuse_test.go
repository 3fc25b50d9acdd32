package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/triage"
)

// limited sets the failure limit to its default and a window of an hour,
// so no failure ages out while a test runs, and trusts the test's own
// address as a proxy, so X-Forwarded-For can stand for other clients.
func limited(c *api.Config) {
	c.FailureLimit, c.FailureWindow = 0, time.Hour
	c.TrustedProxies = []string{"127.0.0.1"}
}

// call sends an API request through the contract-checked default client
// as the client at ip (by X-Forwarded-For) with key; it returns the status,
// the Retry-After header and the problem's code.
func (f *fixture) call(t *testing.T, path, ip, key string) (status int, retryAfter, code string) {
	t.Helper()
	req, err := http.NewRequest("GET", f.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ip != "" {
		req.Header.Set("X-Forwarded-For", ip)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var p struct{ Code string }
	if resp.StatusCode >= 400 {
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatalf("GET %s: %d body is not a problem: %s", path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, resp.Header.Get("Retry-After"), p.Code
}

// checkRetryAfter fails unless v is a whole number of seconds within two
// windows: failures fade out of the sliding count over the window after
// their own.
func checkRetryAfter(t *testing.T, v string, window time.Duration) {
	t.Helper()
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > int(2*window.Seconds()) {
		t.Errorf("Retry-After %q, want 1 to %.0f seconds", v, 2*window.Seconds())
	}
}

// TestWrongKeysAreLimitedPerClient: one client sending 300 wrong keys at
// once gets 401 for the first ten, then 429 with Retry-After without its
// key being checked, even a right one; another client is not affected, and
// successful checks never count.
func TestWrongKeysAreLimitedPerClient(t *testing.T) {
	f := setup(t, limited)
	const attacker, other = "203.0.113.7", "198.51.100.9"
	for i := range 300 {
		status, retry, code := f.call(t, "/v1/policy", attacker, "btk_thisisnotakeyatall"+strconv.Itoa(i))
		switch {
		case i < api.DefaultFailureLimit && status != http.StatusUnauthorized:
			t.Fatalf("wrong key %d: %d, want 401", i+1, status)
		case i >= api.DefaultFailureLimit && (status != http.StatusTooManyRequests || code != "rate_limited"):
			t.Fatalf("wrong key %d: %d %q, want 429 rate_limited", i+1, status, code)
		case i >= api.DefaultFailureLimit:
			checkRetryAfter(t, retry, time.Hour)
		}
	}
	// Over the limit the key is not looked at, so a right one does not
	// help the attacker: it cannot tell a hit from a miss.
	if status, _, _ := f.call(t, "/v1/policy", attacker, f.keys[triage.RoleAdmin]); status != http.StatusTooManyRequests {
		t.Errorf("right key from the limited client: %d, want 429", status)
	}
	// Another client keeps working, however many requests it makes.
	for i := range 3 * api.DefaultFailureLimit {
		if status, _, _ := f.call(t, "/v1/policy", other, f.keys[triage.RoleAnalyst]); status != http.StatusOK {
			t.Fatalf("right key %d from another client: %d, want 200", i+1, status)
		}
	}
	// Its failures are its own count.
	if status, _, _ := f.call(t, "/v1/policy", other, "btk_thisisnotakeyatall"); status != http.StatusUnauthorized {
		t.Errorf("first wrong key from another client: %d, want 401", status)
	}
}

// TestForwardedForIsIgnoredFromUntrustedPeers: without trusted proxies a
// client cannot dodge the limit by naming a new address in each request.
func TestForwardedForIsIgnoredFromUntrustedPeers(t *testing.T) {
	f := setup(t, func(c *api.Config) { c.FailureLimit, c.FailureWindow = 3, time.Hour })
	for i := range 5 {
		status, _, _ := f.call(t, "/v1/policy", "192.0.2."+strconv.Itoa(i+1), "btk_thisisnotakeyatall")
		want := http.StatusUnauthorized
		if i >= 3 {
			want = http.StatusTooManyRequests
		}
		if status != want {
			t.Errorf("wrong key %d with a fresh X-Forwarded-For: %d, want %d", i+1, status, want)
		}
	}
}

// fromIP makes c's requests claim to come from ip, through the trusted
// proxy the test server stands for.
func (c *client) fromIP(ip string) *client {
	hc := *c.http
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set("X-Forwarded-For", ip)
		return base.RoundTrip(r)
	})
	return &client{t: c.t, base: c.base, http: &hc}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (fn roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return fn(r) }

// TestWrongSignInsAreLimitedPerClient: the sign-in form counts wrong keys
// like the API, in the same count, and shows a page saying how long to
// wait.
func TestWrongSignInsAreLimitedPerClient(t *testing.T) {
	t.Parallel()
	f := setupUI(t, func(o *uiOptions) { o.config = limited })
	attacker := f.client(t).fromIP("203.0.113.7")
	for i := range 15 {
		resp, body := attacker.login("btk_thisisnotakeyatall", "")
		switch {
		case i < api.DefaultFailureLimit && resp.StatusCode != http.StatusUnauthorized:
			t.Fatalf("wrong sign-in %d: %d, want 401", i+1, resp.StatusCode)
		case i >= api.DefaultFailureLimit && resp.StatusCode != http.StatusTooManyRequests:
			t.Fatalf("wrong sign-in %d: %d, want 429", i+1, resp.StatusCode)
		case i >= api.DefaultFailureLimit:
			checkRetryAfter(t, resp.Header.Get("Retry-After"), time.Hour)
			mustContain(t, body, "Too many failed sign-ins")
		}
	}
	resp, _ := attacker.login(f.keys[triage.RoleAdmin], "")
	if resp.StatusCode != http.StatusTooManyRequests || sessionCookie(resp) != nil {
		t.Errorf("right key from the limited client: %d (session cookie %v), want 429 and no session", resp.StatusCode, sessionCookie(resp) != nil)
	}
	// Another address signs in as usual.
	if resp, _ := f.client(t).fromIP("198.51.100.9").login(f.keys[triage.RoleAdmin], ""); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in from another client: %d, want 303", resp.StatusCode)
	}
	// Wrong API keys and wrong sign-ins are one count: both guess keys.
	mixed := f.client(t).fromIP("192.0.2.44")
	for i := range api.DefaultFailureLimit {
		req, _ := http.NewRequest("GET", f.srv.URL+"/v1/policy", nil)
		req.Header.Set("X-API-Key", "btk_thisisnotakeyatall")
		resp, err := mixed.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong API key %d: %d, want 401", i+1, resp.StatusCode)
		}
	}
	if resp, _ := mixed.login("btk_thisisnotakeyatall", ""); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("sign-in after %d wrong API keys: %d, want 429", api.DefaultFailureLimit, resp.StatusCode)
	}
}

// postWith submits a form with the session's CSRF token and extra
// headers, as a browser on another page would.
func (c *client) postWith(path string, form url.Values, header map[string]string) *http.Response {
	c.t.Helper()
	if !form.Has("csrf") {
		form.Set("csrf", c.csrf)
	}
	req, err := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	readBody(c.t, resp)
	return resp
}

// TestForeignOriginFormPostsAreRefused: a form post carrying a valid CSRF
// token is still refused when the browser says it came from another site,
// and nothing changes; the same post from this site goes through.
func TestForeignOriginFormPostsAreRefused(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleFinance)
	self := f.srv.URL // http://127.0.0.1:port
	host := strings.TrimPrefix(self, "http://")
	id := f.finance[0]
	c.get(exceptionPath(id))
	foreign := []struct {
		name   string
		header map[string]string
	}{
		{"foreign Origin", map[string]string{"Origin": "https://evil.example"}},
		{"foreign Origin, cross-site", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}},
		{"this host over another scheme", map[string]string{"Origin": "https://" + host}},
		{"this scheme on another port", map[string]string{"Origin": "http://127.0.0.1:1"}},
		{"opaque Origin", map[string]string{"Origin": "null"}},
		{"no Origin, cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"no Origin, same-site", map[string]string{"Sec-Fetch-Site": "same-site"}},
	}
	forms := []struct {
		path string
		form url.Values
	}{
		{exceptionPath(id) + "/resolution", url.Values{"verdict": {"accept"}}},
		{exceptionPath(id) + "/reassign", url.Values{"queue": {"tax"}}},
		{"/ui/dispute", url.Values{"email": {"We were charged twice for INV-9999."}}},
		{"/ui/logout", url.Values{}},
	}
	for _, fm := range forms {
		for _, h := range foreign {
			if resp := c.postWith(fm.path, url.Values(fm.form), h.header); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s with %s: %d, want 403", fm.path, h.name, resp.StatusCode)
			}
		}
	}
	assertStatus(t, f, id, triage.StatusQueued)
	assertQueue(t, f, id, triage.QueueFinance)
	if status, _ := c.get("/ui/queues/finance"); status != http.StatusOK {
		t.Fatalf("session after refused posts: %d, want it still signed in", status)
	}
	// Sign-in is a form post too: a foreign page cannot sign a browser in
	// with its own key (login CSRF), even with the form's token and cookie.
	fresh := f.client(t)
	fresh.get("/ui/login")
	resp := fresh.postWith("/ui/login", url.Values{"key": {f.keys[triage.RoleAdmin]}}, map[string]string{"Origin": "https://evil.example"})
	if resp.StatusCode != http.StatusForbidden || sessionCookie(resp) != nil {
		t.Errorf("foreign sign-in: %d (session cookie %v), want 403 and no session", resp.StatusCode, sessionCookie(resp) != nil)
	}
	// From this site, and from clients that send neither header (curl),
	// the posts go through; so does a same-origin post whose Origin a
	// proxy's rewriting makes look foreign.
	resp = c.postWith(exceptionPath(id)+"/reassign", url.Values{"queue": {"tax"}, "note": {"tax owns it"}},
		map[string]string{"Origin": self, "Sec-Fetch-Site": "same-origin"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin reassign: %d, want 303", resp.StatusCode)
	}
	assertQueue(t, f, id, triage.QueueTax)
	other := f.signIn(t, triage.RoleFinance)
	other.get(exceptionPath(f.finance[1]))
	if resp := other.postWith(exceptionPath(f.finance[1])+"/resolution", url.Values{"verdict": {"accept"}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("resolution without Origin or Sec-Fetch-Site: %d, want 303", resp.StatusCode)
	}
	if resp := other.postWith("/ui/logout", url.Values{}, map[string]string{"Origin": "https://billing.example.com", "Sec-Fetch-Site": "same-origin"}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin sign-out behind a rewriting proxy: %d, want 303", resp.StatusCode)
	}
}

// TestSecureCookiesCanBeForced: behind a TLS-terminating proxy requests
// arrive over plain HTTP, yet the cookies must be Secure; and the browser's
// Origin is then https.
func TestSecureCookiesCanBeForced(t *testing.T) {
	t.Parallel()
	for _, forced := range []bool{false, true} {
		t.Run("forced="+strconv.FormatBool(forced), func(t *testing.T) {
			f := setupUI(t, func(o *uiOptions) { o.config = func(c *api.Config) { c.SecureCookies = forced } })
			// A cookie jar would not send a Secure cookie back over plain
			// HTTP, so the sign-in is done by hand, as the proxy would
			// forward it.
			hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := hc.Get(f.srv.URL + "/ui/login")
			if err != nil {
				t.Fatal(err)
			}
			body := readBody(t, resp)
			var login *http.Cookie
			for _, ck := range resp.Cookies() {
				if ck.Name == "bt_login" {
					login = ck
				}
			}
			m := csrfInput.FindStringSubmatch(body)
			if login == nil || m == nil {
				t.Fatal("the sign-in page set no bt_login cookie or has no token")
			}
			if login.Secure != forced {
				t.Errorf("bt_login Secure=%v, want %v", login.Secure, forced)
			}
			form := url.Values{"key": {f.keys[triage.RoleSupport]}, "csrf": {m[1]}}
			req, _ := http.NewRequest("POST", f.srv.URL+"/ui/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://"+req.Host)
			if !forced {
				req.Header.Set("Origin", f.srv.URL)
			}
			req.AddCookie(&http.Cookie{Name: "bt_login", Value: login.Value})
			resp, err = hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			readBody(t, resp)
			c := sessionCookie(resp)
			if resp.StatusCode != http.StatusSeeOther || c == nil {
				t.Fatalf("sign-in: %d, session cookie %v", resp.StatusCode, c != nil)
			}
			if c.Secure != forced || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				t.Errorf("session cookie Secure=%v HttpOnly=%v SameSite=%v; want Secure=%v, HttpOnly, Strict", c.Secure, c.HttpOnly, c.SameSite, forced)
			}
		})
	}
}

// TestMetricsCanRequireAKey: with MetricsAuth, /metrics answers 401 to a
// scraper without a key or with a wrong one, and serves any role's key.
func TestMetricsCanRequireAKey(t *testing.T) {
	for _, required := range []bool{false, true} {
		t.Run("required="+strconv.FormatBool(required), func(t *testing.T) {
			f := setup(t)
			f.srv = httptest.NewServer(newServer(t, f.svc, f.store, downDB{}, func(c *api.Config) {
				c.Metrics = api.NewMetrics(f.store)
				c.MetricsAuth = required
			}))
			t.Cleanup(f.srv.Close)
			want := http.StatusOK
			if required {
				want = http.StatusUnauthorized
			}
			if status, _, _ := f.call(t, "/metrics", "", ""); status != want {
				t.Errorf("no key: %d, want %d", status, want)
			}
			if status, _, _ := f.call(t, "/metrics", "", "btk_thisisnotakeyatall"); status != want {
				t.Errorf("wrong key: %d, want %d", status, want)
			}
			if status, _, _ := f.call(t, "/metrics", "", f.keys[triage.RoleSupport]); status != http.StatusOK {
				t.Errorf("a team's key: %d, want 200", status)
			}
		})
	}
}
