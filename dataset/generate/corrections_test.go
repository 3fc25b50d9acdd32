package generate_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
)

// year is the demo's 5,000-record history, on which the corrections tests
// measure what an enrichment benchmark relies on.
var year = sync.OnceValues(func() (world, error) {
	recs, invs, err := generate.Generate(generate.Config{Seed: 42, Exceptions: 5000, Invoices: 3000})
	return world{recs, invs}, err
})

func mustYear(t *testing.T) world {
	t.Helper()
	w, err := year()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// fix is one entry of a record's params.corrections, read the way a
// consumer of the file reads it.
type fix struct {
	pos                  int // the record's index
	rec                  *dataset.Record
	field, key, from, to string
	reversedAt           *time.Time
}

// corrections returns every correction in recs in record order, failing
// the test on any entry that does not have the documented shape.
func corrections(t *testing.T, recs []dataset.Record) []fix {
	t.Helper()
	var out []fix
	for i := range recs {
		res := recs[i].Resolution
		raw, ok := res.Params["corrections"]
		if !ok {
			continue
		}
		list, ok := raw.([]any)
		if !ok || len(list) != 1 {
			t.Fatalf("%s: corrections %#v, want a list of one", recs[i].ID, raw)
		}
		f, err := parseFix(list[0])
		if err != nil {
			t.Fatalf("%s: %v", recs[i].ID, err)
		}
		f.pos, f.rec = i, &recs[i]
		out = append(out, f)
	}
	return out
}

func parseFix(v any) (fix, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return fix{}, fmt.Errorf("correction %#v is not an object", v)
	}
	var f fix
	for name, dst := range map[string]*string{"field": &f.field, "key": &f.key, "from": &f.from, "to": &f.to} {
		if *dst, ok = m[name].(string); !ok {
			return fix{}, fmt.Errorf("correction %v: %s is not a string", m, name)
		}
	}
	if s, ok := m["reversed_at"].(string); ok {
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return fix{}, fmt.Errorf("correction %v: %v", m, err)
		}
		f.reversedAt = &at
	} else if m["reversed_at"] != nil {
		return fix{}, fmt.Errorf("correction %v: reversed_at is not a string", m)
	}
	return f, nil
}

func byField(fs []fix, field string) []fix {
	var out []fix
	for _, f := range fs {
		if f.field == field {
			out = append(out, f)
		}
	}
	return out
}

// attr reads a string attribute, "" when absent.
func attr(r *dataset.Record, name string) string {
	s, _ := r.Attributes[name].(string)
	return s
}

// TestCorrectionsAreFindable checks, per field, that the correction's root
// cause is the one that corrects it and that its key and observed value
// are on the record where the service looks for them.
func TestCorrectionsAreFindable(t *testing.T) {
	tests := []struct {
		field, rootCause string
		key, from        func(*dataset.Record) string // what the record shows
	}{
		{"account_id", "unmapped_usage_account",
			func(r *dataset.Record) string { return attr(r, "account_key") },
			func(r *dataset.Record) string { return attr(r, "account_key") }},
		{"gl_account", "missing_gl_mapping",
			func(r *dataset.Record) string { return attr(r, "sku") + "@" + attr(r, "entity") },
			func(*dataset.Record) string { return "" }},
		{"tax_jurisdiction", "wrong_tax_jurisdiction",
			func(r *dataset.Record) string { return r.CustomerID },
			func(r *dataset.Record) string { return attr(r, "jurisdiction") }},
		{"price_book", "wrong_price_book",
			func(r *dataset.Record) string { return attr(r, "subscription") },
			func(r *dataset.Record) string { return attr(r, "price_book") }},
	}
	all := corrections(t, mustYear(t).recs)
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			fs := byField(all, tt.field)
			if len(fs) < 50 {
				t.Fatalf("%d corrections, want at least 50", len(fs))
			}
			for _, f := range fs {
				switch {
				case f.rec.Resolution.RootCause != tt.rootCause:
					t.Errorf("%s: root cause %s", f.rec.ID, f.rec.Resolution.RootCause)
				case f.key == "" || f.key != tt.key(f.rec):
					t.Errorf("%s: key %q, record shows %q", f.rec.ID, f.key, tt.key(f.rec))
				case f.from != tt.from(f.rec):
					t.Errorf("%s: from %q, record shows %q", f.rec.ID, f.from, tt.from(f.rec))
				case f.to == "" || f.to == f.from:
					t.Errorf("%s: corrects %q to %q", f.rec.ID, f.from, f.to)
				}
			}
		})
	}
	if n := len(all) - len(byField(all, "account_id")) - len(byField(all, "gl_account")) -
		len(byField(all, "tax_jurisdiction")) - len(byField(all, "price_book")); n != 0 {
		t.Errorf("%d corrections of unknown fields", n)
	}
}

