package features_test

import (
	"testing"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

func TestExplain(t *testing.T) {
	scored := triage.Invoice{InvoiceID: "X", CustomerID: "C1", IssuedAt: day(95), DueAt: day(125), Amount: 12400,
		Currency: "USD", Region: "EMEA", Disputed: true}
	hist := []triage.Invoice{
		past("A", "C1", 1, 31, dayPtr(70), true),
		past("B", "C1", 10, 40, dayPtr(45), false),
		past("C", "C1", 20, 50, nil, false),
	}
	row := features.Build(scored, hist, 3, day(100), features.DefaultOptions())
	empty := features.Build(scored, nil, 0, day(100), features.Options{})
	elsewhere := scored
	elsewhere.Region, elsewhere.Currency = "Mars", "XTS"
	other := features.Build(elsewhere, nil, 0, day(100), features.Options{})
	tests := []struct {
		row  []float64
		name string
		want string
	}{
		{row, "amount_usd", "invoice amount 12,400 USD"},
		{row, "log_amount_usd", "invoice amount 12,400 USD"},
		{row, "terms_days", "payment terms of 30 days"},
		{row, "disputed", "the invoice is disputed"},
		{row, "open_exceptions", "3 open exceptions on the customer"},
		{empty, "open_exceptions", "no open exceptions on the customer"},
		{row, "hist_known", "customer has 3 past invoices with a known outcome"},
		{row, "hist_late_share", "customer was late on 2 of 3 past invoices"},
		{empty, "hist_late_share", "customer has no payment history yet"},
		{empty, "hist_known", "customer has no payment history yet"},
		{empty, "hist_mean_days_late", "customer has no payment history yet"},
		{row, "hist_late_x_known", "customer was late on 2 of 3 past invoices"},
		{empty, "hist_late_x_known", "customer has no payment history yet"},
		{row, "amount_vs_usual", "invoice amount is 122.8 times the customer's usual"},
		{empty, "amount_vs_usual", "invoice amount is the customer's usual, or the customer has no earlier invoice"},
		{row, "hist_mean_days_late", "customer's past invoices were 31.3 days late on average"},
		{row, "hist_dispute_share", "customer disputed 1 of 2 settled past invoices"},
		{row, "hist_overdue", "1 past invoice of the customer still unpaid and already late"},
		{row, "hist_none", "customer has a payment history"},
		{empty, "hist_none", "customer has no payment history yet"},
		{row, "region_EMEA", "region is EMEA"},
		{row, "region_NA", "region is EMEA"},
		{row, "region_other", "region is EMEA"},
		{row, "currency_other", "currency is USD"},
		{other, "region_EMEA", "region is none of NA, EMEA, APAC, LATAM"},
		{other, "currency_USD", "currency is none of USD, EUR, GBP, CAD, AUD, JPY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := features.Explain(tt.row, col(t, tt.name)); got != tt.want {
				t.Errorf("Explain = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExplainOutOfRange(t *testing.T) {
	row := make([]float64, features.NumFeatures)
	for _, i := range []int{-1, features.NumFeatures} {
		if got := features.Explain(row, i); got != "" {
			t.Errorf("Explain(row, %d) = %q, want empty", i, got)
		}
	}
	if got := features.Explain(row[:3], 0); got != "" {
		t.Errorf("Explain on a short row = %q, want empty", got)
	}
}

func TestGroup(t *testing.T) {
	tests := []struct{ column, group string }{
		{"amount_usd", "amount"}, {"log_amount_usd", "amount"}, {"disputed", "disputed"},
		{"hist_late_share", "hist_late_share"}, {"hist_late_x_known", "hist_late_share"},
		{"amount_vs_usual", "amount_vs_usual"}, {"region_LATAM", "region"}, {"region_other", "region"},
		{"currency_USD", "currency"}, {"currency_other", "currency"},
	}
	for _, tt := range tests {
		if got := features.Group(col(t, tt.column)); got != tt.group {
			t.Errorf("Group(%s) = %q, want %q", tt.column, got, tt.group)
		}
	}
	if got := features.Group(features.NumFeatures); got != "" {
		t.Errorf("Group out of range = %q", got)
	}
}
