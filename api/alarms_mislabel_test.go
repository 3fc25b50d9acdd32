package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/triage"
)

// alarmType is the type whose labels the generated drift changes.
const alarmType = triage.TaxInconsistency

// alarmWorld is a generated history whose tax labels drift for its last
// two weeks: the older records are the history, the newer tax records are
// the items triaged after it.
type alarmWorld struct {
	history []triage.Resolution
	// after are the tax records from the drift's date on, with the
	// labels people give them then.
	after []dataset.Record
}

// newAlarmWorld generates 60 days of history whose last 15 days give a
// share rate of the tax records a sibling cause's label.
func newAlarmWorld(t *testing.T, rate float64) alarmWorld {
	t.Helper()
	end := time.Now().UTC().Truncate(time.Second)
	cfg := generate.Config{Seed: 11, Exceptions: 3000, Invoices: 600, Days: 60, End: end}
	at := end.AddDate(0, 0, -15)
	if rate > 0 {
		cfg.Mislabel = generate.Mislabel{After: at, Type: string(alarmType), MislabelRate: rate}
	}
	recs, _, err := generate.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var w alarmWorld
	for _, r := range recs {
		switch {
		case r.OccurredAt.Before(at):
			if h, ok := r.HistoryResolution(); ok {
				w.history = append(w.history, h)
			}
		case r.Type == string(alarmType) && r.Resolution != nil:
			w.after = append(w.after, r)
		}
	}
	return w
}

// putPolicyWith puts the default policy in force with extra keys, as an
// admin, the governed way (a preview, then the change).
func (f *fixture) putPolicyWith(t *testing.T, extra map[string]any) {
	t.Helper()
	var pol map[string]any
	if err := json.Unmarshal(triage.DefaultPolicy().MarshalIndented(), &pol); err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		pol[k] = v
	}
	body, _ := json.Marshal(pol)
	if status, out := f.putPolicy(t, string(body)); status != http.StatusOK {
		t.Fatalf("PUT /v1/policy: %d %v", status, out)
	}
}

// triageAndReview submits recs and has a person resolve each automated
// one with the record's label, as reviewers confirm or correct the
// automation. It returns how many were automated and how many of those
// people agreed with.
func (f *fixture) triageAndReview(t *testing.T, recs []dataset.Record) (auto, agreed int) {
	t.Helper()
	ctx := context.Background()
	reviewer := triage.System("reviewer")
	exs := make([]triage.Exception, len(recs))
	for i, r := range recs {
		exs[i] = r.Exception()
	}
	subs, err := f.svc.Submit(ctx, triage.System("intake"), exs)
	if err != nil {
		t.Fatal(err)
	}
	whys := map[triage.Why]int{}
	defer func() { t.Logf("held: %v", whys) }()
	for i, sub := range subs {
		if sub.Decision == nil || sub.Decision.Outcome != triage.OutcomeAuto {
			for _, w := range sub.Decision.Why {
				whys[w]++
			}
			continue
		}
		auto++
		label := recs[i].Resolution
		in := triage.ResolutionInput{Verdict: triage.VerdictEdit, RootCause: label.RootCause, Action: label.Action}
		if label.RootCause == sub.Decision.RootCause && label.Action == sub.Decision.Action {
			in, agreed = triage.ResolutionInput{Verdict: triage.VerdictAccept}, agreed+1
		}
		if _, _, err := f.svc.Resolve(ctx, reviewer, sub.Exception.ID, in); err != nil {
			t.Fatalf("resolve %d: %v", sub.Exception.ID, err)
		}
	}
	return auto, agreed
}

// events is a Connector that keeps the events it was given.
type events struct {
	mu  sync.Mutex
	got []triage.Event
}

func (e *events) Deliver(_ context.Context, _ triage.Endpoint, ev triage.Event) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, ev)
	return nil
}

func (e *events) alerts() []triage.Alert {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []triage.Alert
	for _, ev := range e.got {
		if ev.Type == triage.EventAlertRaised && ev.Data.Alert != nil {
			out = append(out, *ev.Data.Alert)
		}
	}
	return out
}

// TestGeneratedMislabelsRaiseTheAlarmAndTheBrakePausesTheType runs the
// pipeline on a generated history whose tax labels drift: the
// automated tax decisions people then correct raise the precision alarm
// (in GET /v1/alerts, as an alert.raised event and on /metrics), the
// brake pauses tax automation, a new tax item is queued with the reason
// while another type is not, and an admin's resume lifts it, audited.
// The same world without the drift raises no precision alarm.
func TestGeneratedMislabelsRaiseTheAlarmAndTheBrakePausesTheType(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rate  float64
		alarm bool
	}{{"without drift", 0, false}, {"with drift", 0.6, true}} {
		t.Run(tc.name, func(t *testing.T) {
			runAlarms(t, tc.rate, tc.alarm)
		})
	}
}

