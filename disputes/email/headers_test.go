package email_test

import (
	"testing"
	"time"

	"github.com/billtriage/billtriage/disputes/email"
)

func TestPastedHeaders(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		from      email.Address
		to        []email.Address
		subject   string
		date      time.Time
		body      string
	}{
		{
			name:    "outlook with mailto and semicolons",
			raw:     "From: Jane Doe [mailto:jane@acme.example]\nSent: Monday, March 3, 2025 9:05 AM\nTo: Billing; Ops <ops@saas.example>\nCc: x@y.example\nSubject: RE: refund\n\nPlease refund.",
			from:    email.Address{Name: "Jane Doe", Address: "jane@acme.example"},
			to:      []email.Address{{Name: "Billing"}, {Name: "Ops", Address: "ops@saas.example"}},
			subject: "RE: refund", date: time.Date(2025, 3, 3, 9, 5, 0, 0, time.UTC), body: "Please refund.",
		},
		{
			name:    "french outlook",
			raw:     "De : Jean Dupont <jean@lumiere.example>\nEnvoyé : lundi 3 mars 2025 10:15\nÀ : Facturation <facturation@acme.example>\nObjet : Facture 10234\n\nBonjour,",
			from:    email.Address{Name: "Jean Dupont", Address: "jean@lumiere.example"},
			to:      []email.Address{{Name: "Facturation", Address: "facturation@acme.example"}},
			subject: "Facture 10234", date: day(2025, 3, 3), body: "Bonjour,",
		},
		{
			name:    "bold markers, wrapped recipients, no blank line",
			raw:     "*From:* Jo <jo@x.example>\n*Sent:* Tuesday, March 4, 2025 2:17 PM\n*To:* a@x.example;\n  b@x.example\n*Subject:* Overcharge\nWe were overcharged.",
			from:    email.Address{Name: "Jo", Address: "jo@x.example"},
			to:      []email.Address{{Address: "a@x.example"}, {Address: "b@x.example"}},
			subject: "Overcharge", date: time.Date(2025, 3, 4, 14, 17, 0, 0, time.UTC), body: "We were overcharged.",
		},
		{
			name: "not headers without a second field",
			raw:  "From: the finance team\n\nWe were overcharged.",
			body: "From: the finance team\n\nWe were overcharged.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parse(t, tc.raw)
			checkEqual(t, "From", e.From, tc.from)
			checkEqual(t, "To", e.To, tc.to)
			checkEqual(t, "Subject", e.Subject, tc.subject)
			checkEqual(t, "Body", e.Body, tc.body)
			switch {
			case tc.date.IsZero() && e.Date != nil:
				t.Errorf("Date = %v, want nil", e.Date)
			case !tc.date.IsZero() && (e.Date == nil || !e.Date.Equal(tc.date)):
				t.Errorf("Date = %v, want %v", e.Date, tc.date)
			}
		})
	}
}
