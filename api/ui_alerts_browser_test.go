package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/billtriage/billtriage/triage"
)

// TestAlertBannerInBrowser shows the banner in Chromium while the brake
// holds tax automation and a precision alarm is open: an admin sees both
// with their buttons, the page stays within a 1,280 px viewport, and the
// Resume button lifts the pause (screenshots alerts-banner and
// alerts-resumed).
func TestAlertBannerInBrowser(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	f := setupUI(t)
	ctx := context.Background()
	now := time.Now().UTC()
	reason := triage.PauseReason(0.93, 0.98, 200)
	_, pause, err := f.store.PauseAutomation(ctx, triage.Pause{Type: alarmType, Paused: true, Reason: reason, Precision: 0.93, Floor: 0.98,
		Last: 200, PausedAt: now}, triage.Alert{Type: alarmType, Kind: triage.KindPaused, Week: triage.WeekLabel(now), Value: 0.93,
		Threshold: 0.98, Samples: 200, Message: reason + "; an admin must resume it", RaisedAt: now, UpdatedAt: now},
		triage.Event{ID: "msg_browser_pause", Type: triage.EventAlertRaised, At: now, Data: triage.EventData{Actor: "system"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.RaiseAlert(ctx, triage.Alert{Type: alarmType, Kind: triage.KindPrecision, Week: triage.WeekLabel(now), Value: 0.93,
		Threshold: 0.95, Samples: 240, Message: "tax_inconsistency, " + triage.WeekLabel(now) + ": realised precision 0.93 is below 0.95 (223 of 240 automated decisions with a verdict were right)",
		RaisedAt: now, UpdatedAt: now}, triage.Event{ID: "msg_browser_precision", Type: triage.EventAlertRaised, At: now, Data: triage.EventData{Actor: "system"}}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, bin, f.srv.URL)
	tab := b.tab(t)
	tab.do(chromedp.EmulateViewport(1280, 800))
	tab.signIn(f.keys[triage.RoleAdmin], "")
	tab.open("/ui/dashboard", 200)
	tab.waitFor(".alert-banner", "alerts-banner")
	tab.mustSee(".alert-banner", "2 active alerts", reason, "realised precision 0.93 is below 0.95", "Resume tax_inconsistency", "Acknowledge")
	if got := tab.eval(`document.scrollingElement.scrollWidth <= window.innerWidth`); got != "true" {
		t.Errorf("the banner widens the page past 1,280 px: %s", tab.eval(overflowing))
	}
	tab.click(fmt.Sprintf(`form[action="/ui/alerts/%d/resume"] button`, pause.ID), 200)
	tab.waitFor("main", "alerts-resumed")
	tab.mustSee(".alert-banner", "1 active alert:", "realised precision 0.93")
	tab.mustNotSee(".alert-banner", "automation paused")
	ps, err := f.svc.Automation(ctx, triage.System("test"))
	if err != nil || len(ps) != 1 || ps[0].Paused || ps[0].ResumedBy != "admin:test-admin" {
		t.Errorf("after the browser's resume: %+v, %v", ps, err)
	}
}
