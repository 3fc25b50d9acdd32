package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// fixture is the UI on a real database with a small history, two queued
// finance items, one queued support dispute, and a key for every role.
// Each test gets its own schema and server, so tests run in parallel.
type uiFixture struct {
	srv   *httptest.Server
	store *postgres.Store
	svc   *triage.Service
	keys  map[triage.Role]string
	ids   map[triage.Role]int64 // key ids, for revoking
	// finance holds the queued ERP failures, highest priority first;
	// dispute is the queued support item.
	finance []int64
	dispute int64
}

// options adjust setup.
type uiOptions struct {
	tls  bool
	risk triage.RiskScorer
	// wrap, when set, wraps the embedder, e.g. to make it fail.
	wrap func(triage.Embedder) triage.Embedder
	// config, when set, changes the server's configuration.
	config func(*api.Config)
}

func setupUI(t *testing.T, opts ...func(*uiOptions)) *uiFixture {
	t.Helper()
	var o uiOptions
	for _, fn := range opts {
		fn(&o)
	}
	ctx := context.Background()
	db := pgtest.Open(t)
	emb, err := embeddings.NewLocal(256)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	f := &uiFixture{store: postgres.NewStore(db), keys: map[triage.Role]string{}, ids: map[triage.Role]int64{}}
	var embedder triage.Embedder = emb
	if o.wrap != nil {
		embedder = o.wrap(emb)
	}
	f.svc = triage.NewService(triage.Config{Store: f.store, Embedder: embedder, Risk: o.risk, Policies: f.store, Models: f.store, ModelShadows: f.store,
		Outbox: f.store, Postings: f.store, Views: f.store, Alarms: f.store})
	if err := f.svc.ImportHistory(ctx, history()); err != nil {
		t.Fatal(err)
	}
	f.submitCases(t)
	for _, role := range triage.Roles {
		k, secret, err := f.store.CreateKey(ctx, "test-"+string(role), role)
		if err != nil {
			t.Fatal(err)
		}
		f.keys[role], f.ids[role] = secret, k.ID
	}
	var adjust []func(*api.Config)
	if o.config != nil {
		adjust = append(adjust, o.config)
	}
	h := newServer(t, f.svc, f.store, db, adjust...)
	if o.tls {
		f.srv = httptest.NewTLSServer(h)
	} else {
		f.srv = httptest.NewServer(h)
	}
	t.Cleanup(f.srv.Close)
	return f
}

func withTLS(o *uiOptions) { o.tls = true }

// history is a small labelled history: ERP posting failures resolved by
// finance and duplicate-charge disputes resolved by support.
func history() []triage.Resolution {
	at := time.Now().Add(-72 * time.Hour)
	var hs []triage.Resolution
	for i := range 8 {
		hs = append(hs, triage.Resolution{ExternalID: fmt.Sprint("erp-", i), Type: triage.ERPPostingFailure,
			Text:      fmt.Sprintf("NetSuite posting failed for invoice INV-%d: no GL account mapped for SKU API-PLUS (subsidiary US0%d)", 1000+i, i%3),
			RootCause: "missing_gl_mapping", Action: "add_gl_mapping", Params: map[string]any{"gl_account": "4010-SaaS"},
			Queue: triage.QueueFinance, OccurredAt: at, ResolvedAt: at.Add(2 * time.Hour)})
		hs = append(hs, triage.Resolution{ExternalID: fmt.Sprint("dup-", i), Type: triage.BillingDispute,
			Text:      fmt.Sprintf("We were charged twice for INV-%d - two payments of $%d went out. Please refund the duplicate.", 2000+i, 300+i),
			RootCause: "duplicate_charge", Action: "refund_duplicate_charge", Queue: triage.QueueSupport,
			OccurredAt: at, ResolvedAt: at.Add(5 * time.Hour)})
		hs = append(hs, triage.Resolution{ExternalID: fmt.Sprint("sla-", i), Type: triage.BillingDispute,
			Text:      fmt.Sprintf("Per our SLA we request a service credit for the outage on March %d (incident INC-%d). Please apply it to the next invoice.", i+1, 40+i),
			RootCause: "service_credit_request", Action: "review_service_credit", Queue: triage.QueueFinance,
			OccurredAt: at, ResolvedAt: at.Add(26 * time.Hour)})
	}
	return hs
}

