package email_test

import (
	"testing"

	"github.com/billtriage/billtriage/disputes/email"
)

func TestAddressDomain(t *testing.T) {
	for _, tc := range []struct {
		addr, want string
	}{
		{"Jane@Acme.Example", "acme.example"},
		{"odd@name@Host.example", "host.example"},
		{"", ""},
		{"no-at-sign", ""},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			if got := (email.Address{Address: tc.addr}).Domain(); got != tc.want {
				t.Errorf("Domain() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct {
		name, subject, body, want string
	}{
		{"subject and body", "Re: RE: Fwd: Double charge", "Please refund.", "Double charge\n\nPlease refund."},
		{"localised prefixes", "AW: WG: TR: Re[2]: Facture", "x", "Facture\n\nx"},
		{"no subject", "", "Please refund.", "Please refund."},
		{"no body", "Re: Double charge", "", "Double charge"},
		{"prefix-like word kept", "Refund: INV-1", "x", "Refund: INV-1\n\nx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &email.Email{Subject: tc.subject, Body: tc.body, Quoted: "> old", Signature: "Jo", Disclaimer: "Confidential"}
			if got := e.Text(); got != tc.want {
				t.Errorf("Text() = %q, want %q", got, tc.want)
			}
		})
	}
}
