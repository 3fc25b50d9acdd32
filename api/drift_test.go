package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/triage"
)

// submitPayloads submits n records of a connector in shapes of its own,
// an hour apart from start; renamed ones carry tenantId for tenant.
func submitPayloads(t *testing.T, svc *triage.Service, start time.Time, from, n int, renamed bool) {
	t.Helper()
	var exs []triage.Exception
	for i := from; i < from+n; i++ {
		key := "tenant"
		if renamed {
			key = "tenantId"
		}
		exs = append(exs, triage.Exception{Source: "hub", ExternalID: fmt.Sprint("hub-", i), Type: triage.Other,
			OccurredAt: start.Add(time.Duration(i) * time.Hour), Text: fmt.Sprintf(`hub: {"%s":"T/%04d","op":"sync"} finished`, key, i),
			Attributes: map[string]any{key: fmt.Sprintf("T/%04d", i), "zone": float64(i % 4)}})
	}
	if _, err := svc.Submit(context.Background(), triage.System("test"), exs); err != nil {
		t.Fatal(err)
	}
}

func TestDriftIsFoundRaisedListedShownAndCounted(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	start := time.Now().Add(-10 * 24 * time.Hour)
	submitPayloads(t, f.svc, start, 0, 60, false)
	submitPayloads(t, f.svc, start, 60, 20, true)
	found, err := f.svc.DetectDrift(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The rename shows in the attributes and in the log line's template.
	if len(found) != 3 || found[2].Kind != triage.DriftTemplateVanished || found[0].Kind != triage.DriftNewField || found[0].Field != "attributes.tenantId" ||
		found[1].Kind != triage.DriftVanishedField || found[1].Field != "attributes.tenant" || found[0].Examples[0] != "hub-60" {
		t.Fatalf("found %+v", found)
	}
	for _, fd := range found {
		d, err := f.svc.Exception(ctx, triage.System("test"), fd.ExceptionID)
		if err != nil || d.Exception.Type != triage.Other || d.Exception.Queue != triage.QueueRevOps || d.Exception.Source != triage.DriftSource ||
			!strings.Contains(d.Exception.Text, "hub-60") {
			t.Errorf("raised %+v (%v)", d.Exception, err)
		}
	}
	if again, err := f.svc.DetectDrift(ctx); err != nil || len(again) != 0 {
		t.Errorf("second run found %+v (%v), want nothing new", again, err)
	}
	status, list := f.do(t, "GET", "/v1/drift", "")
	if got, _ := list["findings"].([]any); status != http.StatusOK || len(got) != 3 {
		t.Errorf("GET /v1/drift: %d %v", status, list)
	}
	for q, field := range map[string]string{"?days=soon": "days", "?days=0": "days", "?days=400": "days"} {
		if status, body := f.do(t, "GET", "/v1/drift"+q, ""); status != http.StatusBadRequest || body["field"] != field {
			t.Errorf("GET /v1/drift%s: %d %v, want 400 naming %s", q, status, body, field)
		}
	}
	f.as = f.keys[triage.RoleSupport]
	if status, _ := f.do(t, "GET", "/v1/drift", ""); status != http.StatusForbidden {
		t.Errorf("support reads drift: %d, want 403", status)
	}
	ui := (&uiFixture{srv: f.srv, keys: f.keys}).signIn(t, triage.RoleAnalyst)
	if status, page := ui.get("/ui/drift"); status != http.StatusOK || !strings.Contains(page, "attributes.tenantId") ||
		!strings.Contains(page, "vanished_field") || !strings.Contains(page, "hub-60") {
		t.Errorf("drift page: %d\n%s", status, page)
	}
}

func TestDriftIsAMetric(t *testing.T) {
	f := setup(t, func(c *api.Config) { c.Metrics = api.NewMetrics(c.Stats) })
	start := time.Now().Add(-10 * 24 * time.Hour)
	submitPayloads(t, f.svc, start, 0, 60, false)
	submitPayloads(t, f.svc, start, 60, 20, true)
	if _, err := f.svc.DetectDrift(context.Background()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(f.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`billtriage_schema_drift_findings{kind="new_field",source="hub"} 1`,
		`billtriage_schema_drift_findings{kind="vanished_field",source="hub"} 1`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
