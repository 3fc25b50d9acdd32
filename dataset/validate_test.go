package dataset_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	farFuture := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		edit  func(*dataset.Record)
		field string // "" means valid
	}{
		{"valid", func(*dataset.Record) {}, ""},
		{"minimal", func(r *dataset.Record) {
			*r = dataset.Record{ID: "x", OccurredAt: r.OccurredAt, Type: "other", Text: "t"}
		}, ""},
		{"negative amount is a credit", func(r *dataset.Record) { v := -1e6; r.Amount = &v }, ""},
		{"free root cause code", func(r *dataset.Record) { r.Resolution.RootCause = "my_own_code" }, ""},
		{"empty queue allowed", func(r *dataset.Record) { r.Resolution.Queue = "" }, ""},
		{"missing id", func(r *dataset.Record) { r.ID = " " }, "id"},
		{"missing occurred_at", func(r *dataset.Record) { r.OccurredAt = time.Time{} }, "occurred_at"},
		{"unencodable occurred_at", func(r *dataset.Record) { r.OccurredAt = farFuture }, "occurred_at"},
		{"unknown type", func(r *dataset.Record) { r.Type = "usage" }, "type"},
		{"blank text", func(r *dataset.Record) { r.Text = "\n\t" }, "text"},
		{"NaN amount", func(r *dataset.Record) { r.Amount = &nan }, "amount"},
		{"Inf amount", func(r *dataset.Record) { r.Amount = &inf }, "amount"},
		{"lowercase currency", func(r *dataset.Record) { r.Currency = "eur" }, "currency"},
		{"long currency", func(r *dataset.Record) { r.Currency = "EURO" }, "currency"},
		{"text over the service's limit", func(r *dataset.Record) { r.Text = strings.Repeat("a", triage.MaxTextBytes+1) }, "text"},
		{"invalid UTF-8", func(r *dataset.Record) { r.Text = "caf\xe9" }, "text"},
		{"long source", func(r *dataset.Record) { r.Source = strings.Repeat("s", triage.MaxIDBytes+1) }, "source"},
		{"missing root cause", func(r *dataset.Record) { r.Resolution.RootCause = "" }, "resolution.root_cause"},
		{"missing action", func(r *dataset.Record) { r.Resolution.Action = "" }, "resolution.action"},
		{"unknown queue", func(r *dataset.Record) { r.Resolution.Queue = "legal" }, "resolution.queue"},
		{"unencodable resolved_at", func(r *dataset.Record) { r.Resolution.ResolvedAt = &farFuture }, "resolution.resolved_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := validRecord("EXC-1")
			tt.edit(&rec)
			err := dataset.Validate(rec)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var le *dataset.LineError
			if !errors.As(err, &le) {
				t.Fatalf("Validate() = %v, want a *LineError", err)
			}
			if le.Field != tt.field || le.Line != 0 || le.Msg == "" {
				t.Errorf("Validate() = %+v, want field %q on line 0 with a message", le, tt.field)
			}
		})
	}
}

func TestValidateInvoice(t *testing.T) {
	issued := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	nan := math.NaN()
	tests := []struct {
		name  string
		edit  func(*triage.Invoice)
		field string
	}{
		{"valid", func(*triage.Invoice) {}, ""},
		{"credit note", func(i *triage.Invoice) { i.Amount = -40 }, ""},
		{"missing id", func(i *triage.Invoice) { i.InvoiceID = "" }, "invoice_id"},
		{"missing customer", func(i *triage.Invoice) { i.CustomerID = "" }, "customer_id"},
		{"missing issued_at", func(i *triage.Invoice) { i.IssuedAt = time.Time{} }, "issued_at"},
		{"missing due_at", func(i *triage.Invoice) { i.DueAt = time.Time{} }, "due_at"},
		{"due before issue", func(i *triage.Invoice) { i.DueAt = issued.AddDate(0, 0, -1) }, "due_at"},
		{"NaN amount", func(i *triage.Invoice) { i.Amount = nan }, "amount"},
		{"bad currency", func(i *triage.Invoice) { i.Currency = "" }, "currency"},
		{"zero paid_at", func(i *triage.Invoice) { i.PaidAt = &time.Time{} }, "paid_at"},
		{"extra clashes", func(i *triage.Invoice) { i.Extra = map[string]string{"Region": "x"} }, "Region"},
		{"extra padded", func(i *triage.Invoice) { i.Extra = map[string]string{" plan": "x"} }, " plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := triage.Invoice{
				InvoiceID: "INV-1", CustomerID: "C-1", IssuedAt: issued, DueAt: issued.AddDate(0, 0, 30),
				Amount: 100, Currency: "USD", Extra: map[string]string{"plan": "growth"},
			}
			tt.edit(&inv)
			err := dataset.ValidateInvoice(inv)
			var le *dataset.LineError
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("ValidateInvoice() = %v, want nil", err)
			case tt.field != "" && (!errors.As(err, &le) || le.Field != tt.field):
				t.Fatalf("ValidateInvoice() = %v, want field %q", err, tt.field)
			}
		})
	}
}