// TestAccountCorrectionsAreMany checks there are enough account mappings to
// learn from, that params.customer_id agrees with each, and that the key is
// usually, but not always, in the text.
func TestAccountCorrectionsAreMany(t *testing.T) {
	fs := byField(corrections(t, mustYear(t).recs), "account_id")
	inText := 0
	for _, f := range fs {
		if f.rec.Resolution.Params["customer_id"] != f.to {
			t.Errorf("%s: params customer_id %v, correction to %s", f.rec.ID, f.rec.Resolution.Params["customer_id"], f.to)
		}
		if containsWord(f.rec.Text, f.key) {
			inText++
		}
	}
	t.Logf("%d account corrections, key in the text of %d", len(fs), inText)
	if len(fs) < 400 {
		t.Errorf("%d account corrections, want at least 400", len(fs))
	}
	if inText == len(fs) || inText < len(fs)*3/4 {
		t.Errorf("key in the text of %d of %d: want most but not all", inText, len(fs))
	}
}

// TestOtherCorrectionsAreStable: GL accounts, tax jurisdictions and price
// books have one right value per key, and keys recur so there is history
// to learn them from.
func TestOtherCorrectionsAreStable(t *testing.T) {
	all := corrections(t, mustYear(t).recs)
	for _, field := range []string{"gl_account", "tax_jurisdiction", "price_book"} {
		t.Run(field, func(t *testing.T) {
			target, count := make(map[string]string), make(map[string]int)
			for _, f := range byField(all, field) {
				if to, ok := target[f.key]; ok && to != f.to {
					t.Errorf("%s: %s corrected to %s, earlier to %s", f.rec.ID, f.key, f.to, to)
				}
				if f.reversedAt != nil {
					t.Errorf("%s: reversed; only account mappings are", f.rec.ID)
				}
				target[f.key] = f.to
				count[f.key]++
			}
			recurring := 0
			for _, n := range count {
				if n > 1 {
					recurring++
				}
			}
			if recurring < len(count)/5 {
				t.Errorf("%d of %d keys recur, want at least a fifth", recurring, len(count))
			}
		})
	}
}

// TestCorrectionsAreDeterministic regenerates the year: the identities and
// the choice of wrong corrections must not depend on anything but the seed.
func TestCorrectionsAreDeterministic(t *testing.T) {
	w := mustYear(t)
	recs, invs, err := generate.Generate(generate.Config{Seed: 42, Exceptions: 5000, Invoices: 3000})
	if err != nil {
		t.Fatal(err)
	}
	r1, i1 := encode(t, w.recs, w.invs)
	r2, i2 := encode(t, recs, invs)
	if r1 != r2 || i1 != i2 {
		t.Error("same seed produced different bytes")
	}
	if !strings.Contains(r1, `"reversed_at"`) {
		t.Error("no reversed correction, so determinism of the reversal pass went unchecked")
	}
}

// TestAccountCorrectionsRecur splits the history as the eval does (the
// first 70% of records by time are history) and checks that most test-time
// account corrections could be answered from history, but not all.
func TestAccountCorrectionsRecur(t *testing.T) {
	w := mustYear(t)
	cut := int(0.7 * float64(len(w.recs)))
	seen := make(map[string]map[string]bool) // key → targets in history
	var covered, unseen, total int
	for _, f := range byField(corrections(t, w.recs), "account_id") {
		switch {
		case f.reversedAt != nil: // not scored, not evidence
		case f.pos < cut:
			if seen[f.key] == nil {
				seen[f.key] = make(map[string]bool)
			}
			seen[f.key][f.to] = true
		default:
			total++
			if seen[f.key][f.to] {
				covered++
			} else if seen[f.key] == nil {
				unseen++
			}
		}
	}
	share := float64(covered) / float64(total)
	t.Logf("test period: %d account corrections, %.1f%% covered by history, %d with a key unseen in history", total, 100*share, unseen)
	if share < 0.7 || share > 0.95 {
		t.Errorf("covered share %.3f, want between 0.70 and 0.95", share)
	}
	if unseen == 0 {
		t.Error("no test-period correction has a key unseen in history")
	}
}

