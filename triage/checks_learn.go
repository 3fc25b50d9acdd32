package triage

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// CheckCase is one sighting the checks learn from: a resolved case (its
// facts, type, root cause, params, when it occurred) or an invoice of the
// history (facts only, Type ""). IssuedAt is the date of the case's
// invoice when known.
type CheckCase struct {
	Facts     Facts
	Type      Type
	RootCause string
	Action    string
	Params    map[string]any
	At        time.Time
	IssuedAt  time.Time
}

// CheckHistory is what the pre-release checks learn from: the same history
// enrichment learns from, its resolved cases with their facts (migration
// 00019) and the corrections memory.
type CheckHistory struct {
	Cases       []CheckCase
	Corrections []Evidence
}

// CheckHistoryStore reads the history the checks learn from.
type CheckHistoryStore interface {
	// CheckHistory returns the resolved cases (with their invoice's date
	// when the invoice is known), the invoices as facts-only cases and
	// every correction.
	CheckHistory(ctx context.Context) (CheckHistory, error)
}

// tally counts the values seen under each key.
type tally map[string]map[string]int

func (t tally) add(key, val string, n int) {
	if key == "" || val == "" {
		return
	}
	if t[key] == nil {
		t[key] = map[string]int{}
	}
	t[key][val] += n
}

// best is the key's most frequent value, its count and the key's total;
// ties go to the smaller value, so the answer is stable.
func (t tally) best(key string) (val string, n, total int) {
	for v, c := range t[key] {
		total += c
		if c > n || (c == n && v < val) {
			val, n = v, c
		}
	}
	return val, n, total
}

// list writes the key's values by count, most first, at most max.
func (t tally) list(key string, max int) string {
	vs := make([]string, 0, len(t[key]))
	for v := range t[key] {
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool {
		a, b := t[key][vs[i]], t[key][vs[j]]
		return a > b || (a == b && vs[i] < vs[j])
	})
	var parts []string
	for _, v := range vs[:min(max, len(vs))] {
		parts = append(parts, fmt.Sprintf("%s (%d)", v, t[key][v]))
	}
	return strings.Join(parts, ", ")
}

// CheckKnowledge is what the history says a correct draft looks like,
// learned by LearnChecks; no table of it is written by hand.
type CheckKnowledge struct {
	sightings   int
	customers   map[string]int
	accountTo   tally // account key → customer (corrections)
	supersedes  map[string]string
	custEntity  tally // customer → legal entity
	custRegion  tally
	marketEnt   tally // region/currency → entity
	gl          tally // sku@entity → revenue account (corrections)
	glMissing   map[string]int
	glNamesEnt  [2]int // accounts naming their entity, of all learned
	skuStem     tally  // sku → account with the entity left out
	custJuris   tally
	jurisWrong  map[string]map[string]bool // customer → jurisdictions corrected away from
	regionJuris tally
	subBook     tally
	bookFrom    map[string]int
	bookTo      map[string]int
	closedMax   time.Time // the latest period seen closed and not since posted into
	closeLags   []float64 // days from a period's end to a closed-period failure
	// closedSince is when each period was first seen closed, erpLatest the
	// latest ERP failure of another kind for an invoice of the period: the
	// ERP still took the period then, so it was not closed after all.
	closedSince map[time.Time]time.Time
	erpLatest   map[time.Time]time.Time
}

// correction fields the checks read, as the corrections memory names them
// (see Identifiers).
const (
	fieldAccount = "account_id"
	fieldGL      = "gl_account"
	fieldJuris   = "tax_jurisdiction"
	fieldBook    = "price_book"
)

// LearnChecks learns the checks' expectations from h.
func LearnChecks(h CheckHistory) *CheckKnowledge {
	k := &CheckKnowledge{customers: map[string]int{}, accountTo: tally{}, supersedes: map[string]string{},
		custEntity: tally{}, custRegion: tally{}, marketEnt: tally{}, gl: tally{}, glMissing: map[string]int{},
		skuStem: tally{}, custJuris: tally{}, jurisWrong: map[string]map[string]bool{}, regionJuris: tally{},
		subBook: tally{}, bookFrom: map[string]int{}, bookTo: map[string]int{},
		closedSince: map[time.Time]time.Time{}, erpLatest: map[time.Time]time.Time{}}
	k.learnCorrections(h.Corrections)
	repost := repostActions(h.Cases)
	for _, c := range h.Cases {
		k.learnCase(c)
		switch {
		case repost[c.Action]:
			k.learnClosed(c)
		case c.Type == ERPPostingFailure && !c.IssuedAt.IsZero():
			p := monthOf(c.IssuedAt)
			if c.At.After(k.erpLatest[p]) {
				k.erpLatest[p] = c.At
			}
		}
	}
	k.closePeriods()
	sort.Float64s(k.closeLags)
	return k
}

