package triage_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

// history builds n resolved cases of one action with f.
func history(n int, f func(i int) triage.ParamExample) []triage.ParamExample {
	out := make([]triage.ParamExample, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func amountOf(v float64) *float64 { return &v }

// Shapes and names here are none the generator makes: agreements written
// AGR/2031/17, entities DE-7, references like 7f3c-0042.
func TestParamsComeFromTheCase(t *testing.T) {
	entities := []string{"DE-7", "FR-2", "NL-9", "AT-4"}
	hist := history(40, func(i int) triage.ParamExample {
		agr := fmt.Sprintf("AGR/%d/%02d", 2030+i%3, i)
		pct := 5 + i%4*5
		ent := entities[i%4]
		return triage.ParamExample{
			Text: fmt.Sprintf("Invoice 88%04d for %d seats ignores agreement %s: the discount of %d%% was not applied.", i, 10+i, agr, pct),
			Facts: triage.Facts{Amount: amountOf(float64(100 + i)), Currency: "EUR",
				Attributes: map[string]any{"ledger": ent, "seats": float64(10 + i)}},
			Params: map[string]any{"agreement": agr, "discount_pct": float64(pct), "ledger_entity": ent,
				"credit": float64(100 + i), "reason": "contract_terms"},
		}
	})
	ps := triage.LearnParams("grant_discount", hist, triage.DefaultParams)

	ex := &triage.Exception{Text: "Invoice 880777 for 31 seats ignores agreement AGR/2031/77: the discount of 20% was not applied.",
		Amount: amountOf(912.5), Currency: "EUR", Attributes: map[string]any{"ledger": "BE-1", "seats": 31.0}}
	got, needs, _ := ps.Resolve(ex, nil, nil)
	if len(needs) != 0 {
		t.Fatalf("needs %v", needs)
	}
	tests := []struct {
		name   string
		value  any
		source triage.ParamSource
		from   string
	}{
		{"agreement", "AGR/2031/77", triage.SourceText, "text"},
		{"discount_pct", "20", triage.SourceText, "text"},
		{"ledger_entity", "BE-1", triage.SourceCase, "attributes.ledger"},
		{"credit", 912.5, triage.SourceCase, "amount"},
		{"reason", "contract_terms", triage.SourcePrecedent, "precedents"},
	}
	for _, tt := range tests {
		sp, ok := got[tt.name]
		if !ok {
			t.Errorf("%s: not suggested", tt.name)
			continue
		}
		if !triage.SameValue(sp.Value, tt.value) || sp.Source != tt.source || sp.From != tt.from || !sp.Required {
			t.Errorf("%s = %v from %s %s (required %v), want %v from %s %s", tt.name, sp.Value, sp.Source, sp.From, sp.Required, tt.value, tt.source, tt.from)
		}
		if sp.Confidence < 0.9 || sp.Evidence < 20 {
			t.Errorf("%s: confidence %.3f on %d cases", tt.name, sp.Confidence, sp.Evidence)
		}
	}
}

func TestMappedParamComesFromEnrichment(t *testing.T) {
	hist := history(30, func(i int) triage.ParamExample {
		gl := fmt.Sprintf("GL:%d:rev", 7000+i%6)
		return triage.ParamExample{
			Text:  "Journal rejected: no revenue account for the item",
			Facts: triage.Facts{Attributes: map[string]any{"item": fmt.Sprintf("it-%d", i%6)}},
			Params: map[string]any{"account": gl, "corrections": []any{
				map[string]any{"field": "gl_account", "key": fmt.Sprintf("it-%d", i%6), "from": "", "to": gl}}},
		}
	})
	ps := triage.LearnParams("map_account", hist, triage.DefaultParams)
	ex := &triage.Exception{Text: "Journal rejected: no revenue account for the item", Attributes: map[string]any{"item": "it-9"}}

	got, needs, _ := ps.Resolve(ex, map[string]triage.SuggestedParam{"corrections.gl_account": {Value: "GL:7009:rev", Confidence: 0.97, Evidence: 12}}, nil)
	sp := got["account"]
	if len(needs) != 0 || sp.Value != "GL:7009:rev" || sp.Source != triage.SourceMapping || sp.From != "corrections.gl_account" || sp.Evidence != 12 {
		t.Fatalf("got %+v, needs %v", sp, needs)
	}
	if sp.Confidence < 0.9 {
		t.Errorf("the mapping source was right on all 30 cases, confidence %.3f", sp.Confidence)
	}

	// Without a mapping the required parameter has no source: a person.
	got, needs, _ = ps.Resolve(ex, nil, nil)
	if _, ok := got["account"]; ok || len(needs) != 1 || !strings.Contains(needs[0], "parameter account") {
		t.Errorf("no mapping: got %v, needs %v", got, needs)
	}
}

func TestParamTheTextContradictsNeedsAPerson(t *testing.T) {
	hist := history(30, func(i int) triage.ParamExample {
		ent := []string{"UK02", "US01", "DE03"}[i%3]
		return triage.ParamExample{
			Text:   fmt.Sprintf("posting failed for entity %s", ent),
			Facts:  triage.Facts{Attributes: map[string]any{"entity": ent}},
			Params: map[string]any{"entity": ent},
		}
	})
	ps := triage.LearnParams("sync", hist, triage.DefaultParams)
	got, needs, _ := ps.Resolve(&triage.Exception{Text: "posting failed for entity US01", Attributes: map[string]any{"entity": "UK02"}}, nil, nil)
	if got["entity"].Value != "UK02" || got["entity"].TextSays != "US01" || len(needs) != 1 {
		t.Errorf("got %+v, needs %v", got["entity"], needs)
	}
}

// A value the history never found anywhere in its cases, and that varies,
// is not learnable: when it is required, the item goes to a person.
func TestUnsourcedRequiredParamNeedsAPerson(t *testing.T) {
	hist := history(30, func(i int) triage.ParamExample {
		return triage.ParamExample{Text: "ERP timed out", Params: map[string]any{"retry_after": fmt.Sprintf("%dm", 5+i%4*10)}}
	})
	ps := triage.LearnParams("retry", hist, triage.DefaultParams)
	got, needs, spared := ps.Resolve(&triage.Exception{Text: "ERP timed out"}, nil, nil)
	if len(got) != 0 || len(needs) != 1 || !strings.Contains(needs[0], "no trustworthy source") {
		t.Errorf("got %v, needs %v", got, needs)
	}
	// Every resolution stated it: a suggestion without it is almost surely
	// not what a person records, and its confidence must say so.
	if spared > 1.0/30 {
		t.Errorf("confidence factor of a missing required parameter %.3f", spared)
	}
}

// An optional parameter (stated in few resolutions) is suggested when the
// case states it and silently left out when not.
func TestOptionalParam(t *testing.T) {
	hist := history(40, func(i int) triage.ParamExample {
		p := map[string]any{"meter": "api_calls"}
		text := "usage arrived late for api_calls"
		if i%4 == 0 {
			p["period"] = fmt.Sprintf("2031-%02d", 1+i%12)
			text += " in period " + p["period"].(string)
		}
		return triage.ParamExample{Text: text, Facts: triage.Facts{Attributes: map[string]any{"meter": "api_calls"}}, Params: p}
	})
	ps := triage.LearnParams("rerate", hist, triage.DefaultParams)
	got, needs, _ := ps.Resolve(&triage.Exception{Text: "usage arrived late for api_calls", Attributes: map[string]any{"meter": "api_calls"}}, nil, nil)
	if len(needs) != 0 || len(got) != 1 {
		t.Errorf("without a period: got %v, needs %v", got, needs)
	}
	got, _, _ = ps.Resolve(&triage.Exception{Text: "usage arrived late for api_calls in period 2032-11", Attributes: map[string]any{"meter": "api_calls"}}, nil, nil)
	if got["period"].Value != "2032-11" || got["period"].Required {
		t.Errorf("with a period: %+v", got["period"])
	}
}

// The policy's default fills a parameter the case does not state, and is
// named as the policy's; a value the case states wins over it.
func TestPolicyDefaultFillsWhatTheCaseCannot(t *testing.T) {
	hist := history(30, func(i int) triage.ParamExample {
		return triage.ParamExample{Text: "ERP timed out for entity " + []string{"US01", "UK02"}[i%2],
			Facts:  triage.Facts{Attributes: map[string]any{"entity": []string{"US01", "UK02"}[i%2]}},
			Params: map[string]any{"retry_after": fmt.Sprintf("%dm", 5+i%4*10), "entity": []string{"US01", "UK02"}[i%2]}}
	})
	ps := triage.LearnParams("retry", hist, triage.DefaultParams)
	defaults := map[string]any{"retry_after": "15m", "entity": "XX99", "reason": "erp_timeout"}
	got, needs, spared := ps.Resolve(&triage.Exception{Text: "ERP timed out for entity UK02", Attributes: map[string]any{"entity": "UK02"}}, nil, defaults)
	if len(needs) != 0 || spared != 1 {
		t.Errorf("needs %v, spared %v", needs, spared)
	}
	tests := []struct {
		name     string
		value    any
		source   triage.ParamSource
		required bool
	}{
		{"retry_after", "15m", triage.SourcePolicy, true},
		{"entity", "UK02", triage.SourceCase, true},
		{"reason", "erp_timeout", triage.SourcePolicy, false},
	}
	for _, tt := range tests {
		if sp := got[tt.name]; sp.Value != tt.value || sp.Source != tt.source || sp.Required != tt.required {
			t.Errorf("%s: %+v, want %v from %s (required %v)", tt.name, sp, tt.value, tt.source, tt.required)
		}
	}
}