// TestMigratedCustomersMapToNewIDs finds migrations in the output: a key
// that once mapped to a customer on the invoices and later to an id no
// invoice carries. After the first correction to the new id, no correction
// of any key maps to the old id again.
func TestMigratedCustomersMapToNewIDs(t *testing.T) {
	w := mustYear(t)
	billed := make(map[string]bool)
	for _, inv := range w.invs {
		billed[inv.CustomerID] = true
	}
	lastTo := make(map[string]string) // key → its latest target
	movedAt := make(map[string]int)   // old id → position of first correction to its new id
	newIDs := make(map[string]string) // old id → new id
	fs := byField(corrections(t, w.recs), "account_id")
	for _, f := range fs {
		if f.reversedAt != nil {
			continue
		}
		if old, ok := lastTo[f.key]; ok && old != f.to && billed[old] && !billed[f.to] {
			if _, moved := newIDs[old]; !moved {
				newIDs[old], movedAt[old] = f.to, f.pos
			}
		}
		lastTo[f.key] = f.to
	}
	after := 0
	for _, f := range fs {
		if at, moved := movedAt[f.to]; moved && f.pos > at && f.reversedAt == nil {
			t.Errorf("%s maps %s to %s after it became %s", f.rec.ID, f.key, f.to, newIDs[f.to])
		}
		for old, at := range movedAt {
			if f.to == newIDs[old] && f.pos >= at {
				after++
			}
		}
	}
	t.Logf("%d migrated customers seen, %d corrections to their new ids: %v", len(newIDs), after, newIDs)
	if len(newIDs) == 0 || after <= len(newIDs) {
		t.Errorf("%d migrations with %d corrections after them, want some with several", len(newIDs), after)
	}
}

// TestLookalikeKeysBelongToDifferentCustomers counts pairs of account keys
// that differ by one character or a one-character suffix but map to
// different customers.
func TestLookalikeKeysBelongToDifferentCustomers(t *testing.T) {
	target := make(map[string]string)
	for _, f := range byField(corrections(t, mustYear(t).recs), "account_id") {
		if f.reversedAt == nil {
			target[f.key] = f.to
		}
	}
	keys := make([]string, 0, len(target))
	for k := range target {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var pairs []string
	for i, a := range keys {
		for _, b := range keys[i+1:] {
			if lookalike(a, b) && target[a] != target[b] {
				pairs = append(pairs, a+"~"+b)
			}
		}
	}
	t.Logf("%d look-alike pairs among %d keys: %v", len(pairs), len(keys), pairs)
	if len(pairs) < 5 {
		t.Errorf("%d look-alike pairs, want at least 5", len(pairs))
	}
}

func TestLookalike(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"acct_217", "acct_2170", true},
		{"tnt_9f2c31", "tnt_9f2c37", true},
		{"org-4411", "org-4417", true},
		{"acct_217", "acct_217", false},
		{"acct_217", "acct_21700", false},
		{"tnt_9f2c31", "tnt_9f2d37", false},
	}
	for _, tt := range tests {
		if got := lookalike(tt.a, tt.b); got != tt.want {
			t.Errorf("lookalike(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// lookalike: same length and one character apart, or one is the other
// with one character appended.
func lookalike(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b) == len(a)+1 {
		return b[:len(a)] == a
	}
	diff := 0
	for i := range len(a) {
		if a[i] != b[i] {
			diff++
		}
	}
	return len(a) == len(b) && diff == 1
}

// TestReversedCorrections checks the wrong mappings: about 2% of account
// corrections, reversed days after they were made, each followed by a
// record of the same key mapped to another customer without reversal.
func TestReversedCorrections(t *testing.T) {
	fs := byField(corrections(t, mustYear(t).recs), "account_id")
	reversed := 0
	for i, f := range fs {
		if f.reversedAt == nil {
			continue
		}
		reversed++
		if lag := f.reversedAt.Sub(*f.rec.Resolution.ResolvedAt); lag < 24*time.Hour || lag > 14*24*time.Hour {
			t.Errorf("%s: reversed %v after it was resolved, want a few days", f.rec.ID, lag)
		}
		if !slices.ContainsFunc(fs[i+1:], func(g fix) bool { return g.key == f.key && g.reversedAt == nil && g.to != f.to }) {
			t.Errorf("%s: no later correct mapping of %s", f.rec.ID, f.key)
		}
	}
	share := float64(reversed) / float64(len(fs))
	t.Logf("%d of %d account corrections reversed (%.1f%%)", reversed, len(fs), 100*share)
	if share < 0.01 || share > 0.04 {
		t.Errorf("reversed share %.3f, want about 0.02", share)
	}
}

// containsWord reports whether key occurs in text not as part of a longer
// identifier, so acct_217 is not found in acct_2170.
func containsWord(text, key string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], key)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(key)
		if (start == 0 || !idChar(text[start-1])) && (end == len(text) || !idChar(text[end])) {
			return true
		}
		i = start + 1
	}
}

func idChar(c byte) bool {
	return c == '_' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
