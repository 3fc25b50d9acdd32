package api_test

import (
	"testing"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// newServer returns the front door over svc and st, wired as serve wires
// it; adjust, when given, changes the configuration first.
func newServer(t *testing.T, svc *triage.Service, st *postgres.Store, ready api.Pinger, adjust ...func(*api.Config)) *api.Server {
	t.Helper()
	// Tests that check refusals make many from one address in a second;
	// the failure limit's own tests set it back.
	cfg := api.Config{Service: svc, Keys: st, Sessions: st, Stats: st, Ready: ready,
		Intake:       &disputes.Intake{Service: svc, Invoices: st, Customers: st, Reasons: st},
		FailureLimit: 1000}
	for _, fn := range adjust {
		fn(&cfg)
	}
	s, err := api.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
