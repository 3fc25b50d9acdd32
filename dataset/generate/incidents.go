package generate

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// Incident is a seeded burst of one root cause confined to one value of a
// dimension: what pattern and spike detection should find. Written to a
// truth file, never to the records.
type Incident struct {
	Name      string
	Type      string
	RootCause string
	// Dim and Value name what the burst is confined to, as the records
	// state it: "attributes.meter" and "api_calls", "region" and "EMEA".
	Dim, Value string
	Start, End time.Time
	// IDs are the burst's records.
	IDs []string
}

// streamIncidents draws the incidents from a stream of their own, so that
// seeding them changes nothing else that is drawn.
const streamIncidents uint64 = 100

// incidentSpec is one kind of incident: its cause, where in the window it
// starts (a fraction of the window, or, negative, days before its end),
// how long it lasts and how many records a day it adds per 5,000
// exceptions a year.
type incidentSpec struct {
	name, typ, rootCause string
	at                   float64
	days                 int
	perDay               int
}

// incidentSpecs are the seeded incidents: a usage feed delayed for one
// product (meter) for 3 days, a price book left stale in one region for a
// week, an ERP revenue mapping broken for one legal entity for 2 days
// after a release, ending a day before the window does, so a history that
// ends now has a spike to show.
var incidentSpecs = []incidentSpec{
	{"usage_feed_delay", "usage_mismatch", "usage_late_arrival", 0.35, 3, 5},
	{"stale_price_book", "pricing_discrepancy", "wrong_price_book", 0.60, 7, 3},
	{"erp_mapping_broken", "erp_posting_failure", "missing_gl_mapping", -3, 2, 6},
}

// addIncidents adds the seeded incidents' records to the drafts and puts
// the drafts back in time order with fresh ids.
func (w *world) addIncidents(r *rng) {
	scale := max(1, int(math.Round(float64(w.cfg.Exceptions)/5000)))
	days := int(w.end.Sub(w.cfg.Start).Hours() / 24)
	for _, spec := range incidentSpecs {
		start := w.cfg.Start.AddDate(0, 0, int(spec.at*float64(days))).Add(time.Duration(r.IntN(24)) * time.Hour)
		if spec.at < 0 {
			start = w.end.Truncate(24*time.Hour).AddDate(0, 0, int(spec.at))
		}
		end := start.AddDate(0, 0, spec.days)
		if !end.Before(w.end) {
			continue // a window too short for it
		}
		inc := w.incidentScope(r, spec)
		inc.Start, inc.End = start, end
		w.incidents = append(w.incidents, inc)
		n := len(w.incidents)
		for range spec.perDay * spec.days * scale {
			at := start.Add(time.Duration(r.Float64() * float64(end.Sub(start)))).Truncate(time.Second)
			if d, ok := w.incidentDraft(r, spec, inc, at); ok {
				d.incident = n
				w.drafts = append(w.drafts, d)
			}
		}
	}
	slices.SortStableFunc(w.drafts, func(a, b draft) int { return a.rec.OccurredAt.Compare(b.rec.OccurredAt) })
	for i := range w.drafts {
		w.drafts[i].rec.ID = recordID(i)
		if k := w.drafts[i].incident; k > 0 {
			w.incidents[k-1].IDs = append(w.incidents[k-1].IDs, w.drafts[i].rec.ID)
		}
	}
}

// recordID numbers records as addExceptions does.
func recordID(i int) string { return fmt.Sprintf("EXC-%06d", i+1) }

// incidentScope picks the one value the incident is confined to.
func (w *world) incidentScope(r *rng, spec incidentSpec) Incident {
	inc := Incident{Name: spec.name, Type: spec.typ, RootCause: spec.rootCause}
	switch spec.typ {
	case "usage_mismatch":
		inc.Dim, inc.Value = "attributes.meter", meters[r.IntN(len(meters))].key
	case "pricing_discrepancy":
		inc.Dim, inc.Value = "region", pick(r, w.customers).country.region
	default:
		inc.Dim, inc.Value = "attributes.entity", pick(r, w.customers).country.entity
	}
	return inc
}

