package generate

import (
	"math"
	"slices"
	"time"
)

// alias is an identifier other than the customer id under which a
// customer's usage arrives unmapped: a legacy account key (acct_217), an
// old org id (org-4411) or a tenant key (tnt_9f2c31). Analysts map it to
// the customer again and again, which is the history billtriage learns
// from.
type alias struct {
	key    string
	owner  *customer
	weight float64   // relative rate at which its usage arrives unmapped
	from   time.Time // first day its usage appears: new tenants keep appearing
	twins  []*alias  // look-alike keys of other customers
}

// aliasShape makes keys of one shape: fresh ones, and near ones that
// differ from a given key by one character or a one-digit suffix.
type aliasShape struct {
	prefix   string
	digits   int    // length of the random part
	alphabet string // characters of the random part
	suffixOK bool   // near keys may append a character (numeric ids vary in length)
}

var aliasShapes = []aliasShape{
	{"acct_", 4, "0123456789", true},
	{"org-", 4, "0123456789", true},
	{"tnt_", 6, "0123456789abcdef", false},
}

func (s aliasShape) fresh(r *rng) string {
	b := []byte(s.prefix)
	for i := range s.digits {
		ch := s.alphabet[r.IntN(len(s.alphabet))]
		if i == 0 && ch == '0' && s.suffixOK {
			ch = '1' // numeric ids have no leading zero
		}
		b = append(b, ch)
	}
	return string(b)
}

// near is the kind of key a person confuses with key: acct_217 and
// acct_2170, tnt_9f2c31 and tnt_9f2c37.
func (s aliasShape) near(r *rng, key string) string {
	ch := s.alphabet[r.IntN(len(s.alphabet))]
	if s.suffixOK && r.chance(0.5) {
		return key + string(ch)
	}
	for ch == key[len(key)-1] {
		ch = s.alphabet[r.IntN(len(s.alphabet))]
	}
	return key[:len(key)-1] + string(ch)
}

// Alias knobs: the share of customers whose usage integration is messy and
// produces most unmapped usage, the share of aliases that first appear
// during the window, and the chance that an alias looks like another
// customer's.
const (
	messyShare     = 0.35
	newAliasShare  = 0.12
	lookalikeShare = 0.2
)

// addAliases gives every customer one to three aliases of different
// shapes. Keys are unique across customers and never equal a customer's
// primary account key, so a key always has one true owner.
func (w *world) addAliases(r *rng) {
	used := make(map[string]bool, 4*len(w.customers))
	for _, cu := range w.customers {
		used[cu.acct] = true
	}
	byShape := make([][]*alias, len(aliasShapes))
	for _, cu := range w.customers {
		messy := r.chance(messyShare)
		for _, s := range r.Perm(len(aliasShapes))[:r.between(1, 3)] {
			a := &alias{owner: cu, weight: aliasWeight(r, messy), from: w.aliasStart(r)}
			a.key = newAliasKey(r, aliasShapes[s], a, byShape[s], used)
			used[a.key] = true
			byShape[s] = append(byShape[s], a)
			cu.aliases = append(cu.aliases, a)
			w.aliases = append(w.aliases, a)
		}
	}
	w.indexAliases()
}

// newAliasKey is usually a fresh key; sometimes a look-alike of another
// customer's key of the same shape, linked both ways. Look-alikes come in
// pairs, so that a near key's near key does not grow into a cluster.
func newAliasKey(r *rng, s aliasShape, a *alias, same []*alias, used map[string]bool) string {
	if len(same) > 0 && r.chance(lookalikeShare) {
		for range 8 {
			other := pick(r, same)
			if k := s.near(r, other.key); !used[k] && other.owner != a.owner && len(other.twins) == 0 {
				a.twins, other.twins = append(a.twins, other), append(other.twins, a)
				return k
			}
		}
	}
	for {
		if k := s.fresh(r); !used[k] {
			return k
		}
	}
}

// aliasWeight: messy customers' aliases recur month after month; the rest
// appear once or twice a year, if at all.
func aliasWeight(r *rng, messy bool) float64 {
	if messy {
		return r.logNormal(4, 0.5)
	}
	return r.logNormal(0.12, 0.8)
}

// aliasStart is the window's start for most aliases and a later day for
// the new ones.
func (w *world) aliasStart(r *rng) time.Time {
	if !r.chance(newAliasShare) {
		return w.cfg.Start
	}
	return w.cfg.Start.AddDate(0, 0, r.IntN(w.cfg.Days))
}

// indexAliases prepares the alias draw for unmapped usage: aliases whose
// owner has an invoice on or after the alias's first day, each weighted by
// its rate times the share of the window it is active.
func (w *world) indexAliases() {
	window := float64(w.end.Sub(w.cfg.Start))
	var ws []float64
	for _, a := range w.aliases {
		if _, ok := w.firstInvoiceFrom(a.owner, a.from); ok {
			w.active = append(w.active, a)
			ws = append(ws, a.weight*math.Max(0.01, float64(w.end.Sub(a.from))/window))
		}
	}
	if len(ws) > 0 {
		w.aliasSampler = newSampler(ws)
	}
}

// firstInvoiceFrom is the position in the customer's invoice list of its
// first invoice issued on or after t.
func (w *world) firstInvoiceFrom(cu *customer, t time.Time) (int, bool) {
	own := w.custInvoices[cu.idx]
	k, _ := slices.BinarySearchFunc(own, t, func(i int, t time.Time) int { return w.invoices[i].IssuedAt.Compare(t) })
	return k, k < len(own)
}

// pickAliasInvoice draws an alias by its rate and an invoice of its owner
// from the alias's first day on: the invoice its unmapped usage left short.
func (w *world) pickAliasInvoice(r *rng) (*alias, int, bool) {
	if len(w.active) == 0 {
		return nil, 0, false
	}
	a := w.active[w.aliasSampler.draw(r)]
	own := w.custInvoices[a.owner.idx]
	k, _ := w.firstInvoiceFrom(a.owner, a.from)
	return a, own[k+r.IntN(len(own)-k)], true
}
