package email_test

import (
	"testing"
	"time"

	"github.com/billtriage/billtriage/disputes/email"
)

func TestInvoiceIDs(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"prefixed", "Please check INV-2041.", []string{"INV-2041"}},
		{"prefix glued", "inv2041 and INV#2042", []string{"INV-2041", "INV-2042"}},
		{"hash", "About invoice #2041, again", []string{"INV-2041"}},
		{"number label", "Invoice No. 10234 and invoice number: 10235", []string{"INV-10234", "INV-10235"}},
		{"short keyword", "inv 2041 is wrong", []string{"INV-2041"}},
		{"keyword and code", "invoice INV-2041", []string{"INV-2041"}},
		{"multi-part code", "Invoice INV-2024-0041 and inv-2024-0042", []string{"INV-2024-0041", "INV-2024-0042"}},
		{"alphanumeric", "Invoice number ABCD1234-0001", []string{"INV-ABCD1234-0001"}},
		{"list", "invoices 2041, 2042 and #2043 are duplicates", []string{"INV-2041", "INV-2042", "INV-2043"}},
		{"de-duplicated in order", "INV-7 then invoice #7 then INV-3", []string{"INV-7", "INV-3"}},
		{"french", "la facture n° 88412", []string{"INV-88412"}},
		{"german", "Rechnung Nr. 55102 und Rechnungsnummer 55103", []string{"INV-55102", "INV-55103"}},
		{"short bare number is not an id", "the invoice 2 of 3 was late", nil},
		{"short labelled number is an id", "invoice #7 was late", []string{"INV-7"}},
		{"date is not an id", "the invoice 2025-03-03 was late", nil},
		{"words are not ids", "invoiced twice, invoicing broken, inventory 2041", nil},
		{"no digits", "the invoice from March", nil},
		{"kelvin sign is not a letter K", "INV-12\u212a", []string{"INV-12"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkEqual(t, "InvoiceIDs", parse(t, tc.text).InvoiceIDs, tc.want)
		})
	}
}

func TestInvoiceIDsFromSubjectAndQuote(t *testing.T) {
	e := parse(t, "From: Jo <jo@x.example>\nSent: Monday, March 3, 2025 9:00 AM\nSubject: Re: INV-1\n\n"+
		"This is wrong, see INV-2.\n\nOn Mon, Mar 3, 2025 at 9:00 AM Billing <b@y.example> wrote:\n> Your invoice INV-3 is ready.")
	checkEqual(t, "InvoiceIDs", e.InvoiceIDs, []string{"INV-1", "INV-2", "INV-3"})
}

func TestAmounts(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []email.Amount
	}{
		{"dollar", "charged $1,200.00 today", []email.Amount{{1200, "USD", "$1,200.00"}}},
		{"euro prefix", "€49", []email.Amount{{49, "EUR", "€49"}}},
		{"euro suffix decimal comma", "49,99 €", []email.Amount{{49.99, "EUR", "49,99 €"}}},
		{"european grouping", "1.234,56 EUR", []email.Amount{{1234.56, "EUR", "1.234,56 EUR"}}},
		{"space grouping", "1 234,56 €", []email.Amount{{1234.56, "EUR", "1 234,56 €"}}},
		{"pound and yen", "£30.50 or ¥5000", []email.Amount{{30.5, "GBP", "£30.50"}, {5000, "JPY", "¥5000"}}},
		{"codes both sides", "USD 50 and 60 usd", []email.Amount{{50, "USD", "USD 50"}, {60, "USD", "60 usd"}}},
		{"prefixed dollars", "CA$99 and A$10 and US$5", []email.Amount{{99, "CAD", "CA$99"}, {10, "AUD", "A$10"}, {5, "USD", "US$5"}}},
		{"words", "120 dollars, 15 euros, 20 Canadian dollars", []email.Amount{{120, "USD", "120 dollars"}, {15, "EUR", "15 euros"}, {20, "CAD", "20 Canadian dollars"}}},
		{"negative credit", "a credit of -$50 and -25 EUR", []email.Amount{{-50, "USD", "-$50"}, {-25, "EUR", "-25 EUR"}}},
		{"range is not negative", "$10-$20", []email.Amount{{10, "USD", "$10"}, {20, "USD", "$20"}}},
		{"thousands suffix", "about $5k", []email.Amount{{5000, "USD", "$5k"}}},
		{"three decimals after zero", "$0.125 per call", []email.Amount{{0.125, "USD", "$0.125"}}},
		{"no currency", "49 seats for 12 months", nil},
		{"percentage", "a 20% EUR uplift", nil},
		{"id digits", "INV-2041 USD 50", []email.Amount{{50, "USD", "USD 50"}}},
		{"lower-case word code", "we tried 3 try", nil},
		{"bad grouping", "$1,20,0", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkEqual(t, "Amounts", parse(t, tc.text).Amounts, tc.want)
		})
	}
}

func TestDates(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []time.Time
	}{
		{"iso", "on 2025-03-03", []time.Time{day(2025, 3, 3)}},
		{"us slash", "on 03/04/2025", []time.Time{day(2025, 3, 4)}},
		{"slash day first when over 12", "on 14/03/2025", []time.Time{day(2025, 3, 14)}},
		{"dots day first", "am 04.03.2025", []time.Time{day(2025, 3, 4)}},
		{"two-digit year", "on 3/4/25", []time.Time{day(2025, 3, 4)}},
		{"month day", "on March 3", []time.Time{day(2025, 3, 3)}},
		{"month day year", "on Mar 3rd, 2024", []time.Time{day(2024, 3, 3)}},
		{"day month", "the 3rd of March and 12 Feb 2024", []time.Time{day(2025, 3, 3), day(2024, 2, 12)}},
		{"french and german", "le 1er mars 2025, am 3. März 2025", []time.Time{day(2025, 3, 1), day(2025, 3, 3)}},
		{"month year", "since March 2024", []time.Time{day(2024, 3, 1)}},
		{"month after preposition", "cancelled in May", []time.Time{day(2025, 5, 1)}},
		{"bare month is not a date", "May I ask why March billing", nil},
		{"lower-case may is a verb", "you may 3 times", nil},
		{"invalid day", "on February 30 and 2025-02-29", nil},
		{"de-duplicated", "March 3, 2025 and 2025-03-03", []time.Time{day(2025, 3, 3)}},
		{"implausible year", "in 1066-10-14", nil},
		{"version numbers", "v1.2.3 and 10.0.1.2", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkEqual(t, "Dates", parse(t, tc.text).Dates, tc.want)
		})
	}
}

func TestDatesTakeMessageYear(t *testing.T) {
	e := parse(t, "From: a@x.example\nTo: b@y.example\nDate: Tue, 14 Jan 2020 10:00:00 +0000\nSubject: s\n\nCharged on March 3.")
	checkEqual(t, "Dates", e.Dates, []time.Time{day(2020, 3, 3)})
}

func TestEmails(t *testing.T) {
	e := parse(t, "From: Jo <jo@x.example>\nTo: Billing <billing@acme.example>\nDate: Tue, 14 Jan 2020 10:00:00 +0000\nSubject: s\n\n"+
		"Send it to AP@Northwind.example, not jo@x.example or billing@acme.example; cc finance@northwind.co.uk.")
	checkEqual(t, "Emails", e.Emails, []string{"ap@northwind.example", "finance@northwind.co.uk"})
}
