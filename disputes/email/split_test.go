package email_test

import (
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	long := strings.Repeat("we still expect the refund this week ", 3)
	for _, tc := range []struct {
		name, text                          string
		body, quoted, signature, disclaimer string
	}{
		{
			name: "inline reply keeps the answers",
			text: "Hi,\n\n> Can you confirm the seat count?\nWe have 40 seats.\n\n> And the billing contact?\nap@x.example\n\nThanks,\nJo",
			body: "Hi,\n\nWe have 40 seats.\n\nap@x.example", quoted: "> Can you confirm the seat count?\n> And the billing contact?",
			signature: "Thanks,\nJo",
		},
		{
			name: "bottom posting",
			text: "On Mon, Mar 3, 2025 at 9:00 AM Billing <b@y.example> wrote:\n> Your invoice is ready.\n\nIt is wrong: we cancelled.",
			body: "It is wrong: we cancelled.", quoted: "On Mon, Mar 3, 2025 at 9:00 AM Billing <b@y.example> wrote:\n> Your invoice is ready.",
		},
		{
			name: "wrapped attribution",
			text: "Refund please.\n\nOn Mon, Mar 3, 2025 at 10:15 AM Jane Doe <\njane@acme.example> wrote:\nold text",
			body: "Refund please.", quoted: "On Mon, Mar 3, 2025 at 10:15 AM Jane Doe <\njane@acme.example> wrote:\nold text",
		},
		{
			name: "german attribution",
			text: "Bitte korrigieren.\n\nAm 03.03.2025 um 10:15 schrieb Hans Müller <hans@x.example>:\nAlter Text",
			body: "Bitte korrigieren.", quoted: "Am 03.03.2025 um 10:15 schrieb Hans Müller <hans@x.example>:\nAlter Text",
		},
		{
			name: "attribution without date",
			text: "Refund please.\nJane Doe <jane@acme.example> wrote:\nold text",
			body: "Refund please.", quoted: "Jane Doe <jane@acme.example> wrote:\nold text",
		},
		{
			name: "original message banner",
			text: "See below.\n\n----- Original Message -----\nold text",
			body: "See below.", quoted: "----- Original Message -----\nold text",
		},
		{
			name: "forwarded message",
			text: "FYI\n\nBegin forwarded message:\n\nold text",
			body: "FYI", quoted: "Begin forwarded message:\n\nold text",
		},
		{
			name: "outlook header block without separator",
			text: "Please advise.\n\n*From:* Billing <b@y.example>\n*Sent:* Monday, March 3, 2025 9:00 AM\n*To:* Jo\nold text",
			body: "Please advise.", quoted: "*From:* Billing <b@y.example>\n*Sent:* Monday, March 3, 2025 9:00 AM\n*To:* Jo\nold text",
		},
		{
			name: "a From line alone is body text",
			text: "From: our accounting team we heard nothing.\nPlease call.",
			body: "From: our accounting team we heard nothing.\nPlease call.",
		},
		{
			name: "thanks in a sentence is not a sign-off",
			text: "Hello,\nThanks for looking into this, we need it fixed.",
			body: "Hello,\nThanks for looking into this, we need it fixed.",
		},
		{
			name: "sign-off with name on the same line",
			text: "Please fix.\n\nCheers, Jo Bloggs",
			body: "Please fix.", signature: "Cheers, Jo Bloggs",
		},
		{
			name: "postscript keeps the sign-off in the body",
			text: "Please fix.\n\nThanks,\nJo\n\nP.S. INV-9 too",
			body: "Please fix.\n\nThanks,\nJo\n\nP.S. INV-9 too",
		},
		{
			name: "long line after sign-off is not a signature",
			text: "Please fix.\n\nRegards,\n" + long,
			body: "Please fix.\n\nRegards,\n" + strings.TrimSpace(long),
		},
		{
			name: "dash delimiter",
			text: "Please fix.\n-- \nJo Bloggs\nAcme Ltd\n+44 20 7946 0000",
			body: "Please fix.", signature: "--\nJo Bloggs\nAcme Ltd\n+44 20 7946 0000",
		},
		{
			name: "mobile footer",
			text: "Please fix\n\nSent from my iPhone",
			body: "Please fix", signature: "Sent from my iPhone",
		},
		{
			name: "a message that is only a sign-off stays body",
			text: "Thanks!",
			body: "Thanks!",
		},
		{
			name: "disclaimer after signature",
			text: "Please fix.\n\nBest,\nJo\n\nThe information contained in this message is privileged and confidential.\nDo not forward.",
			body: "Please fix.", signature: "Best,\nJo",
			disclaimer: "The information contained in this message is privileged and confidential.\nDo not forward.",
		},
		{
			name: "disclaimer phrase without legal words is body",
			text: "Hello,\n\nThe information contained in this invoice is wrong.",
			body: "Hello,\n\nThe information contained in this invoice is wrong.",
		},
		{
			name: "disclaimer as the first paragraph is body",
			text: "This email is confidential but urgent: INV-1 is wrong.",
			body: "This email is confidential but urgent: INV-1 is wrong.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parse(t, tc.text)
			checkEqual(t, "Body", e.Body, tc.body)
			checkEqual(t, "Quoted", e.Quoted, tc.quoted)
			checkEqual(t, "Signature", e.Signature, tc.signature)
			checkEqual(t, "Disclaimer", e.Disclaimer, tc.disclaimer)
		})
	}
}

func TestFirstLineKept(t *testing.T) {
	e := parse(t, "From what I see we paid twice.\nNote: INV-1 is the duplicate.")
	checkEqual(t, "Body", e.Body, "From what I see we paid twice.\nNote: INV-1 is the duplicate.")
}
