package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/triage"
)

// raise stores an open alert of kind for alarmType through the store, as
// the drift check does.
func (f *fixture) raise(t *testing.T, kind triage.AlertKind) triage.Alert {
	t.Helper()
	now := time.Now().UTC()
	a := triage.Alert{Type: alarmType, Kind: kind, Week: triage.WeekLabel(now), Value: 0.5, Threshold: 0.95, Samples: 40,
		Message: "tax_inconsistency: realised precision 0.50 is below 0.95", RaisedAt: now, UpdatedAt: now}
	ev := triage.Event{ID: fmt.Sprint("msg_test_", kind), Type: triage.EventAlertRaised, At: now, Data: triage.EventData{Actor: "system"}}
	if kind == triage.KindPaused {
		_, a, err := f.store.PauseAutomation(context.Background(), triage.Pause{Type: alarmType, Paused: true,
			Reason: triage.PauseReason(0.5, 0.9, 20), Precision: 0.5, Floor: 0.9, Last: 20, PausedAt: now}, a, ev)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a, err := f.store.RaiseAlert(context.Background(), a, ev)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAlertActionsAreAdminOnlyAndAudited checks that acknowledging and
// resuming are refused with 403 to every other role, changing nothing, and
// that an admin's are recorded with who did it.
func TestAlertActionsAreAdminOnlyAndAudited(t *testing.T) {
	f := setup(t)
	alarm, pause := f.raise(t, triage.KindPrecision), f.raise(t, triage.KindPaused)
	posts := []string{fmt.Sprintf("/v1/alerts/%d/acknowledge", alarm.ID), fmt.Sprintf("/v1/alerts/%d/resume", pause.ID),
		"/v1/automation/" + string(alarmType) + "/resume"}
	for _, role := range triage.Roles {
		if role == triage.RoleAdmin {
			continue
		}
		f.as = f.keys[role]
		for _, p := range posts {
			if status, out := f.do(t, "POST", p, ""); status != http.StatusForbidden || out["code"] != "forbidden" {
				t.Errorf("%s POST %s: %d %v, want 403", role, p, status, out)
			}
		}
		// Reading is for everyone: the banner shows alerts on every page.
		if status, _ := f.do(t, "GET", "/v1/alerts", ""); status != http.StatusOK {
			t.Errorf("%s GET /v1/alerts: %d", role, status)
		}
	}
	f.as = f.keys[triage.RoleAdmin]
	if status, out := f.do(t, "GET", "/v1/automation", ""); status != http.StatusOK || !strings.Contains(fmt.Sprint(out), "paused:true") {
		t.Errorf("after refusals, automation %d %v: want still paused", status, out)
	}
	status, out := f.do(t, "POST", posts[0], "")
	if a, _ := out["alert"].(map[string]any); status != http.StatusOK || a["state"] != "acknowledged" || a["acknowledged_by"] != "admin:test-admin" {
		t.Fatalf("admin acknowledges: %d %v", status, out)
	}
	if status, out := f.do(t, "POST", posts[0], ""); status != http.StatusConflict {
		t.Errorf("acknowledge twice: %d %v, want 409", status, out)
	}
	if status, out := f.do(t, "POST", fmt.Sprintf("/v1/alerts/%d/resume", alarm.ID), ""); status != http.StatusConflict {
		t.Errorf("resume an alarm that paused nothing: %d %v, want 409", status, out)
	}
	status, out = f.do(t, "POST", posts[2], "")
	if p, _ := out["automation"].(map[string]any); status != http.StatusOK || p["paused"] != false || p["resumed_by"] != "admin:test-admin" {
		t.Fatalf("admin resumes the type: %d %v", status, out)
	}
	if status, out := f.do(t, "POST", posts[2], ""); status != http.StatusConflict {
		t.Errorf("resume twice: %d %v, want 409", status, out)
	}
	for id, want := range map[int64]string{alarm.ID: "raised by system, acknowledged by admin:test-admin",
		pause.ID: "raised by system, paused by system, resolved by admin:test-admin, resumed by admin:test-admin"} {
		_, log, err := f.store.Alert(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Action+" by "+e.Actor)
		}
		if strings.Join(actions, ", ") != want {
			t.Errorf("alert %d log %v, want %s", id, actions, want)
		}
	}
}

// TestAlertInputIsRefusedNamingTheField checks bad thresholds in a policy
// and bad query or path values get 400 naming the field.
func TestAlertInputIsRefusedNamingTheField(t *testing.T) {
	f := setup(t)
	base := string(triage.DefaultPolicy().MarshalIndented())
	withKey := func(kv string) string { return strings.Replace(base, "{", "{"+kv+",", 1) }
	tests := []struct {
		name, method, path, body, field string
	}{
		{"precision above 1", "PUT", "/v1/policy", withKey(`"alarms":{"min_precision":1.2}`), "alarms.min_precision"},
		{"negative psi", "PUT", "/v1/policy", withKey(`"alarms":{"max_confidence_psi":-1}`), "alarms.max_confidence_psi"},
		{"no verdicts", "PUT", "/v1/policy", withKey(`"alarms":{"min_verdicts":0}`), "alarms.min_verdicts"},
		{"brake floor", "PUT", "/v1/policy", withKey(`"brake":{"tax_inconsistency":{"min_precision":1.5,"last":200}}`), "brake.tax_inconsistency.min_precision"},
		{"brake window", "PUT", "/v1/policy", withKey(`"brake":{"tax_inconsistency":{"min_precision":0.98,"last":0}}`), "brake.tax_inconsistency.last"},
		{"brake type", "PUT", "/v1/policy", withKey(`"brake":{"refunds":{"min_precision":0.98,"last":200}}`), "brake"},
		{"state", "GET", "/v1/alerts?state=closed", "", "state"},
		{"limit", "GET", "/v1/alerts?limit=0", "", "limit"},
		{"weeks", "GET", "/v1/alarms?weeks=99", "", "weeks"},
		{"alert id", "POST", "/v1/alerts/x/acknowledge", "", "id"},
		{"type", "POST", "/v1/automation/refunds/resume", "", "type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, out := f.do(t, tc.method, tc.path, tc.body)
			if status != http.StatusBadRequest || out["field"] != tc.field {
				t.Errorf("%s %s: %d field %v (%v), want 400 naming %s", tc.method, tc.path, status, out["field"], out["detail"], tc.field)
			}
		})
	}
	// A good group is taken and shown.
	status, out := f.putPolicy(t, withKey(`"alarms":{"min_precision":0.9},"brake":{"tax_inconsistency":{"min_precision":0.98,"last":200}}`))
	if status != http.StatusOK || !strings.Contains(fmt.Sprint(out["policy"]), "brake:map[tax_inconsistency:map[last:200 min_precision:0.98]]") {
		t.Errorf("a good policy: %d %v", status, out)
	}
}

