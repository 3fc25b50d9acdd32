package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// patternFixture is a service whose history holds a recurring cause that
// rose in the last days (a connector's revenue mapping, mostly one
// ledger), with three of the rise's items open in finance's queue, a
// steady cause beside it, and patterns detected once. Its ids and names
// are of shapes the generator never makes.
type patternFixture struct {
	ui   *uiFixture
	api  *fixture
	open []int64 // the rising pattern's open items
}

func setupPatterns(t *testing.T, detect bool) *patternFixture {
	t.Helper()
	ctx := context.Background()
	db := pgtest.Open(t)
	emb, err := embeddings.NewLocal(256)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	st := postgres.NewStore(db)
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Policies: st, Models: st, Outbox: st,
		Postings: st, Views: st, Patterns: st})
	if err := svc.ImportHistory(ctx, patternHistory(time.Now())); err != nil {
		t.Fatal(err)
	}
	pf := &patternFixture{}
	pf.open = submitRise(t, svc)
	if detect {
		if _, err := svc.DetectPatterns(ctx, triage.PatternConfig{}); err != nil {
			t.Fatal(err)
		}
	}
	metrics := api.NewMetrics(st)
	metrics.WatchPatterns(st)
	srv := httptest.NewServer(newServer(t, svc, st, db, func(c *api.Config) { c.Metrics = metrics }))
	t.Cleanup(srv.Close)
	pf.ui = &uiFixture{srv: srv, store: st, svc: svc, keys: map[triage.Role]string{}, ids: map[triage.Role]int64{}}
	pf.api = &fixture{srv: srv, svc: svc, store: st, keys: pf.ui.keys}
	for _, role := range triage.Roles {
		k, secret, err := st.CreateKey(ctx, "test-"+string(role), role)
		if err != nil {
			t.Fatal(err)
		}
		pf.ui.keys[role], pf.ui.ids[role] = secret, k.ID
	}
	pf.api.as = pf.ui.keys[triage.RoleAdmin]
	return pf
}

// patternHistory: the ledger-mapping cause about every fourth day for
// eight weeks from ledgers QX-7 and QX-9, then six in the last two days
// from ledger QX-4; a steady cause of disputes every third day.
func patternHistory(now time.Time) []triage.Resolution {
	var hs []triage.Resolution
	add := func(ext string, t triage.Type, text, rc, action string, q triage.Queue, ago time.Duration, facts triage.Facts) {
		at := now.Add(-ago)
		hs = append(hs, triage.Resolution{ExternalID: ext, Type: t, Text: text, RootCause: rc, Action: action, Queue: q,
			OccurredAt: at, ResolvedAt: at.Add(time.Hour), Facts: &facts})
	}
	ledger := func(i int, ledger string, ago time.Duration) {
		add(fmt.Sprintf("lm-%d", i), triage.ERPPostingFailure,
			fmt.Sprintf("Ledgerly sync refused journal J/%d/77: revenue line has no account for item WIDGET-%d in ledger %s", 300+i, i%7, ledger),
			"revenue_account_unmapped", "map_revenue_account", triage.QueueFinance, ago,
			triage.Facts{Source: "ledgerly-sync", Region: "ZZ", Attributes: map[string]any{"ledger": ledger, "item": fmt.Sprintf("WIDGET-%d", i%7)}})
	}
	for i := range 14 {
		ledger(i, []string{"QX-7", "QX-9"}[i%2], time.Duration(4+4*i)*24*time.Hour)
	}
	for i := range 6 {
		ledger(100+i, "QX-4", time.Duration(2+7*i)*time.Hour)
	}
	for i := range 18 {
		add(fmt.Sprintf("pp-%d", i), triage.BillingDispute,
			fmt.Sprintf("Hallo, our remittance RX-%d was booked against the wrong invoice, please move the payment to the open one.", 9000+i),
			"payment_misapplied", "reapply_payment", triage.QueueSupport, time.Duration(3*i+1)*24*time.Hour,
			triage.Facts{Source: "mailbox", Attributes: map[string]any{"ledger": "QX-1"}})
	}
	return hs
}

// submitRise submits three more of the rising cause, large enough to wait
// in finance's queue, and returns their ids.
func submitRise(t *testing.T, svc *triage.Service) []int64 {
	t.Helper()
	var exs []triage.Exception
	for i := range 3 {
		amount := 90000.0 + float64(i)
		exs = append(exs, triage.Exception{Source: "ledgerly-sync", ExternalID: fmt.Sprintf("rise-%d", i), Type: triage.ERPPostingFailure,
			OccurredAt: time.Now().Add(-time.Duration(3+i) * time.Hour),
			Text:       fmt.Sprintf("Ledgerly sync refused journal J/%d/77: revenue line has no account for item WIDGET-%d in ledger QX-4", 700+i, i),
			Amount:     &amount, Currency: "USD", Region: "ZZ", Attributes: map[string]any{"ledger": "QX-4", "item": fmt.Sprintf("WIDGET-%d", i)}})
	}
	subs, err := svc.Submit(context.Background(), triage.System("test"), exs)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, s := range subs {
		if s.Exception.Status != triage.StatusQueued || s.Exception.Queue != triage.QueueFinance || s.Decision.RootCause != "revenue_account_unmapped" {
			t.Fatalf("fixture item %s is %s in %q suggested %q: %v", s.Exception.ExternalID, s.Exception.Status, s.Exception.Queue, s.Decision.RootCause, s.Decision.Reasons)
		}
		ids = append(ids, s.Exception.ID)
	}
	return ids
}
