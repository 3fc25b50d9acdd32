package generate_test

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/triage"
)

// sample is one 3,000-record world shared by the read-only tests below.
var sample = sync.OnceValues(func() (world, error) {
	recs, invs, err := generate.Generate(generate.Config{Seed: 42, Exceptions: 3000, Invoices: 1500})
	return world{recs, invs}, err
})

type world struct {
	recs []dataset.Record
	invs []triage.Invoice
}

func mustSample(t *testing.T) world {
	t.Helper()
	w, err := sample()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func encode(t testing.TB, recs []dataset.Record, invs []triage.Invoice) (string, string) {
	t.Helper()
	var rb, ib bytes.Buffer
	if err := dataset.WriteRecords(&rb, recs); err != nil {
		t.Fatal(err)
	}
	if err := dataset.WriteInvoices(&ib, invs); err != nil {
		t.Fatal(err)
	}
	return rb.String(), ib.String()
}

func TestGenerateIsDeterministic(t *testing.T) {
	gen := func(seed int64) (string, string) {
		recs, invs, err := generate.Generate(generate.Config{Seed: seed, Exceptions: 400, Invoices: 200})
		if err != nil {
			t.Fatal(err)
		}
		return encode(t, recs, invs)
	}
	r1, i1 := gen(7)
	r2, i2 := gen(7)
	if r1 != r2 || i1 != i2 {
		t.Error("same seed produced different bytes")
	}
	r3, i3 := gen(8)
	if r1 == r3 || i1 == i3 {
		t.Error("different seeds produced identical output")
	}
}

func TestGenerateCounts(t *testing.T) {
	tests := []struct {
		cfg                   generate.Config
		recs, invs, customers int
	}{
		{generate.Config{}, 2000, 1000, 50},
		{generate.Config{Exceptions: 10, Invoices: 3000}, 10, 3000, 150},
		{generate.Config{Exceptions: 50, Invoices: 5, Customers: 2, Days: 1}, 50, 5, 2},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.cfg), func(t *testing.T) {
			recs, invs, err := generate.Generate(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			customers := make(map[string]bool)
			for _, inv := range invs {
				customers[inv.CustomerID] = true
			}
			if len(recs) != tt.recs || len(invs) != tt.invs || len(customers) > tt.customers {
				t.Errorf("got %d records, %d invoices, %d customers; want %d, %d, at most %d",
					len(recs), len(invs), len(customers), tt.recs, tt.invs, tt.customers)
			}
		})
	}
}

func TestGenerateRejectsBadConfig(t *testing.T) {
	for _, cfg := range []generate.Config{
		{Exceptions: -1},
		{Invoices: -5},
		{Days: -1},
		{Start: time.Date(8999, 12, 1, 0, 0, 0, 0, time.UTC), Days: 400},
	} {
		if _, _, err := generate.Generate(cfg); err == nil {
			t.Errorf("Generate(%+v) succeeded, want an error", cfg)
		}
	}
}

func TestGenerateOutputReadsBackClean(t *testing.T) {
	w := mustSample(t)
	recText, invText := encode(t, w.recs, w.invs)
	n := 0
	errs, err := dataset.ReadRecords(strings.NewReader(recText), func(dataset.Record) error { n++; return nil })
	if err != nil || len(errs) != 0 || n != len(w.recs) {
		t.Errorf("records: read %d of %d, errors %v %v", n, len(w.recs), err, errs)
	}
	n = 0
	errs, err = dataset.ReadInvoices(strings.NewReader(invText), func(triage.Invoice) error { n++; return nil })
	if err != nil || len(errs) != 0 || n != len(w.invs) {
		t.Errorf("invoices: read %d of %d, errors %v %v", n, len(w.invs), err, errs)
	}
}

func TestGenerateOrderAndIDs(t *testing.T) {
	w := mustSample(t)
	exc, inv, cust := regexp.MustCompile(`^EXC-\d{6}$`), regexp.MustCompile(`^INV-\d{5}$`), regexp.MustCompile(`^C-\d{4}$`)
	for i, r := range w.recs {
		if !exc.MatchString(r.ID) {
			t.Fatalf("record id %q", r.ID)
		}
		if i > 0 && (r.OccurredAt.Before(w.recs[i-1].OccurredAt) || r.ID <= w.recs[i-1].ID) {
			t.Fatalf("records %d and %d out of order", i-1, i)
		}
	}
	for i, v := range w.invs {
		if !inv.MatchString(v.InvoiceID) || !cust.MatchString(v.CustomerID) {
			t.Fatalf("invoice ids %q / %q", v.InvoiceID, v.CustomerID)
		}
		if i > 0 && v.IssuedAt.Before(w.invs[i-1].IssuedAt) {
			t.Fatalf("invoices %d and %d out of order", i-1, i)
		}
	}
}

func TestGenerateReferencesAreConsistent(t *testing.T) {
	w := mustSample(t)
	byID := make(map[string]triage.Invoice)
	for _, inv := range w.invs {
		byID[inv.InvoiceID] = inv
	}
	withInvoice := 0
	for _, r := range w.recs {
		if r.InvoiceID == "" {
			if r.Type == "billing_dispute" {
				t.Errorf("%s: dispute without invoice", r.ID)
			}
			continue
		}
		withInvoice++
		inv, ok := byID[r.InvoiceID]
		switch {
		case !ok:
			t.Errorf("%s: unknown invoice %s", r.ID, r.InvoiceID)
		case r.CustomerID != "" && r.CustomerID != inv.CustomerID:
			t.Errorf("%s: customer %s, invoice belongs to %s", r.ID, r.CustomerID, inv.CustomerID)
		case r.Type == "billing_dispute" && !inv.Disputed:
			t.Errorf("%s disputes %s, which is not marked disputed", r.ID, r.InvoiceID)
		case r.OccurredAt.Before(inv.IssuedAt):
			t.Errorf("%s occurred before its invoice was issued", r.ID)
		}
	}
	if share := float64(withInvoice) / float64(len(w.recs)); share < 0.85 {
		t.Errorf("only %.0f%% of records reference an invoice", 100*share)
	}
}

