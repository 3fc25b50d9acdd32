package email_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/disputes/email"
)

// sample is the expected parse of one file under testdata.
type sample struct {
	file       string
	format     string
	from       email.Address
	to         []email.Address
	subject    string
	date       time.Time // zero when the message has none
	body       string
	quoted     string
	signature  string
	disclaimer string
	invoices   []string
	amounts    []email.Amount
	dates      []time.Time
	emails     []string
	// notInBody are snippets of the quoted history, signature or
	// disclaimer that must not leak into Body.
	notInBody []string
}

func TestParseSamples(t *testing.T) {
	for _, tc := range []sample{
		{
			file:   "plain_reply.txt",
			format: "plain",
			body: "Hi Billing team,\n\n" +
				"We were charged twice for invoice #2041 on March 3 - once for $1,200.00 and again for USD 1,200.00 on 2025-03-05.\n" +
				"Our contract says 49 seats at €24.50 each. Please refund the duplicate and send the receipt to ap@northwind.example.",
			quoted: "On Mon, Mar 3, 2025 at 9:02 AM Acme Billing <billing@acme.example> wrote:\n" +
				"> Hello Dana,\n> Your invoice INV-2041 for $1,200.00 is now available.\n> Due date: 2025-04-02.",
			signature: "Thanks,\nDana Whitfield\nFinance Manager | Northwind Traders\n+1 (555) 010-2233",
			disclaimer: "CONFIDENTIALITY NOTICE: This email and any attachments are confidential and intended solely for the addressee.\n" +
				"If you received it in error, please delete it.",
			invoices: []string{"INV-2041"},
			amounts: []email.Amount{
				{Value: 1200, Currency: "USD", Text: "$1,200.00"},
				{Value: 1200, Currency: "USD", Text: "USD 1,200.00"},
				{Value: 24.5, Currency: "EUR", Text: "€24.50"},
			},
			dates:     []time.Time{day(2025, 3, 3), day(2025, 3, 5)},
			emails:    []string{"ap@northwind.example"},
			notInBody: []string{"Hello Dana", "Dana Whitfield", "CONFIDENTIALITY", "wrote:", "Thanks,"},
		},
		{
			file:    "outlook_paste.txt",
			format:  "plain",
			from:    email.Address{Name: "Priya Raman", Address: "priya.raman@globex.example"},
			to:      []email.Address{{Name: "Acme Billing", Address: "billing@acme.example"}, {Name: "Support", Address: "support@acme.example"}},
			subject: "RE: Invoice No. 10234 - overcharge",
			date:    time.Date(2025, 3, 4, 14, 17, 0, 0, time.UTC),
			body: "Hello,\n\n" +
				"Invoice No. 10234 lists 120 seats, but we downgraded to 80 seats on 02/14/2025. The difference is 1.600,00 EUR for February.\n" +
				"Please issue a credit note for the 40 unused seats.",
			quoted: "________________________________\nFrom: Acme Billing <billing@acme.example>\n" +
				"Sent: Monday, March 3, 2025 9:00 AM\nTo: Priya Raman <priya.raman@globex.example>\n" +
				"Subject: Invoice No. 10234\n\nPlease find attached invoice 10234 for EUR 4,800.00.",
			signature: "Kind regards,\nPriya Raman\nProcurement Lead\nGlobex Corporation",
			invoices:  []string{"INV-10234"},
			amounts:   []email.Amount{{Value: 1600, Currency: "EUR", Text: "1.600,00 EUR"}},
			dates:     []time.Time{day(2025, 2, 14), day(2025, 2, 1)},
			notInBody: []string{"Sent:", "Please find attached", "Procurement Lead", "4,800.00"},
		},
		{
			file:   "gmail_reply.html",
			format: "html",
			body: "Hello,\n\n" +
				"Our card was charged £89.00 on 12 March 2025 for INV-7730, but we cancelled on 1 March.\n\n" +
				"Please refund & confirm to accounts@initech.example.",
			quoted: "________________________________\n" +
				"On Wed, Mar 12, 2025 at 8:00 AM Acme Billing <billing@acme.example> wrote:\n\n" +
				"> Payment received for INV-7730: £89.00.\n\n> Thank you!",
			signature: "Thanks,\nPeter\n--\nPeter Gibbons\nInitech | Accounts",
			invoices:  []string{"INV-7730"},
			amounts:   []email.Amount{{Value: 89, Currency: "GBP", Text: "£89.00"}},
			dates:     []time.Time{day(2025, 3, 12), day(2025, 3, 1)},
			emails:    []string{"accounts@initech.example"},
			notInBody: []string{"alert", "margin", "Re: charge", "Payment received", "Peter Gibbons", "&amp;", "<"},
		},
		{
			file:    "alternative_qp.eml",
			format:  "eml",
			from:    email.Address{Name: "María Chen", Address: "m.chen@contoso.example"},
			to:      []email.Address{{Address: "billing@acme.example"}},
			subject: "Dispute – INV-2024-0041",
			date:    time.Date(2025, 3, 10, 9, 15, 0, 0, time.UTC),
			body: "Hi,\n\n" +
				"INV-2024-0041 shows 1.250,00 € for the Pro plan, but our quote was 950,00 € per month (valid until 31.03.2025).\n" +
				"Please correct it or send us a new invoice.",
			quoted: "-----Original Message-----\nFrom: Acme Billing <billing@acme.example>\n" +
				"Sent: Friday, March 7, 2025 6:00 PM\nSubject: Your invoice INV-2024-0041\n\nAmount due: €1,250.00",
			signature: "Best regards,\nMaría Chen\nContoso GmbH",
			invoices:  []string{"INV-2024-0041"},
			amounts: []email.Amount{
				{Value: 1250, Currency: "EUR", Text: "1.250,00 €"},
				{Value: 950, Currency: "EUR", Text: "950,00 €"},
			},
			dates:     []time.Time{day(2025, 3, 31)},
			notInBody: []string{"HTML version", "Original Message", "Amount due", "=E2", "Contoso GmbH"},
		},
		{
			file:   "mixed_base64_cp1252.eml",
			format: "eml",
			from:   email.Address{Name: "Lukas Becker", Address: "lukas.becker@fabrikam.example"},
			to: []email.Address{
				{Name: "Acme Billing", Address: "billing@acme.example"},
				{Address: "finance@acme.example"},
			},
			subject: "Rechnung Nr. 55102 doppelt bezahlt",
			date:    time.Date(2025, 3, 5, 15, 40, 12, 0, time.UTC),
			body: "Guten Tag,\n\n" +
				"wir haben die Rechnung Nr. 55102 über 2.380,00 € am 28.02.2025 zweimal bezahlt („Doppelzahlung“).\n" +
				"Bitte erstatten Sie den Betrag auf unser Konto.",
			signature: "Mit freundlichen Grüßen\nLukas Becker\nBuchhaltung\n\nVon meinem iPhone gesendet",
			invoices:  []string{"INV-55102"},
			amounts:   []email.Amount{{Value: 2380, Currency: "EUR", Text: "2.380,00 €"}},
			dates:     []time.Time{day(2025, 2, 28)},
			notInBody: []string{"HTML-Fassung", "%PDF", "iPhone", "Buchhaltung"},
		},
		{
			file:   "french_reply.txt",
			format: "plain",
			body: "Bonjour,\n\n" +
				"Nous contestons la facture n° 88412 du 3 mars 2025 : le montant facturé (1 490,00 €) ne correspond pas au devis de 1 190,00 € signé en février.\n" +
				"Merci de nous envoyer un avoir à compta@lumiere.example.",
			quoted: "Le lun. 3 mars 2025 à 09:12, Service Facturation <facturation@acme.example> a écrit :\n" +
				"> Bonjour,\n> Veuillez trouver ci-joint la facture n° 88412.",
			signature: "Cordialement,\nCamille Martin\nResponsable comptable",
			invoices:  []string{"INV-88412"},
			amounts: []email.Amount{
				{Value: 1490, Currency: "EUR", Text: "1 490,00 €"},
				{Value: 1190, Currency: "EUR", Text: "1 190,00 €"},
			},
			dates:     []time.Time{day(2025, 3, 3), day(2025, 2, 1)},
			emails:    []string{"compta@lumiere.example"},
			notInBody: []string{"a écrit", "Veuillez", "Camille"},
		},
		{
			file:      "mime_entity.txt",
			format:    "mime",
			body:      "Hi team,\ninv 3391 was billed at 300 dollars instead of £240.",
			signature: "Cheers,\nSam",
			invoices:  []string{"INV-3391"},
			amounts: []email.Amount{
				{Value: 300, Currency: "USD", Text: "300 dollars"},
				{Value: 240, Currency: "GBP", Text: "£240"},
			},
			notInBody: []string{"<div>", "=A3", "Sam"},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			e := parse(t, readTestdata(t, tc.file))
			checkSample(t, e, tc)
		})
	}
}

