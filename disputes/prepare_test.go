package disputes_test

import (
	"testing"

	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/triage"
)

func TestPrepareTextKeepsOnlyTheNewWords(t *testing.T) {
	reply := "From: Dana <dana@northwind.example>\nSubject: Re: Invoice INV-2041\n\nYou charged us twice this month.\n\n" +
		"On Mon, 3 Mar 2025 at 10:00, Billing <billing@acme.example> wrote:\n> Your invoice INV-2041 is attached.\n"
	got := disputes.PrepareText(reply, map[string]any{"region": "EU", "email_original": reply})
	want := "Invoice INV-2041\n\nYou charged us twice this month.\nregion EU"
	if got != want {
		t.Errorf("PrepareText() = %q, want %q", got, want)
	}
}

func TestPrepareTextLeavesOtherTextsToTriage(t *testing.T) {
	attrs := map[string]any{"erp_code": "E-42", "amount_usd": 120.5}
	for _, text := range []string{"Payment failed: card declined", "Tax rate 19% applied to an exempt customer"} {
		if got, want := disputes.PrepareText(text, attrs), triage.PrepareText(text, attrs); got != want {
			t.Errorf("PrepareText(%q) = %q, want triage's %q", text, got, want)
		}
	}
}
