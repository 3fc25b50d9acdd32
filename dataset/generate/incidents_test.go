package generate_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
)

func TestIncidentsAreSeededWhereTheTruthSays(t *testing.T) {
	recs, _, _, incs, err := generate.GenerateWithIncidents(generate.Config{Seed: 5, Exceptions: 2000, Invoices: 600, Incidents: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 3 {
		t.Fatalf("%d incidents, want 3: %+v", len(incs), incs)
	}
	byID := map[string]dataset.Record{}
	for i, r := range recs {
		byID[r.ID] = r
		if i > 0 && r.OccurredAt.Before(recs[i-1].OccurredAt) {
			t.Fatalf("records out of time order at %s", r.ID)
		}
	}
	for _, inc := range incs {
		if len(inc.IDs) < 5 {
			t.Errorf("%s has %d records", inc.Name, len(inc.IDs))
		}
		stated := 0
		for _, id := range inc.IDs {
			r, ok := byID[id]
			switch {
			case !ok:
				t.Fatalf("%s: record %s not generated", inc.Name, id)
			case r.Type != inc.Type || r.Resolution.RootCause != inc.RootCause:
				t.Errorf("%s: %s is %s/%s", inc.Name, id, r.Type, r.Resolution.RootCause)
			case r.OccurredAt.Before(inc.Start) || !r.OccurredAt.Before(inc.End):
				t.Errorf("%s: %s at %s outside %s–%s", inc.Name, id, r.OccurredAt, inc.Start, inc.End)
			}
			if v := place(r, inc.Dim); v != "" {
				stated++
				if v != inc.Value {
					t.Errorf("%s: %s has %s=%s, want %s", inc.Name, id, inc.Dim, v, inc.Value)
				}
			}
		}
		if stated < len(inc.IDs)/2 {
			t.Errorf("%s: only %d of %d records state %s", inc.Name, stated, len(inc.IDs), inc.Dim)
		}
	}
}

// place reads a record's value at a place as the truth file names it.
func place(r dataset.Record, p string) string {
	if p == "region" {
		return r.Region
	}
	v, _ := r.Attributes[strings.TrimPrefix(p, "attributes.")].(string)
	return v
}

func TestIncidentsOffChangeNothing(t *testing.T) {
	cfg := generate.Config{Seed: 9, Exceptions: 300, Invoices: 100}
	want, _, err := generate.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, _, _, incs, err := generate.GenerateWithIncidents(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("without Incidents the output changed (%d incidents)", len(incs))
	}
}

func TestIncidentsRoundTrip(t *testing.T) {
	_, _, _, incs, err := generate.GenerateWithIncidents(generate.Config{Seed: 2, Exceptions: 1000, Invoices: 300, Incidents: true})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := generate.WriteIncidents(&b, incs); err != nil {
		t.Fatal(err)
	}
	got, err := generate.ReadIncidents(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, incs) {
		t.Fatalf("read %+v, wrote %+v", got, incs)
	}
}

func TestReadIncidentsNamesTheBadLine(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"header", "x,type,root_cause,dim,value,start,end,id\n", "line 1"},
		{"time", strings.Join(generate.IncidentHeader, ",") + "\na,b,c,d,e,yesterday,2025-01-01T00:00:00Z,EXC-1\n", "line 2"},
		{"fields", strings.Join(generate.IncidentHeader, ",") + "\na,b\n", "line 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := generate.ReadIncidents(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one naming %s", err, tc.want)
			}
		})
	}
}
