package generate

import (
	"math"
	"strings"
	"time"
)

// Fields a correction can name, as params.corrections spells them.
const (
	fieldAccount      = "account_id"
	fieldGL           = "gl_account"
	fieldJurisdiction = "tax_jurisdiction"
	fieldPriceBook    = "price_book"
)

// correction is one field an analyst corrected while resolving a record:
// the identifier the mapping is keyed on, the value the record showed (""
// when it had none) and the corrected value. reversedAt is set when the
// correction was wrong and a later analyst reversed it.
type correction struct {
	field, key, from, to string
	reversedAt           time.Time
}

// params is the value of params.corrections. It holds only JSON-shaped
// values ([]any, map[string]any, string), so a generated record in memory
// equals the same record read back from a file.
func (k correction) params() []any {
	m := map[string]any{"field": k.field, "key": k.key, "from": k.from, "to": k.to}
	if !k.reversedAt.IsZero() {
		m["reversed_at"] = k.reversedAt.UTC().Format(time.RFC3339)
	}
	return []any{m}
}

// wrongMappingShare is the share of account corrections in the history
// that mapped a key to a look-alike's customer and were reversed later.
const wrongMappingShare = 0.02

// reverseSomeCorrections makes about 2% of account corrections wrong. A
// record qualifies when its alias has a look-alike (the reason for the
// mistake), the record names neither the customer nor its id (the analyst
// had only the key to go on) and it is not its alias's last correction; at
// most one per alias is chosen. So every reversed key is mapped right by a later
// record, and the label stays what the history says: the wrong mapping,
// with reversed_at.
func (w *world) reverseSomeCorrections(r *rng) {
	total, last := 0, make(map[*alias]int)
	for i, d := range w.drafts {
		if d.alias != nil {
			total++
			last[d.alias] = i
		}
	}
	var candidates []int
	for i, d := range w.drafts {
		if a := d.alias; a != nil && len(a.twins) > 0 && !namesOwner(d) && last[a] != i {
			candidates = append(candidates, i)
		}
	}
	r.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	want, done := int(math.Round(wrongMappingShare*float64(total))), make(map[*alias]bool)
	for _, i := range candidates {
		if len(done) == want {
			return
		}
		if d := &w.drafts[i]; !done[d.alias] {
			done[d.alias] = true
			reverse(r, d)
		}
	}
}

// namesOwner reports whether the record shows who the alias belongs to: its
// customer id, or the brand in the text (every form of the customer's name
// starts with the brand's first word).
func namesOwner(d draft) bool {
	cu := d.alias.owner
	return d.rec.CustomerID != "" || strings.Contains(d.rec.Text, cu.id) || strings.Contains(d.rec.Text, strings.Fields(cu.brand)[0])
}

// reverse rewrites the record's account correction to the customer of one
// of the alias's look-alikes, reversed two to ten days after it was made.
func reverse(r *rng, d *draft) {
	twin := pick(r, d.alias.twins)
	res := d.rec.Resolution
	k := correction{field: fieldAccount, key: d.alias.key, from: d.alias.key, to: twin.owner.idAt(d.rec.OccurredAt)}
	k.reversedAt = res.ResolvedAt.Add(time.Duration(r.between(48, 240))*time.Hour + time.Duration(r.IntN(3600))*time.Second)
	res.Params["corrections"] = k.params()
	res.Params["customer_id"] = k.to
}
