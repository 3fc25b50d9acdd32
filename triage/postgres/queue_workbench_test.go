package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// workbenchQueue stores five queued finance items with distinct amounts,
// customers, ages, texts, risks, confidences and tags, and returns their
// ids in creation order.
func workbenchQueue(t *testing.T, st interface {
	CreateExceptions(context.Context, []triage.Exception) ([]triage.CreateResult, error)
	SaveDecision(context.Context, triage.Exception, triage.Decision, []triage.AuditEntry, ...triage.Event) (triage.Decision, error)
}, now time.Time) []int64 {
	t.Helper()
	ctx := context.Background()
	texts := []string{"Stripe webhook timed out", "NetSuite posting failed: no GL account", "VAT id missing for EU customer",
		"usage_file%_late arrived", "duplicate charge on card"}
	whys := [][]triage.Why{{triage.WhyBelowThreshold}, {triage.WhyAmountLimit, triage.WhyBelowThreshold}, {triage.WhyRisk},
		{triage.WhyVagueText}, nil}
	var exs []triage.Exception
	for i, text := range texts {
		e := exception(fmt.Sprint("wb", i), triage.ERPPostingFailure, float64(100*(i+1)))
		e.Text, e.CustomerID, e.InvoiceID = text, fmt.Sprintf("C-%d", i%2), fmt.Sprintf("INV-%04d", 7000+i)
		e.OccurredAt = now.Add(-time.Duration(i+1) * 24 * time.Hour)
		exs = append(exs, e)
	}
	res, err := st.CreateExceptions(ctx, exs)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, c := range res {
		e := c.Exception
		e.Status, e.Queue, e.SortKey = triage.StatusQueued, triage.QueueFinance, float64(10-i)
		d := triage.Decision{ExceptionID: e.ID, Outcome: triage.OutcomeQueue, DecidedAt: now, Why: whys[i],
			Suggestion: triage.Suggestion{Confidence: 0.5 + 0.1*float64(i), Action: "a"}, Risk: &triage.Risk{Probability: 0.9 - 0.2*float64(i)}}
		if i == 4 {
			// An automatic decision whose item is queued again: reverted.
			d.Outcome, d.Risk = triage.OutcomeAuto, nil
		}
		if _, err := st.SaveDecision(ctx, e, d, nil); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	return ids
}

func TestQueueSearchFilterSortCount(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	ids := workbenchQueue(t, st, now)
	f := func(v float64) *float64 { return &v }
	// want lists indexes into ids, in order.
	tests := []struct {
		name string
		q    triage.QueueQuery
		want []int
	}{
		{"everything, priority first", triage.QueueQuery{}, []int{0, 1, 2, 3, 4}},
		{"search the text, any case", triage.QueueQuery{Search: "netsuite GL"}, []int{1}},
		{"search the invoice", triage.QueueQuery{Search: "inv-7002"}, []int{2}},
		{"search the customer", triage.QueueQuery{Search: "C-1"}, []int{1, 3}},
		{"search the external id", triage.QueueQuery{Search: "wb4"}, []int{4}},
		{"LIKE characters are literal", triage.QueueQuery{Search: "file%_late"}, []int{3}},
		{"a % alone matches no wildcard", triage.QueueQuery{Search: "%%"}, nil},
		{"customer exact", triage.QueueQuery{Customer: "C-0"}, []int{0, 2, 4}},
		{"amount range", triage.QueueQuery{MinAmount: f(200), MaxAmount: f(400)}, []int{1, 2, 3}},
		{"risk at least", triage.QueueQuery{MinRisk: f(0.5)}, []int{0, 1, 2}},
		{"confidence at most", triage.QueueQuery{MaxConfidence: f(0.65)}, []int{0, 1}},
		{"older than 3 days", triage.QueueQuery{MinAge: 3 * 24 * time.Hour, AsOf: now}, []int{2, 3, 4}},
		{"newer than 2 days", triage.QueueQuery{MaxAge: 2 * 24 * time.Hour, AsOf: now}, []int{0, 1}},
		{"why below threshold", triage.QueueQuery{Why: triage.WhyBelowThreshold}, []int{0, 1}},
		{"why reverted", triage.QueueQuery{Why: triage.WhyReverted}, []int{4}},
		{"type", triage.QueueQuery{Type: triage.ERPPostingFailure, Customer: "C-1"}, []int{1, 3}},
		{"sort amount", triage.QueueQuery{Sort: triage.SortAmount}, []int{0, 1, 2, 3, 4}},
		{"sort amount desc", triage.QueueQuery{Sort: triage.SortAmount, Desc: true}, []int{4, 3, 2, 1, 0}},
		{"sort risk, unscored last", triage.QueueQuery{Sort: triage.SortRisk}, []int{3, 2, 1, 0, 4}},
		{"sort risk desc, unscored last", triage.QueueQuery{Sort: triage.SortRisk, Desc: true}, []int{0, 1, 2, 3, 4}},
		{"sort confidence desc", triage.QueueQuery{Sort: triage.SortConfidence, Desc: true}, []int{4, 3, 2, 1, 0}},
		{"sort age: newest first", triage.QueueQuery{Sort: triage.SortAge}, []int{0, 1, 2, 3, 4}},
		{"sort age desc: oldest first", triage.QueueQuery{Sort: triage.SortAge, Desc: true}, []int{4, 3, 2, 1, 0}},
		{"sort customer, then priority", triage.QueueQuery{Sort: triage.SortCustomer}, []int{0, 2, 4, 1, 3}},
		{"sort why", triage.QueueQuery{Sort: triage.SortWhy}, []int{1, 0, 4, 2, 3}},
		{"sort priority ascending", triage.QueueQuery{Sort: triage.SortPriority}, []int{4, 3, 2, 1, 0}},
		{"sort type", triage.QueueQuery{Sort: triage.SortType}, []int{0, 1, 2, 3, 4}},
		{"sort id desc", triage.QueueQuery{Sort: triage.SortID, Desc: true}, []int{4, 3, 2, 1, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.Queue = triage.QueueFinance
			page, err := st.Queue(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var got, want []int64
			for _, it := range page.Items {
				got = append(got, it.ID)
			}
			for _, i := range tc.want {
				want = append(want, ids[i])
			}
			if fmt.Sprint(got) != fmt.Sprint(want) || page.Total != len(want) {
				t.Errorf("got %v (total %d), want %v (total %d)", got, page.Total, want, len(want))
			}
		})
	}
	// The tags come back with each item, for the domain to derive from.
	page, err := st.Queue(ctx, triage.QueueQuery{Queue: triage.QueueFinance, Customer: "C-1"})
	if err != nil {
		t.Fatal(err)
	}
	if it := page.Items[0]; fmt.Sprint(it.Why) != "[amount limit below threshold]" || it.Outcome != triage.OutcomeQueue {
		t.Errorf("stored tags %v outcome %s", it.Why, it.Outcome)
	}
	d, err := st.LatestDecision(ctx, ids[1])
	if err != nil || fmt.Sprint(d.Why) != "[amount limit below threshold]" {
		t.Errorf("latest decision's tags %v, %v", d.Why, err)
	}
}

// TestQueuePagesInAnyOrderWithTotal pages a filtered, sorted queue by
// offset: every match once, the total the same on every page.
func TestQueuePagesInAnyOrderWithTotal(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	ids := workbenchQueue(t, st, now)
	var seen []int64
	cursor := ""
	for range 5 {
		page, err := st.Queue(ctx, triage.QueueQuery{Queue: triage.QueueFinance, Sort: triage.SortAmount, Desc: true, Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 5 {
			t.Errorf("total %d on a page, want 5", page.Total)
		}
		for _, it := range page.Items {
			seen = append(seen, it.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if want := []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}; fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("paged %v, want %v", seen, want)
	}
	// A keyset cursor is no offset, and the reverse.
	if _, err := st.Queue(ctx, triage.QueueQuery{Queue: triage.QueueFinance, Sort: triage.SortAmount, Cursor: "bm90IGEgY3Vyc29y"}); triage.ErrorField(err) != "cursor" {
		t.Errorf("a foreign cursor in amount order: %v", err)
	}
}

func TestSavedViews(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	ana, _, err := st.CreateKey(ctx, "ana", triage.RoleFinance)
	if err != nil {
		t.Fatal(err)
	}
	bob, _, err := st.CreateKey(ctx, "bob", triage.RoleFinance)
	if err != nil {
		t.Fatal(err)
	}
	v, err := st.SaveView(ctx, ana.ID, triage.SavedView{Queue: triage.QueueFinance, Name: "Large", Query: "min_amount=10000"})
	if err != nil || v.ID == 0 {
		t.Fatalf("save: %+v %v", v, err)
	}
	// The same name replaces the query, keeping the view.
	again, err := st.SaveView(ctx, ana.ID, triage.SavedView{Queue: triage.QueueFinance, Name: "Large", Query: "min_amount=20000"})
	if err != nil || again.ID != v.ID {
		t.Fatalf("replace: %+v %v", again, err)
	}
	if _, err := st.SaveView(ctx, ana.ID, triage.SavedView{Queue: triage.QueueTax, Name: "Large", Query: "q=vat"}); err != nil {
		t.Fatal(err)
	}
	list, err := st.SavedViews(ctx, ana.ID, triage.QueueFinance)
	if err != nil || len(list) != 1 || list[0].Query != "min_amount=20000" {
		t.Errorf("ana's finance views %+v, %v", list, err)
	}
	// Another key sees none of them and cannot delete them.
	if list, err := st.SavedViews(ctx, bob.ID, triage.QueueFinance); err != nil || len(list) != 0 {
		t.Errorf("bob sees %+v, %v", list, err)
	}
	if err := st.DeleteView(ctx, bob.ID, v.ID); triage.ErrorCode(err) != triage.ENOTFOUND {
		t.Errorf("bob deleting ana's view: %v", err)
	}
	if err := st.DeleteView(ctx, ana.ID, v.ID); err != nil {
		t.Fatal(err)
	}
	for i := range triage.MaxSavedViews - 1 {
		if _, err := st.SaveView(ctx, bob.ID, triage.SavedView{Queue: triage.QueueFinance, Name: fmt.Sprint("v", i), Query: "q=x"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.SaveView(ctx, bob.ID, triage.SavedView{Queue: triage.QueueFinance, Name: "last", Query: "q=x"}); err != nil {
		t.Fatalf("the %dth view: %v", triage.MaxSavedViews, err)
	}
	if _, err := st.SaveView(ctx, bob.ID, triage.SavedView{Queue: triage.QueueFinance, Name: "one too many", Query: "q=x"}); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("a view beyond the limit: %v", err)
	}
	if _, err := st.SaveView(ctx, bob.ID, triage.SavedView{Queue: triage.QueueFinance, Name: "last", Query: "q=y"}); err != nil {
		t.Errorf("replacing a view at the limit: %v", err)
	}
}