// checkSample compares a parse result with its expectation field by field,
// so a failure names the field that differs.
func checkSample(t *testing.T, e *email.Email, tc sample) {
	t.Helper()
	checkEqual(t, "Format", e.Format, tc.format)
	checkEqual(t, "From", e.From, tc.from)
	checkEqual(t, "To", e.To, tc.to)
	checkEqual(t, "Subject", e.Subject, tc.subject)
	switch {
	case tc.date.IsZero() && e.Date != nil:
		t.Errorf("Date = %v, want nil", e.Date)
	case !tc.date.IsZero() && (e.Date == nil || !e.Date.Equal(tc.date)):
		t.Errorf("Date = %v, want %v", e.Date, tc.date)
	}
	checkEqual(t, "Body", e.Body, tc.body)
	checkEqual(t, "Quoted", e.Quoted, tc.quoted)
	checkEqual(t, "Signature", e.Signature, tc.signature)
	checkEqual(t, "Disclaimer", e.Disclaimer, tc.disclaimer)
	checkEqual(t, "InvoiceIDs", e.InvoiceIDs, tc.invoices)
	checkEqual(t, "Amounts", e.Amounts, tc.amounts)
	checkEqual(t, "Dates", e.Dates, tc.dates)
	checkEqual(t, "Emails", e.Emails, tc.emails)
	for _, s := range tc.notInBody {
		if strings.Contains(e.Body, s) {
			t.Errorf("Body contains %q", s)
		}
	}
	checkEmail(t, e)
}

// checkEqual reports got != want, treating nil and empty slices alike.
func checkEqual[T any](t *testing.T, field string, got, want T) {
	t.Helper()
	if reflect.ValueOf(got).Kind() == reflect.Slice && reflect.ValueOf(got).Len() == 0 && reflect.ValueOf(want).Len() == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v\nwant %#v", field, got, want)
	}
}