func (k *CheckKnowledge) learnCorrections(cs []Evidence) {
	cs = slices.Clone(cs)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].At.Before(cs[j].At) })
	lastTo := map[string]string{}
	for _, c := range cs {
		if c.ReversedAt != nil {
			// A row that was found wrong counts for nothing; a reversal
			// recorded as its own row (at its reversed_at) cancels one.
			if c.At.Equal(*c.ReversedAt) {
				k.unlearn(c)
			}
			continue
		}
		switch c.Field {
		case fieldAccount:
			k.accountTo.add(c.Key, c.To, 1)
			k.customers[c.To]++
			if prev := lastTo[c.Key]; prev != "" && prev != c.To {
				k.supersedes[prev] = c.To
			}
			lastTo[c.Key] = c.To
		case fieldGL:
			k.learnGL(c)
		case fieldJuris:
			k.custJuris.add(c.Key, c.To, 1)
			if c.From != "" && c.From != c.To {
				if k.jurisWrong[c.Key] == nil {
					k.jurisWrong[c.Key] = map[string]bool{}
				}
				k.jurisWrong[c.Key][c.From] = true
			}
		case fieldBook:
			k.subBook.add(c.Key, c.To, 1)
			k.bookTo[c.To]++
			if c.From != "" && c.From != c.To {
				k.bookFrom[c.From]++
			}
		}
	}
}

// unlearn takes back one sighting of a reversed mapping.
func (k *CheckKnowledge) unlearn(c Evidence) {
	for f, t := range map[string]tally{fieldAccount: k.accountTo, fieldGL: k.gl, fieldJuris: k.custJuris, fieldBook: k.subBook} {
		if c.Field == f && t[c.Key][c.To] > 0 {
			t[c.Key][c.To]--
			if t[c.Key][c.To] == 0 {
				delete(t[c.Key], c.To)
			}
		}
	}
}

// learnGL keeps the mapping, and whether accounts name their entity: if
// nearly all do, an account naming another entity is wrong.
func (k *CheckKnowledge) learnGL(c Evidence) {
	k.gl.add(c.Key, c.To, 1)
	sku, ent, ok := strings.Cut(c.Key, "@")
	if !ok {
		return
	}
	k.glNamesEnt[1]++
	if strings.Contains(c.To, ent) {
		k.glNamesEnt[0]++
		k.skuStem.add(sku, stem(c.To, ent), 1)
	}
}

// stem is an account with its entity taken out, what a SKU's accounts in
// different entities share.
func stem(account, entity string) string {
	return strings.Trim(strings.Replace(account, entity, "", 1), "-_ .")
}

func (k *CheckKnowledge) learnCase(c CheckCase) {
	f := c.Facts
	attr := func(name string) string { s, _ := f.Attributes[name].(string); return s }
	k.sightings++
	if f.CustomerID != "" {
		k.customers[f.CustomerID]++
	}
	k.custRegion.add(f.CustomerID, f.Region, 1)
	if ent := attr("entity"); ent != "" {
		k.custEntity.add(f.CustomerID, ent, 1)
		k.marketEnt.add(market(f.Region, f.Currency), ent, 1)
	}
	if j := attr("jurisdiction"); j != "" && !k.jurisWrong[f.CustomerID][j] {
		k.custJuris.add(f.CustomerID, j, 1)
		k.regionJuris.add(f.Region, j, 1)
	}
	if sub, book := attr("subscription"), attr("price_book"); book != "" && k.bookFrom[book] == 0 {
		k.subBook.add(sub, book, 1)
	}
	for _, cor := range correctionsOf(c.Params) {
		switch cor.Field {
		case fieldGL:
			if cor.From == "" {
				k.glMissing[cor.Key]++
			}
		case fieldJuris:
			k.regionJuris.add(f.Region, cor.To, 1)
		}
	}
	if ent, _ := c.Params["entity"].(string); ent != "" && c.Type == ERPPostingFailure {
		k.custEntity.add(f.CustomerID, ent, 1)
	}
}

// repostActions are the actions that move an invoice into a later
// period: those whose params, when they name a period, name one after the
// invoice's own. Every case resolved by one failed on a closed period.
func repostActions(cs []CheckCase) map[string]bool {
	votes := map[string][2]int{}
	for _, c := range cs {
		next, _ := c.Params["period"].(string)
		p, err := ParsePeriod(next)
		if err != nil || c.IssuedAt.IsZero() || c.Action == "" {
			continue
		}
		v := votes[c.Action]
		if p.After(monthOf(c.IssuedAt)) {
			v[0]++
		}
		v[1]++
		votes[c.Action] = v
	}
	out := map[string]bool{}
	for a, v := range votes {
		if v[1] >= 2 && float64(v[0]) >= 0.9*float64(v[1]) {
			out[a] = true
		}
	}
	return out
}

// learnClosed reads a case that failed on a closed period: its invoice's
// period was closed when it occurred.
func (k *CheckKnowledge) learnClosed(c CheckCase) {
	if c.IssuedAt.IsZero() {
		return
	}
	own := monthOf(c.IssuedAt)
	if since, ok := k.closedSince[own]; !ok || c.At.Before(since) {
		k.closedSince[own] = c.At
	}
	k.closeLags = append(k.closeLags, max(0, c.At.Sub(own.AddDate(0, 1, 0)).Hours()/24))
}

// closePeriods keeps as closed the latest period seen closed that the ERP
// did not take afterwards: a failure of another kind for an invoice of the
// period, after it was seen closed, shows the ERP still posting into it.
func (k *CheckKnowledge) closePeriods() {
	for p, since := range k.closedSince {
		if !k.erpLatest[p].After(since) && p.After(k.closedMax) {
			k.closedMax = p
		}
	}
}

func market(region, currency string) string {
	if region == "" || currency == "" {
		return ""
	}
	return region + "/" + currency
}

func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}
