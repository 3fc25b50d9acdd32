package email_test

import (
	"fmt"
	"time"

	"github.com/billtriage/billtriage/disputes/email"
)

func ExampleParse() {
	raw := "From: Priya Raman <priya@globex.example>\n" +
		"Sent: Tuesday, March 4, 2025 2:17 PM\n" +
		"To: Billing <billing@acme.example>\n" +
		"Subject: RE: Invoice No. 10234\n" +
		"\n" +
		"We were billed $1,200.00 twice on March 3 for invoice #10234.\n" +
		"\n" +
		"Kind regards,\n" +
		"Priya\n" +
		"\n" +
		"________________________________\n" +
		"From: Billing <billing@acme.example>\n" +
		"Sent: Monday, March 3, 2025 9:00 AM\n" +
		"Your invoice is ready.\n"
	e, err := email.Parse([]byte(raw))
	if err != nil {
		panic(err)
	}
	fmt.Println(e.Format, e.From.Domain(), e.Date.Format(time.DateOnly))
	fmt.Printf("%q\n", e.Text())
	fmt.Printf("%q\n", e.Signature)
	fmt.Println(e.InvoiceIDs, e.Amounts[0].Value, e.Amounts[0].Currency, e.Dates[0].Format(time.DateOnly))
	// Output:
	// plain globex.example 2025-03-04
	// "Invoice No. 10234\n\nWe were billed $1,200.00 twice on March 3 for invoice #10234."
	// "Kind regards,\nPriya"
	// [INV-10234] 1200 USD 2025-03-03
}
