package convert

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/billtriage/billtriage/dataset"
)

// CFPBSource is the source of converted CFPB complaints.
const CFPBSource = "cfpb"

// CFPB column names, lower case as the header is matched.
const (
	cfpbDate      = "date received"
	cfpbProduct   = "product"
	cfpbIssue     = "issue"
	cfpbNarrative = "consumer complaint narrative"
	cfpbID        = "complaint id"
)

// cfpbAttributes are the columns kept as attributes, by attribute name:
// only what is known when a complaint arrives. Sub-product and sub-issue
// are finer grains of the labels (Product, Issue) and the company's
// response comes after the fact; matched as attributes they would leak the
// answer into the question, so they are left out.
var cfpbAttributes = map[string]string{"company": "company", "state": "state"}

// cfpbDateLayouts are the date forms of CFPB exports: the sample's
// YYYY/M/D, the API's ISO date and the website's MM/DD/YYYY.
var cfpbDateLayouts = []string{"2006/1/2", "2006-01-02", "01/02/2006"}

// CFPB converts a CFPB Consumer Complaint Database CSV export into dataset
// format v1 on w, in time order. Complaints without a narrative have no
// text to match and are omitted (counted in Stats.Omitted).
func CFPB(r io.Reader, w io.Writer) (Stats, error) {
	var st Stats
	t, err := newTable(r, cfpbDate, cfpbProduct, cfpbIssue, cfpbNarrative, cfpbID)
	if err != nil {
		return st, err
	}
	var recs []dataset.Record
	seen := map[string]int{}
	for {
		row, line, err := t.next(func(line int, err error) { st.problem(line, "%v", err) })
		if err == io.EOF {
			break
		}
		if err != nil {
			return st, fmt.Errorf("convert: %w", err)
		}
		if t.get(row, cfpbNarrative) == "" {
			st.Omitted++
			continue
		}
		rec, msg := cfpbRecord(t, row)
		if first, dup := seen[rec.ID]; msg == "" && dup {
			msg = fmt.Sprintf("duplicate complaint id (first on line %d)", first)
		}
		if msg != "" {
			st.problem(line, "%s", msg)
			continue
		}
		seen[rec.ID] = line
		recs = append(recs, rec)
	}
	sort.SliceStable(recs, func(i, j int) bool {
		if !recs[i].OccurredAt.Equal(recs[j].OccurredAt) {
			return recs[i].OccurredAt.Before(recs[j].OccurredAt)
		}
		return recs[i].ID < recs[j].ID
	})
	if err := dataset.WriteRecords(w, recs); err != nil {
		return st, fmt.Errorf("convert: %w", err)
	}
	st.Written = len(recs)
	return st, nil
}

// cfpbRecord maps one complaint with a narrative; msg says what is wrong
// with a row that cannot be mapped.
func cfpbRecord(t *table, row []string) (dataset.Record, string) {
	at, ok := parseCFPBDate(t.get(row, cfpbDate))
	id, product, issue := t.get(row, cfpbID), Slug(t.get(row, cfpbProduct)), Slug(t.get(row, cfpbIssue))
	switch {
	case !ok:
		return dataset.Record{}, fmt.Sprintf("date received %q is not a date", t.get(row, cfpbDate))
	case id == "":
		return dataset.Record{}, "no complaint id"
	case product == "" || issue == "":
		return dataset.Record{}, "no product or issue"
	}
	attrs := map[string]any{}
	for name, col := range cfpbAttributes {
		if v := t.get(row, col); v != "" {
			attrs[name] = v
		}
	}
	return dataset.Record{
		ID: "cfpb-" + id, OccurredAt: at, Type: "billing_dispute", Source: CFPBSource, Text: t.get(row, cfpbNarrative),
		Attributes: attrs, Resolution: &dataset.Resolution{RootCause: product, Action: issue, Queue: "support"},
	}, ""
}

func parseCFPBDate(s string) (time.Time, bool) {
	for _, layout := range cfpbDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
