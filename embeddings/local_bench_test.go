package embeddings_test

import (
	"context"
	"testing"
)

// shortText is a typical exception summary, about 300 characters.
const shortText = "ERP posting failed for invoice INV-2041 ($1,200.00, due 2024-03-15): " +
	"GL account missing for SKU PRO-ANNUAL-512. NetSuite rejected the journal " +
	"entry because the revenue account mapping for the new product line was " +
	"never configured. Customer Acme Corp is waiting for a corrected invoice."

// emailText is a forwarded customer email thread of about 2 KB.
const emailText = `Hi team,

We were charged twice for our March subscription: invoice INV-7730 for
$4,870.00 was paid on 2024-03-01 by card and again on 2024-03-02 by ACH
transfer (reference 88127344119). Our bank statement shows both payments
as settled, and the customer portal still lists the invoice as open with
a balance due of $4,870.00, which makes no sense to us.

Could you please refund the duplicate payment to the original card, or
apply it as a credit to the April renewal, and send us the credit note
number? Our finance team needs the document before the month-end close
on Friday, otherwise the accrual will be booked against the wrong period
and our auditors will flag it again like they did last quarter.

For context, we upgraded from the Team plan to the Business plan on
2024-02-18 and were told the proration would appear on the next invoice.
The March invoice does include a proration line of $312.45, but the tax
on that line was calculated at 19% instead of 7%, so the total is off by
roughly $37.50 as well. We are a reduced-rate customer (VAT ID
DE811907980) and this has been on file since we signed up.

Summary of what we need:
1. Refund or credit for the duplicate payment of $4,870.00.
2. Corrected March invoice with the right VAT rate on the proration.
3. Confirmation that auto-pay will not charge the card again while the
   invoice is being corrected.

We would appreciate a reply by Wednesday so we can plan accordingly.

Thanks for your help,
Jane Doe
Accounts Payable, Acme Corp

-----Original Message-----
From: Billing <billing@example.com>
Sent: Monday, March 4, 2024 9:12 AM
Subject: Your invoice INV-7730 is ready

Hello Acme Corp, your invoice INV-7730 for $4,870.00 is now available in
the portal. Payment is due on 2024-03-31. Your default payment method
(Visa ending 4242) will be charged automatically on the due date unless
you pay earlier by bank transfer. Reply to this email with any questions
about your bill, or visit the billing section of your account settings.
`

func BenchmarkLocalEmbed(b *testing.B) {
	benches := []struct {
		name string
		text string
	}{
		{"short", shortText},
		{"email2KB", emailText},
	}
	l := newLocal(b, 512)
	ctx := context.Background()
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			texts := []string{bb.text}
			b.SetBytes(int64(len(bb.text)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.Embed(ctx, texts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