// submitCases queues two ERP failures above the automatic amount limit
// (finance) and one duplicate-charge dispute (support: refunds always need
// a person).
func (f *uiFixture) submitCases(t *testing.T) {
	t.Helper()
	amount := func(v float64) *float64 { return &v }
	exs := []triage.Exception{
		{Source: "erp-connector", ExternalID: "case-1", Type: triage.ERPPostingFailure, OccurredAt: time.Now().Add(-30 * time.Hour),
			Text:       "NetSuite posting failed for invoice INV-7001: no GL account mapped for SKU API-PLUS (subsidiary US01)",
			CustomerID: "C-1042", InvoiceID: "INV-7001", Amount: amount(48000), Currency: "USD"},
		{Source: "erp-connector", ExternalID: "case-2", Type: triage.ERPPostingFailure, OccurredAt: time.Now().Add(-2 * time.Hour),
			Text:       "NetSuite posting failed for invoice INV-7002: no GL account mapped for SKU API-PLUS (subsidiary US02)",
			CustomerID: "C-2077", InvoiceID: "INV-7002", Amount: amount(31000), Currency: "USD"},
		{Source: "support-inbox", ExternalID: "case-3", Type: triage.BillingDispute, OccurredAt: time.Now().Add(-5 * time.Hour),
			Text:       "We were charged twice for INV-8001 - two payments of $450 went out. Please refund the duplicate.",
			CustomerID: "C-3001", InvoiceID: "INV-8001", Amount: amount(450), Currency: "USD"},
	}
	subs, err := f.svc.Submit(context.Background(), triage.System("test"), exs)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []triage.Queue{triage.QueueFinance, triage.QueueFinance, triage.QueueSupport} {
		if ex := subs[i].Exception; ex.Status != triage.StatusQueued || ex.Queue != want {
			t.Fatalf("fixture case %d is %s in %q, want queued in %s: %v", i, ex.Status, ex.Queue, want, subs[i].Decision.Reasons)
		}
	}
	f.finance = []int64{subs[0].Exception.ID, subs[1].Exception.ID}
	f.dispute = subs[2].Exception.ID
}

// client is a browser stand-in: it keeps cookies, does not follow
// redirects (so tests see them), and remembers the page's CSRF token.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func (f *uiFixture) client(t *testing.T) *client {
	t.Helper()
	jar, err := newJar()
	if err != nil {
		t.Fatal(err)
	}
	// A copy: the server's client is shared, and each client needs its
	// own cookies.
	hc := *f.srv.Client()
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client{t: t, base: f.srv.URL, http: &hc}
}

// signIn returns a client signed in with the role's key.
func (f *uiFixture) signIn(t *testing.T, role triage.Role) *client {
	t.Helper()
	c := f.client(t)
	resp, _ := c.login(f.keys[role], "")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", role, resp.StatusCode)
	}
	if status, body := c.get("/ui/dashboard"); status != http.StatusOK {
		t.Fatalf("dashboard after sign-in: %d\n%s", status, body)
	}
	return c
}

// login opens the sign-in page (for its token and cookie) and posts key.
func (c *client) login(key, next string) (*http.Response, string) {
	c.t.Helper()
	path := "/ui/login"
	if next != "" {
		path += "?next=" + url.QueryEscape(next)
	}
	if status, body := c.get(path); status != http.StatusOK {
		c.t.Fatalf("GET %s: %d\n%s", path, status, body)
	}
	form := url.Values{"key": {key}, "csrf": {c.csrf}}
	if next != "" {
		form.Set("next", next)
	}
	return c.postRaw("/ui/login", form)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get fetches a page and remembers its CSRF token.
func (c *client) get(path string) (int, string) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	body := readBody(c.t, resp)
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	return resp.StatusCode, body
}

// post submits a form with the session's CSRF token.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", c.csrf)
	}
	return c.postRaw(path, form)
}

// postRaw submits a form exactly as given.
func (c *client) postRaw(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.http.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, readBody(c.t, resp)
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// exceptionPath is the detail page of id.
func exceptionPath(id int64) string { return fmt.Sprintf("/ui/exceptions/%d", id) }

// mustContain fails unless body has every snippet.
func mustContain(t *testing.T, body string, snippets ...string) {
	t.Helper()
	for _, s := range snippets {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

// mustNotContain fails if body has any snippet.
func mustNotContain(t *testing.T, body string, snippets ...string) {
	t.Helper()
	for _, s := range snippets {
		if strings.Contains(body, s) {
			t.Errorf("page has %q", s)
		}
	}
}

func newJar() (*cookiejar.Jar, error) { return cookiejar.New(nil) }

// sessionCookieName is the UI's session cookie.
const sessionCookieName = "bt_session"

// sessionCookie returns the session cookie a response sets, if any.
func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookieName && c.Value != "" {
			return c
		}
	}
	return nil
}

// cookie returns the value of the client's cookie name, "" if none.
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.base + "/ui/")
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// assertStatus checks an exception's stored status.
func assertStatus(t *testing.T, f *uiFixture, id int64, want triage.Status) {
	t.Helper()
	ex, err := f.store.Exception(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Status != want {
		t.Errorf("exception %d is %s, want %s", id, ex.Status, want)
	}
}

// regexpAction finds an exception action form on a page.
var regexpAction = regexp.MustCompile(`action="/ui/exceptions/\d+/(resolution|reassign)"`)

// assertQueue checks an exception's stored queue.
func assertQueue(t *testing.T, f *uiFixture, id int64, want triage.Queue) {
	t.Helper()
	ex, err := f.store.Exception(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Queue != want {
		t.Errorf("exception %d is in %q, want %q", id, ex.Queue, want)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
