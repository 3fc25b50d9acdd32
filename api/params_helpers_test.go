package api_test

import (
	"fmt"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// Parameter provenance fixtures: a history whose resolutions of one action
// record the case's own invoice, amount and entity, so the service learns
// that those parameters come from the case (the invoice_id and amount
// fields, the entity attribute) and that the text states the invoice too.
const (
	creditAction = "credit_price_difference"
	creditCause  = "contract_price_not_applied"
)

// creditHistory is n resolved pricing discrepancies whose parameters are
// their case's facts. Facts are set as the import path sets them from a
// dataset record: without them no case source can be learned.
func creditHistory(n int) []triage.Resolution {
	at := time.Now().Add(-96 * time.Hour)
	var hs []triage.Resolution
	for i := range n {
		amount := 100 + 37.5*float64(i)
		inv, entity := fmt.Sprintf("INV-5%03d", i), fmt.Sprintf("UK%02d", i%4+1)
		attrs := map[string]any{"entity": entity}
		hs = append(hs, triage.Resolution{ExternalID: fmt.Sprint("credit-", i), Type: triage.PricingDiscrepancy,
			Text:      fmt.Sprintf("Invoice %s was billed at list price although the contract rate applies; credit the difference to the customer.", inv),
			RootCause: creditCause, Action: creditAction, Queue: triage.QueueFinance,
			Params:     map[string]any{"invoice_id": inv, "amount": amount, "entity": entity},
			Attributes: attrs,
			Facts:      &triage.Facts{InvoiceID: inv, Amount: &amount, Currency: "EUR", Attributes: attrs},
			OccurredAt: at, ResolvedAt: at.Add(3 * time.Hour)})
	}
	return hs
}

// creditCase is a new pricing discrepancy on invoice; its text names
// textInvoice, which disagrees with the field when they differ.
func creditCase(invoice, textInvoice string, amount float64) triage.Exception {
	return triage.Exception{Source: "billing", ExternalID: "credit-new-" + invoice, Type: triage.PricingDiscrepancy,
		Text:      fmt.Sprintf("Invoice %s was billed at list price although the contract rate applies; credit the difference to the customer.", textInvoice),
		InvoiceID: invoice, Amount: &amount, Currency: "EUR", Attributes: map[string]any{"entity": "UK02"},
		OccurredAt: time.Now().Add(-time.Hour)}
}
