package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

const deliveriesLink = `href="/ui/deliveries"`

// TestDeliveriesPage makes the fixture's three events die at an endpoint
// that is down, then has an admin redeliver one from the page.
func TestDeliveriesPage(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	ctx := context.Background()
	ep, err := f.svc.AddEndpoint(ctx, triage.System("test"), triage.Endpoint{URL: "https://erp.example.com/hooks/t0k3n", Secrets: []string{"whsec_dGVzdA=="}})
	if err != nil {
		t.Fatal(err)
	}
	recv := &receiver{}
	startRunner(t, f.store, recv)
	dead := waitDeliveries(t, f.svc, triage.DeliveryDead, 3)
	redeliver := fmt.Sprintf("/ui/deliveries/%d/redeliver", dead[0].ID)

	admin := f.signIn(t, triage.RoleAdmin)
	status, body := admin.get("/ui/deliveries")
	if status != http.StatusOK {
		t.Fatalf("admin: %d\n%s", status, body)
	}
	mustContain(t, body, deliveriesLink, `action="`+redeliver+`"`, ">Redeliver</button>", dead[0].EventID,
		"attempt 2: receiver answered 503", ep.URL, "Endpoints")
	if n := strings.Count(body, ">Redeliver</button>"); n != 3 {
		t.Errorf("%d Redeliver buttons, want one per dead delivery (3)", n)
	}

	analyst := f.signIn(t, triage.RoleAnalyst)
	status, body = analyst.get("/ui/deliveries")
	if status != http.StatusOK {
		t.Fatalf("analyst: %d", status)
	}
	mustContain(t, body, deliveriesLink, dead[0].EventID, fmt.Sprintf("endpoint #%d", ep.ID))
	mustNotContain(t, body, ">Redeliver</button>", ep.URL)
	if resp, _ := analyst.post(redeliver, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst redelivers: %d, want 403", resp.StatusCode)
	}
	for _, role := range []triage.Role{triage.RoleFinance, triage.RoleIntegration} {
		c := f.signIn(t, role)
		if status, _ := c.get("/ui/deliveries"); status != http.StatusForbidden {
			t.Errorf("%s sees deliveries: %d", role, status)
		}
		if _, dash := c.get("/ui/dashboard"); strings.Contains(dash, deliveriesLink) {
			t.Errorf("%s is shown the Deliveries link", role)
		}
	}

	// Without the session's token nothing is redelivered.
	if resp, _ := admin.postRaw(redeliver, url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("redeliver without a CSRF token: %d, want 403", resp.StatusCode)
	}
	recv.up.Store(true)
	resp, _ := admin.post(redeliver, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != fmt.Sprintf("/ui/deliveries?redelivered=%d", dead[0].ID) {
		t.Fatalf("redeliver: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = admin.get(resp.Header.Get("Location"))
	mustContain(t, body, fmt.Sprintf("Delivery #%d is queued again", dead[0].ID))
	if delivered := waitDeliveries(t, f.svc, triage.DeliveryDelivered, 1); delivered[0].ID != dead[0].ID {
		t.Errorf("delivered %v, want %d", deliveryIDs(delivered), dead[0].ID)
	}
	resp, body = admin.post(redeliver, nil)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("redeliver a delivered one: %d, want 409", resp.StatusCode)
	}
	mustContain(t, body, "is delivered, not dead")
}

func TestDashboardShowsFailedPostingsOnceReported(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleAnalyst)
	if _, body := c.get("/ui/dashboard"); strings.Contains(body, "ERP postings failed") {
		t.Error("the postings tile is shown before any posting was reported")
	}
	integration := triage.Principal{Name: "erp", Role: triage.RoleIntegration}
	for i, st := range []triage.PostingStatus{triage.PostingPosted, triage.PostingPosted, triage.PostingPosted, triage.PostingFailed} {
		p := triage.Posting{ID: fmt.Sprint("P-", i), InvoiceID: "INV-1", Status: st, Error: "Period closed for posting date", ERP: "netsuite"}
		if _, err := f.svc.ReportPosting(context.Background(), integration, p); err != nil {
			t.Fatal(err)
		}
	}
	_, body := c.get("/ui/dashboard")
	mustContain(t, body, "ERP postings failed", "25.0%", "1 of 4 postings the ERP answered")
}
