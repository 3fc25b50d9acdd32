package api_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func TestDashboard(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleAnalyst)
	// One resolution, so the resolution times are measured.
	admin := f.signIn(t, triage.RoleAdmin)
	admin.get(exceptionPath(f.finance[0]))
	if resp, _ := admin.post(exceptionPath(f.finance[0])+"/resolution", url.Values{"verdict": {"accept"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", resp.StatusCode)
	}
	tests := []struct {
		query  string
		status int
		want   []string
	}{
		{"", http.StatusOK, []string{
			`<option value="30" selected>Last 30 days</option>`,
			// 3 received: 2 ERP failures and a dispute; none automatic.
			`<span class="kpi-label">Received</span><span class="kpi-value">3</span>`,
			`<span class="kpi-label">Auto-enrichment rate</span><span class="kpi-value">0.0%</span>`,
			`<span class="kpi-label">Manual touch rate</span><span class="kpi-value">33.3%</span>`,
			`<span class="kpi-label">Dispute share</span><span class="kpi-value">33.3%</span>`,
			`<span class="kpi-label">ERP posting failures</span><span class="kpi-value">66.7%</span>`,
			`<svg class="chart"`, `ERP posting failure <span class="muted">2</span>`,
			`Billing dispute <span class="muted">1</span>`,
		}},
		{"?days=7", http.StatusOK, []string{`<option value="7" selected>Last 7 days</option>`}},
		{"?days=14", http.StatusOK, []string{`<option value="14" selected>Last 14 days</option>`}},
		{"?days=0", http.StatusBadRequest, []string{"days: must be a whole number"}},
		{"?days=many", http.StatusBadRequest, []string{"days: must be a whole number"}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			status, body := c.get("/ui/dashboard" + tc.query)
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			mustContain(t, body, tc.want...)
		})
	}
	t.Run("charts", func(t *testing.T) {
		_, body := c.get("/ui/dashboard?days=7")
		// Seven day columns; today's holds all three exceptions in two
		// series, so two stacked segments.
		if n := len(regexp.MustCompile(`<rect class="series-\d"`).FindAllString(body, -1)); n != 2 {
			t.Errorf("%d volume segments, want 2", n)
		}
		// One bar per queue; the finance queue has its remaining item.
		if n := len(regexp.MustCompile(`<rect class="bar"`).FindAllString(body, -1)); n != len(triage.Queues) {
			t.Errorf("%d queue bars, want %d", n, len(triage.Queues))
		}
		mustContain(t, body, "<title>Finance: 1 · oldest")
	})
}