// incidentDraft writes one record of the incident at time at, about a
// recent invoice of a customer in its scope.
func (w *world) incidentDraft(r *rng, spec incidentSpec, inc Incident, at time.Time) (draft, bool) {
	var cands []int
	for i := range w.invoices {
		cu := w.invCust[i]
		if !w.invoices[i].IssuedAt.Before(at) {
			break // invoices are in issue order
		}
		switch inc.Dim {
		case "region":
			if cu.country.region != inc.Value {
				continue
			}
		case "attributes.entity":
			if cu.country.entity != inc.Value {
				continue
			}
		}
		cands = append(cands, i)
	}
	if len(cands) == 0 {
		return draft{}, false
	}
	i := cands[max(0, len(cands)-1-r.IntN(min(60, len(cands))))]
	var cs *cause
	for _, c := range causesByType[spec.typ] {
		if c.RootCause == spec.rootCause {
			cs = c
		}
	}
	c := &recCtx{r: r, w: w, cause: cs, cust: w.invCust[i], inv: &w.invoices[i], memo: make(map[string]string, 24), at: at}
	if inc.Dim == "attributes.meter" {
		for k, m := range meters {
			if m.key == inc.Value {
				c.memo["meter_idx"] = strconv.Itoa(k)
			}
		}
	}
	c.stake = stakeAmount(r, cs.stake, c.inv)
	d := draft{cause: cs}
	d.rec, d.vague = c.record()
	d.rec.Resolution = c.resolution(cs)
	keepSupportedParams(&d.rec)
	return d, true
}

// IncidentHeader is the header of an incidents truth file.
var IncidentHeader = []string{"incident", "type", "root_cause", "dim", "value", "start", "end", "id"}

// WriteIncidents writes the incidents as CSV, one row per record.
func WriteIncidents(w io.Writer, incs []Incident) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(IncidentHeader); err != nil {
		return err
	}
	for _, inc := range incs {
		for _, id := range inc.IDs {
			if err := cw.Write([]string{inc.Name, inc.Type, inc.RootCause, inc.Dim, inc.Value,
				inc.Start.Format(time.RFC3339), inc.End.Format(time.RFC3339), id}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadIncidents reads an incidents truth file back; a malformed line is an
// error naming it.
func ReadIncidents(r io.Reader) ([]Incident, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(IncidentHeader)
	var out []Incident
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("incidents line %d: %w", line, err)
		}
		if line == 1 {
			if rec[0] != IncidentHeader[0] {
				return nil, fmt.Errorf("incidents line 1: header must be %v", IncidentHeader)
			}
			continue
		}
		start, err1 := time.Parse(time.RFC3339, rec[5])
		end, err2 := time.Parse(time.RFC3339, rec[6])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("incidents line %d: start and end must be RFC 3339 times", line)
		}
		if n := len(out); n == 0 || out[n-1].Name != rec[0] {
			out = append(out, Incident{Name: rec[0], Type: rec[1], RootCause: rec[2], Dim: rec[3], Value: rec[4], Start: start, End: end})
		}
		out[len(out)-1].IDs = append(out[len(out)-1].IDs, rec[7])
	}
}

// GenerateWithIncidents is GenerateWithTruth that also returns the seeded
// incidents (none unless cfg.Incidents).
func GenerateWithIncidents(cfg Config) (recs []dataset.Record, invs []triage.Invoice, truth []Truth, incs []Incident, err error) {
	w, err := build(cfg)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	recs = make([]dataset.Record, len(w.drafts))
	truth = make([]Truth, len(w.drafts))
	for i, d := range w.drafts {
		recs[i] = d.rec
		truth[i] = Truth{ID: d.rec.ID, Vague: d.vague, Noisy: d.noisy}
	}
	return recs, w.invoices, truth, w.incidents, nil
}
