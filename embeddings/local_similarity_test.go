package embeddings_test

import (
	"testing"
)

// TestLocalSimilarityOrdering checks that each anchor is closer to a
// paraphrase of the same billing problem than to a different problem.
func TestLocalSimilarityOrdering(t *testing.T) {
	tests := []struct {
		name              string
		anchor, near, far string
	}{
		{
			"erp posting",
			"ERP posting failed: GL account missing for SKU X",
			"GL mapping missing, ERP rejected posting",
			"customer disputes duplicate charge on invoice",
		},
		{
			"duplicate charge",
			"Customer disputes duplicate charge on invoice INV-2041",
			"Client says they were charged twice, duplicate charge on INV-7730",
			"Tax calculation mismatch: VAT rate 19% applied instead of 7%",
		},
		{
			"expired card",
			"Card payment declined: card expired",
			"Payment failed because the credit card has expired",
			"Proration credit not applied after plan downgrade",
		},
		{
			"proration",
			"Proration credit not applied after plan downgrade",
			"Downgraded plan mid-cycle but no prorated credit issued",
			"Card payment declined: card expired",
		},
		{
			"typos",
			"Card payment declined: card expired",
			"paymnet declined, card expried",
			"Payment received, invoice marked paid",
		},
		{
			"tax",
			"Sales tax not calculated for customer in Texas",
			"No sales tax computed on Texas invoice",
			"Usage overage billed at wrong tier price",
		},
	}
	l := newLocal(t, 512)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, n := embedPair(t, l, tt.anchor, tt.near)
			_, f := embedPair(t, l, tt.anchor, tt.far)
			near, far := cosine(a, n), cosine(a, f)
			if near <= far+0.1 {
				t.Errorf("cos(anchor, near) = %.3f, cos(anchor, far) = %.3f; want near clearly larger", near, far)
			}
		})
	}
}

// TestLocalIdentifiersDoNotDominate checks that two reports of the same
// problem about different invoices and amounts match far better than two
// reports about the same invoice and amount with different problems.
func TestLocalIdentifiersDoNotDominate(t *testing.T) {
	tests := []struct {
		name                         string
		anchor, sameProblem, sameIDs string
	}{
		{
			"invoice and amount",
			"Invoice INV-2041 for $1,200.00 failed to post to ERP",
			"Invoice INV-9931 for $87.13 failed to post to ERP",
			"Invoice INV-2041 for $1,200.00: customer disputes the charge",
		},
		{
			"long ids and dates",
			"Refund 8812734411 of 49.99 EUR on 2024-03-15 stuck in pending",
			"Refund 1029384756 of 1,250.00 EUR on 2023-11-02 stuck in pending",
			"Chargeback 8812734411 of 49.99 EUR opened on 2024-03-15",
		},
		{
			"many ids",
			"Webhook retries exhausted for cus_N8xYz12AbC sub_1Mq9Zk2eZvKYlo2C pi_3MtwBwLkdIwHu7ix",
			"Webhook retries exhausted for cus_Q2aBc99XyZ sub_7Tr4Hh1aAbCdEf9G pi_9ZzYyXxWwVvUuTt1",
			"Subscription cus_N8xYz12AbC sub_1Mq9Zk2eZvKYlo2C pi_3MtwBwLkdIwHu7ix canceled by customer",
		},
	}
	l := newLocal(t, 512)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, p := embedPair(t, l, tt.anchor, tt.sameProblem)
			_, i := embedPair(t, l, tt.anchor, tt.sameIDs)
			problem, ids := cosine(a, p), cosine(a, i)
			if problem < 0.9 || problem <= ids {
				t.Errorf("same problem %.3f, same identifiers %.3f; want problem >= 0.9 and larger", problem, ids)
			}
		})
	}
}
