package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// The formatting helpers are unexported template functions, so they are
// tested from inside the package.

func TestMoney(t *testing.T) {
	amount := func(v float64) *float64 { return &v }
	tests := []struct {
		amount   *float64
		currency string
		want     string
	}{
		{nil, "USD", "—"},
		{amount(0), "USD", "0.00 USD"},
		{amount(999.5), "EUR", "999.50 EUR"},
		{amount(48000), "USD", "48,000.00 USD"},
		{amount(1234567.891), "", "1,234,567.89"},
		{amount(-1250), "GBP", "−1,250.00 GBP"},
	}
	for _, tc := range tests {
		if got := money(tc.amount, tc.currency); got != tc.want {
			t.Errorf("money(%v, %q) = %q, want %q", tc.amount, tc.currency, got, tc.want)
		}
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "<1m"},
		{59 * time.Second, "<1m"},
		{12 * time.Minute, "12m"},
		{5*time.Hour + 12*time.Minute, "5h 12m"},
		{30 * time.Hour, "1d 6h"},
		{75*24*time.Hour + 3*time.Hour, "75d 3h"},
	}
	for _, tc := range tests {
		if got := duration(tc.d); got != tc.want {
			t.Errorf("duration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestValueAndCount(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{value(0.9411764705882353), "0.941"},
		{value(48000.0), "48000"},
		{value("4010-SaaS"), "4010-SaaS"},
		{value(nil), "—"},
		{value(map[string]any{"gl": "4010"}), `{"gl":"4010"}`},
		{count(0), "0"},
		{count(1234567), "1,234,567"},
		{count(-4200), "−4,200"},
		{excerpt("a  b\n\nc", 10), "a b c"},
		{excerpt("We were charged twice", 10), "We were ch…"},
		{pct(0.3333), "33.3%"},
	}
	for i, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("case %d: %q, want %q", i, tc.got, tc.want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct {
		next, want string
	}{
		{"", "/ui/"},
		{"/ui/queues/finance?type=other", "/ui/queues/finance?type=other"},
		{"https://evil.example/ui/", "/ui/"},
		{"//evil.example/ui/", "/ui/"},
		{"/ui/login?next=/ui/", "/ui/"},
		{"/ui/\\evil", "/ui/"},
		{"/v1/exceptions", "/ui/"},
	}
	for _, tc := range tests {
		if got := safeNext(tc.next); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.next, got, tc.want)
		}
	}
}

func TestSourceWords(t *testing.T) {
	tests := []struct {
		sp          triage.SuggestedParam
		words, from string
	}{
		{triage.SuggestedParam{Source: triage.SourceCase, From: "attributes.entity"}, "from the case (attributes.entity)", ""},
		{triage.SuggestedParam{Source: triage.SourceText, From: "text"}, "read from the text", ""},
		{triage.SuggestedParam{Source: triage.SourceMapping, From: "corrections.gl_account", Confidence: 0.966, Evidence: 1204},
			"mapping (1,204 cases, confidence 0.97)", "corrections.gl_account"},
		{triage.SuggestedParam{Source: triage.SourceMapping, From: "corrections.account_id", Confidence: 0.5, Evidence: 1},
			"mapping (1 case, confidence 0.50)", "corrections.account_id"},
		{triage.SuggestedParam{Source: triage.SourcePrecedent, From: "precedents"}, "same in nearly every precedent", ""},
		{triage.SuggestedParam{Source: triage.SourcePolicy, From: "policy param_defaults"}, "set by the policy (param_defaults)", ""},
		// A source this UI does not know yet is shown as the domain names it.
		{triage.SuggestedParam{Source: "oracle", From: "somewhere"}, "oracle", "somewhere"},
	}
	for _, tc := range tests {
		if words, from := sourceWords(tc.sp); words != tc.words || from != tc.from {
			t.Errorf("sourceWords(%+v) = %q, %q; want %q, %q", tc.sp, words, from, tc.words, tc.from)
		}
	}
}

func TestParamRowsKeepParametersWithoutSource(t *testing.T) {
	// A decision stored before provenance was kept has params only; the
	// panel must still show what accepting it would record.
	rows := paramRows(map[string]any{"gl_account": "4010-SaaS", "amount": 12.5},
		map[string]triage.SuggestedParam{"amount": {Value: 12.5, Source: triage.SourceCase, From: "amount", Confidence: 0.9, Evidence: 10, Required: true, TextSays: "13.50"}})
	if len(rows) != 2 || rows[0].Name != "amount" || rows[1].Name != "gl_account" {
		t.Fatalf("rows %+v, want amount then gl_account", rows)
	}
	if a := rows[0]; !a.Known || a.Value != "12.5" || a.Source != "from the case (amount)" || !a.Required || a.TextSays != "13.50" || a.Evidence != 10 {
		t.Errorf("amount row %+v", a)
	}
	if g := rows[1]; g.Known || g.Value != "4010-SaaS" || g.Source != "not recorded (decided before sources were kept)" {
		t.Errorf("gl_account row %+v", g)
	}
}

func TestParamFieldsNeverShowJSON(t *testing.T) {
	got := paramFields(map[string]any{
		"amount":      120.5,
		"corrections": []any{map[string]any{"field": "account_id", "key": "acct_217", "from": "C-1", "to": "C-2"}},
		"lines":       []any{"L1", "L2"},
		"target":      map[string]any{"entity": "UK02", "ids": []any{map[string]any{"n": 1.0}}},
	})
	var lines []string
	for _, f := range got {
		if c := f.Correction; c != nil {
			lines = append(lines, fmt.Sprintf("%s: %s %s %s->%s", f.Name, c.Field, c.Key, c.From, c.To))
			continue
		}
		lines = append(lines, f.Name+"="+f.Value)
	}
	want := []string{"amount=120.5", "corrections: account_id acct_217 C-1->C-2", "lines=L1, L2", "target.entity=UK02", "target.ids[0].n=1"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("paramFields:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// A malformed corrections list is still shown, as plain fields.
	if got := paramFields(map[string]any{"corrections": "n/a"}); len(got) != 1 || got[0].Value != "n/a" {
		t.Errorf("malformed corrections: %+v", got)
	}
}