// TestAlertsAreOnTheMetricsAndEveryPage checks an active alert shows as
// billtriage_alert_active, a pause as billtriage_automation_paused, and
// as the banner of the UI's pages.
func TestAlertsAreOnTheMetricsAndEveryPage(t *testing.T) {
	var m *api.Metrics
	f := setup(t, func(c *api.Config) {
		m = api.NewMetrics(c.Stats)
		m.WatchAlarms(c.Stats.(triage.AlarmStore))
		c.Metrics = m
	})
	before := metricsBody(t, f.srv.URL)
	for _, want := range []string{`billtriage_alert_active{kind="precision",type="tax_inconsistency"} 0`,
		`billtriage_automation_paused{type="tax_inconsistency"} 0`} {
		if !strings.Contains(before, want) {
			t.Errorf("/metrics before any alert lacks %s", want)
		}
	}
	f.raise(t, triage.KindPrecision)
	f.raise(t, triage.KindPaused)
	if status, _ := f.do(t, "POST", "/v1/exceptions", taxCase); status != http.StatusCreated {
		t.Fatal(status)
	}
	if _, err := f.svc.CheckAlarms(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := metricsBody(t, f.srv.URL)
	for _, want := range []string{`billtriage_alert_active{kind="precision",type="tax_inconsistency"} 1`,
		`billtriage_alert_active{kind="automation_paused",type="tax_inconsistency"} 1`,
		`billtriage_alert_active{kind="precision",type="usage_mismatch"} 0`,
		`billtriage_automation_paused{type="tax_inconsistency"} 1`,
		`billtriage_drift_value{kind="new_sources",type="tax_inconsistency"} 0`} {
		if !strings.Contains(after, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestAlertBannerIsOnEveryPage checks the UI's layout shows the active
// alerts to every signed-in role, and none once they are resolved.
func TestAlertBannerIsOnEveryPage(t *testing.T) {
	f := setupUI(t)
	now := time.Now().UTC()
	a, err := f.store.RaiseAlert(context.Background(), triage.Alert{Type: alarmType, Kind: triage.KindConfidencePSI, Week: triage.WeekLabel(now),
		Value: 0.4, Threshold: 0.25, Samples: 80, Message: "tax_inconsistency: confidence shift (PSI) 0.400 is above 0.250", RaisedAt: now, UpdatedAt: now},
		triage.Event{ID: "msg_banner", Type: triage.EventAlertRaised, At: now, Data: triage.EventData{Actor: "system"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []triage.Role{triage.RoleSupport, triage.RoleAdmin} {
		c := f.signIn(t, role)
		for _, page := range []string{"/ui/dashboard", "/ui/auto", "/ui/queues/support"} {
			status, body := c.get(page)
			if status != http.StatusOK {
				t.Fatalf("%s %s: %d", role, page, status)
			}
			mustContain(t, body, `class="alert-banner"`, "confidence shift (PSI) 0.400 is above 0.250", fmt.Sprintf(`data-alert="%d"`, a.ID))
		}
	}
	if _, err := f.store.ChangeAlert(context.Background(), a.ID, triage.AlertResolved, "system", now); err != nil {
		t.Fatal(err)
	}
	_, body := f.signIn(t, triage.RoleSupport).get("/ui/dashboard")
	mustNotContain(t, body, `class="alert-banner"`)
}

// TestBannerActionsAreAdminOnly checks the banner offers an admin, and
// only an admin, to resume a paused type, and that the UI's resume is
// refused to anyone else and audited for the admin.
func TestBannerActionsAreAdminOnly(t *testing.T) {
	f := setupUI(t)
	now := time.Now().UTC()
	_, a, err := f.store.PauseAutomation(context.Background(), triage.Pause{Type: alarmType, Paused: true,
		Reason: triage.PauseReason(0.93, 0.98, 200), Precision: 0.93, Floor: 0.98, Last: 200, PausedAt: now},
		triage.Alert{Type: alarmType, Kind: triage.KindPaused, Week: triage.WeekLabel(now), Value: 0.93, Threshold: 0.98, Samples: 200,
			Message: triage.PauseReason(0.93, 0.98, 200), RaisedAt: now, UpdatedAt: now},
		triage.Event{ID: "msg_ui_pause", Type: triage.EventAlertRaised, At: now, Data: triage.EventData{Actor: "system"}})
	if err != nil {
		t.Fatal(err)
	}
	resume := fmt.Sprintf("/ui/alerts/%d/resume", a.ID)
	support := f.signIn(t, triage.RoleSupport)
	_, body := support.get("/ui/dashboard")
	mustContain(t, body, "automation paused: precision 0.93 &lt; 0.98 over the last 200")
	mustNotContain(t, body, resume)
	if resp, _ := support.post(resume, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("support resumes from the UI: %d, want 403", resp.StatusCode)
	}
	admin := f.signIn(t, triage.RoleAdmin)
	_, body = admin.get("/ui/dashboard")
	mustContain(t, body, `action="`+resume+`"`)
	if resp, _ := admin.post(resume, nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/ui/dashboard" {
		t.Fatalf("admin resumes from the UI: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	got, log, err := f.store.Alert(context.Background(), a.ID)
	if err != nil || got.State != triage.AlertResolved || len(log) == 0 || log[len(log)-1].Action != triage.AutomationResumed ||
		!strings.HasPrefix(log[len(log)-1].Actor, "admin:") {
		t.Errorf("after the UI's resume: %+v, log %+v, %v", got, log, err)
	}
	_, body = admin.get("/ui/dashboard")
	mustNotContain(t, body, `class="alert-banner"`)
}