func runAlarms(t *testing.T, rate float64, wantAlarm bool) {
	ctx := context.Background()
	w := newAlarmWorld(t, rate)
	if len(w.after) < 60 {
		t.Fatalf("only %d tax records after the drift's date", len(w.after))
	}
	f := setup(t)
	hook := &events{}
	startRunner(t, f.store, hook)
	if status, out := f.do(t, "POST", "/v1/webhooks", `{"url":"https://example.com/hook","events":["alert.raised"]}`); status != http.StatusCreated {
		t.Fatalf("webhook: %d %v", status, out)
	}
	if err := f.svc.ImportHistory(ctx, w.history); err != nil {
		t.Fatal(err)
	}
	// The kNN vote (the fixture has no classifier) is rarely sure on its
	// own: a loose tax threshold gives the brake enough automation to judge.
	f.putPolicyWith(t, map[string]any{"type_thresholds": map[string]any{"other": 1.01, string(alarmType): 0.3}, "min_informativeness": 0,
		"alarms": map[string]any{"min_verdicts": 20},
		"brake":  map[string]any{string(alarmType): map[string]any{"min_precision": 0.9, "last": 20}}})
	held, fresh := w.after[len(w.after)-3:], w.after[:len(w.after)-3]
	auto, agreed := f.triageAndReview(t, fresh)
	t.Logf("drift %.1f: %d tax items, %d automated, people agreed with %d", rate, len(fresh), auto, agreed)
	if auto < 20 {
		t.Fatalf("only %d automated tax items: too few for the brake's window", auto)
	}

	// The brake acts on the verdict that breaks its floor, before any
	// drift check.
	pauses, err := f.svc.Automation(ctx, triage.System("test"))
	if err != nil {
		t.Fatal(err)
	}
	if paused := slices.ContainsFunc(pauses, func(p triage.Pause) bool { return p.Type == alarmType && p.Paused }); paused != wantAlarm {
		t.Errorf("after the verdicts, %s paused %v, want %v (%+v)", alarmType, paused, wantAlarm, pauses)
	}
	start := time.Now()
	rep, err := f.svc.CheckAlarms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("drift check: %d measures in %s", len(rep.Measures), time.Since(start).Round(time.Millisecond))
	active, err := f.svc.Alerts(ctx, triage.System("test"), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	raised := map[triage.AlertKind]triage.Alert{}
	for _, a := range active {
		if a.Type == alarmType {
			raised[a.Kind] = a
		}
	}
	_, precisionAlarm := raised[triage.KindPrecision]
	_, paused := raised[triage.KindPaused]
	if precisionAlarm != wantAlarm || paused != wantAlarm {
		t.Fatalf("precision alarm %v, paused %v, want %v: %+v", precisionAlarm, paused, wantAlarm, active)
	}
	if !wantAlarm {
		f.assertNotHeld(t, held[0])
		return
	}
	f.assertAlertListed(t, raised[triage.KindPrecision])
	f.assertAlertEvents(t, hook, raised)
	pause := raised[triage.KindPaused]
	if !strings.HasPrefix(pause.Message, "automation paused: precision ") || !strings.Contains(pause.Message, "< 0.90 over the last 20") {
		t.Errorf("pause message %q", pause.Message)
	}

	// Paused: a new tax item waits for a person, saying why; another
	// type is decided as before.
	d := f.triageOne(t, held[0])
	if d.Outcome != triage.OutcomeQueue || !slices.Contains(d.Why, triage.WhyPaused) || !hasReason(d, "automation paused: precision ") {
		t.Errorf("a tax item while paused: outcome %s, why %v, reasons %v", d.Outcome, d.Why, d.Reasons)
	}
	other := triage.Exception{Source: "test", ExternalID: "usage-1", Type: triage.UsageMismatch, Text: "usage events double counted for meter api_calls",
		OccurredAt: time.Now().UTC()}
	subs, err := f.svc.Submit(ctx, triage.System("intake"), []triage.Exception{other})
	if err != nil {
		t.Fatal(err)
	}
	if hasReason(*subs[0].Decision, "automation paused") {
		t.Errorf("a usage item was held by the tax pause: %v", subs[0].Decision.Reasons)
	}

	// Only an admin resumes; the resume is audited and lifts the hold.
	for _, role := range []triage.Role{triage.RoleTax, triage.RoleAnalyst, triage.RoleFinance} {
		f.as = f.keys[role]
		if status, out := f.do(t, "POST", fmt.Sprintf("/v1/alerts/%d/resume", pause.ID), ""); status != http.StatusForbidden {
			t.Errorf("%s resumes: %d %v", role, status, out)
		}
	}
	f.as = f.keys[triage.RoleAdmin]
	status, out := f.do(t, "POST", fmt.Sprintf("/v1/alerts/%d/resume", pause.ID), "")
	if status != http.StatusOK {
		t.Fatalf("admin resumes: %d %v", status, out)
	}
	f.assertResumeAudited(t, pause.ID)
	f.assertNotHeld(t, held[1])
	// The verdicts that paused it do not pause it again.
	rep, err = f.svc.CheckAlarms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range rep.Raised {
		if a.Kind == triage.KindPaused {
			t.Errorf("paused again by the old verdicts: %+v", a)
		}
	}
}

// triageOne submits rec and returns its decision.
func (f *fixture) triageOne(t *testing.T, rec dataset.Record) triage.Decision {
	t.Helper()
	subs, err := f.svc.Submit(context.Background(), triage.System("intake"), []triage.Exception{rec.Exception()})
	if err != nil {
		t.Fatal(err)
	}
	return *subs[0].Decision
}

// assertNotHeld checks a new item of the drifting type is not held by a
// pause.
func (f *fixture) assertNotHeld(t *testing.T, rec dataset.Record) {
	t.Helper()
	if d := f.triageOne(t, rec); slices.Contains(d.Why, triage.WhyPaused) || hasReason(d, "automation paused") {
		t.Errorf("a tax item was held by a pause: %v", d.Reasons)
	}
}

func hasReason(d triage.Decision, prefix string) bool {
	return slices.ContainsFunc(d.Reasons, func(r string) bool { return strings.HasPrefix(r, prefix) })
}

// assertAlertListed checks GET /v1/alerts lists a as open, to every role.
func (f *fixture) assertAlertListed(t *testing.T, a triage.Alert) {
	t.Helper()
	defer func(as string) { f.as = as }(f.as)
	f.as = f.keys[triage.RoleSupport]
	status, out := f.do(t, "GET", "/v1/alerts", "")
	if status != http.StatusOK {
		t.Fatalf("GET /v1/alerts: %d %v", status, out)
	}
	list, _ := out["alerts"].([]any)
	for _, it := range list {
		m, _ := it.(map[string]any)
		if m["id"] == float64(a.ID) {
			if m["state"] != "open" || m["kind"] != "precision" || m["type"] != string(alarmType) || m["value"].(float64) >= 0.95 {
				t.Errorf("listed alert %v", m)
			}
			return
		}
	}
	t.Errorf("alert %d not in GET /v1/alerts: %v", a.ID, list)
}

// assertAlertEvents waits for the alert.raised events of raised to reach
// the webhook.
func (f *fixture) assertAlertEvents(t *testing.T, hook *events, raised map[triage.AlertKind]triage.Alert) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		got := map[int64]bool{}
		for _, a := range hook.alerts() {
			got[a.ID] = true
		}
		missing := 0
		for _, a := range raised {
			if !got[a.ID] {
				missing++
			}
		}
		if missing == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d alert.raised events not delivered after 45 s", missing, len(raised))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// assertResumeAudited checks the pause's alert is resolved by the admin
// and its log says who resumed it.
func (f *fixture) assertResumeAudited(t *testing.T, id int64) {
	t.Helper()
	status, out := f.do(t, "GET", fmt.Sprintf("/v1/alerts/%d", id), "")
	if status != http.StatusOK {
		t.Fatalf("GET alert: %d %v", status, out)
	}
	a, _ := out["alert"].(map[string]any)
	if a["state"] != "resolved" || !strings.HasPrefix(fmt.Sprint(a["resolved_by"]), "admin:") {
		t.Errorf("after resume, alert %v", a)
	}
	var actions []string
	log, _ := out["log"].([]any)
	for _, it := range log {
		m, _ := it.(map[string]any)
		actions = append(actions, fmt.Sprint(m["action"], " by ", m["actor"]))
	}
	want := []string{"raised by system", "paused by system", "resolved by admin:test-admin", "resumed by admin:test-admin"}
	if !slices.Equal(actions, want) {
		t.Errorf("alert log %v, want %v", actions, want)
	}
}

// metricsBody scrapes /metrics.
func metricsBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return string(raw)
}