func TestGenerateLabels(t *testing.T) {
	w := mustSample(t)
	catalog := make(map[string]generate.Cause)
	for _, c := range generate.Catalog() {
		catalog[c.RootCause] = c
	}
	for _, r := range w.recs {
		res := r.Resolution
		if res == nil || res.ResolvedAt == nil || !res.ResolvedAt.After(r.OccurredAt) {
			t.Fatalf("%s: missing resolution or resolved_at not after occurred_at: %+v", r.ID, res)
		}
		c, ok := catalog[res.RootCause]
		// Noisy labels are whole sibling causes, so even they keep the
		// catalog's cause → action → queue mapping and the record's type.
		if !ok || c.Action != res.Action || c.Queue != res.Queue || c.Type != r.Type {
			t.Fatalf("%s: label %+v does not match catalog entry %+v", r.ID, res, c)
		}
	}
}

func TestGenerateVariety(t *testing.T) {
	w := mustSample(t)
	texts := make(map[string]map[string]bool)
	for _, r := range w.recs {
		rc := r.Resolution.RootCause
		if texts[rc] == nil {
			texts[rc] = make(map[string]bool)
		}
		texts[rc][r.Text] = true
	}
	rich := 0
	for _, rc := range slices.Sorted(maps.Keys(texts)) {
		if len(texts[rc]) >= 6 {
			rich++
		} else {
			t.Logf("%s: only %d distinct texts", rc, len(texts[rc]))
		}
	}
	if rich < 15 {
		t.Errorf("%d root causes have at least 6 distinct texts, want at least 15", rich)
	}
}

func TestGenerateTypeMix(t *testing.T) {
	w := mustSample(t)
	want := map[string]float64{"usage_mismatch": 0.25, "pricing_discrepancy": 0.20, "erp_posting_failure": 0.20,
		"tax_inconsistency": 0.12, "billing_dispute": 0.20, "other": 0.03}
	got := make(map[string]float64)
	for _, r := range w.recs {
		got[r.Type] += 1 / float64(len(w.recs))
	}
	for typ, share := range want {
		if d := got[typ] - share; d < -0.03 || d > 0.03 {
			t.Errorf("%s: share %.3f, want about %.2f", typ, got[typ], share)
		}
	}
}

func TestGenerateLatenessFollowsDisputes(t *testing.T) {
	w := mustSample(t)
	end := w.invs[len(w.invs)-1].IssuedAt
	var late, total [2]float64 // index 1: disputed
	for _, inv := range w.invs {
		if inv.DueAt.AddDate(0, 0, 31).After(end) {
			continue // too recent to know
		}
		d := 0
		if inv.Disputed {
			d = 1
		}
		total[d]++
		if inv.PaidAt == nil || inv.PaidAt.Sub(inv.DueAt) > 30*24*time.Hour {
			late[d]++
		}
	}
	clean, disputed := late[0]/total[0], late[1]/total[1]
	t.Logf("late share: %.2f clean (%v), %.2f disputed (%v)", clean, total[0], disputed, total[1])
	if disputed < clean+0.1 {
		t.Errorf("disputed invoices late %.2f, clean %.2f: want disputes to raise lateness clearly", disputed, clean)
	}
	if late[0] == 0 || total[1] == 0 {
		t.Error("want both late clean invoices and disputed invoices in the sample")
	}
}

func TestGenerateEmailsLookReal(t *testing.T) {
	w := mustSample(t)
	quoted := regexp.MustCompile(`(?m)^On .+ wrote:\n> `)
	phone := regexp.MustCompile(`(?m)^.*\+\d[\d \-]{6,}\d$`)
	found := 0
	for _, r := range w.recs {
		if r.Source == "support-inbox" && quoted.MatchString(r.Text) && phone.MatchString(r.Text) {
			found++
		}
	}
	if found < 10 {
		t.Errorf("found %d e-mails with both a quoted reply and a signature with a phone number, want many", found)
	}
}

func TestCatalog(t *testing.T) {
	seen := make(map[string]bool)
	perType := make(map[string]int)
	moneyMoving := 0
	for _, c := range generate.Catalog() {
		if seen[c.RootCause] || c.Action == "" || !slices.Contains(dataset.Types, c.Type) || !slices.Contains(dataset.Queues, c.Queue) {
			t.Errorf("bad or repeated catalog entry %+v", c)
		}
		seen[c.RootCause] = true
		perType[c.Type]++
		if c.MoneyMoving {
			moneyMoving++
		}
	}
	if n := len(seen) - perType["other"]; n < 15 || perType["other"] == 0 {
		t.Errorf("%d non-other causes and %d other, want at least 15 and some", n, perType["other"])
	}
	for _, typ := range dataset.Types {
		if perType[typ] < 2 {
			t.Errorf("type %s has %d causes, want siblings for label noise", typ, perType[typ])
		}
	}
	if moneyMoving == 0 {
		t.Error("no money-moving cause")
	}
	cat := generate.Catalog()
	cat[0].RootCause = "changed"
	if generate.Catalog()[0].RootCause == "changed" {
		t.Error("Catalog returned shared storage")
	}
}

func BenchmarkGenerate(b *testing.B) {
	cfg := generate.Config{Seed: 1, Exceptions: 10000, Invoices: 5000}
	for b.Loop() {
		if _, _, err := generate.Generate(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
