package generate

// Internal test: templates are unexported data, and checking them directly
// catches a typo in a variable name that would otherwise render as "".

import (
	"fmt"
	"strings"
	"testing"
)

// allTemplates lists every template with a name for error messages.
func allTemplates() map[string]string {
	out := make(map[string]string)
	for _, c := range causes {
		for i, t := range c.texts {
			out[fmt.Sprintf("%s/%d", c.RootCause, i)] = t.text
		}
	}
	for cause, byERP := range erpMessages {
		for erp, msgs := range byERP {
			for i, m := range msgs {
				out[fmt.Sprintf("erp_msg/%s/%s/%d", cause, erp, i)] = m
			}
		}
	}
	for name, frags := range fragments {
		for i, f := range frags {
			out[fmt.Sprintf("fragment/%s/%d", name, i)] = f
		}
	}
	for i, v := range vagueTexts {
		out[fmt.Sprintf("vague/%d", i)] = v
	}
	return out
}

func TestTemplatesAreWellFormed(t *testing.T) {
	for name, tmpl := range allTemplates() {
		vars, err := lint(tmpl)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for _, v := range vars {
			frag, isFrag := strings.CutPrefix(v, "@")
			switch {
			case isFrag && len(fragments[frag]) == 0:
				t.Errorf("%s: unknown fragment %q", name, frag)
			case !isFrag && varFuncs[v] == nil:
				t.Errorf("%s: unknown variable %q", name, v)
			}
		}
	}
}

func TestEveryCauseHasManyPhrasings(t *testing.T) {
	for _, c := range causes {
		if len(c.texts) < 6 {
			t.Errorf("%s has %d templates, want at least 6", c.RootCause, len(c.texts))
		}
		if c.params == nil || c.weight <= 0 {
			t.Errorf("%s lacks params or weight", c.RootCause)
		}
	}
	for _, c := range erpCauses {
		if len(erpMessages[c.RootCause]) != len(erpNames) {
			t.Errorf("%s: ERP messages for %d of %d ERPs", c.RootCause, len(erpMessages[c.RootCause]), len(erpNames))
		}
	}
}

func TestRender(t *testing.T) {
	vars := map[string]string{"inv": "INV-1", "amt": "$5"}
	tests := []struct {
		tmpl string
		want []string // any of these
	}{
		{"plain text", []string{"plain text"}},
		{"${inv} costs ${amt}", []string{"INV-1 costs $5"}},
		{"{a|b}", []string{"a", "b"}},
		{"x{|y}", []string{"x", "xy"}},
		{"{a{1|2}|b}", []string{"a1", "a2", "b"}},
		{`\{"k":"${inv}"\} \| $1`, []string{`{"k":"INV-1"} | $1`}},
		{"{${inv}|${amt}}", []string{"INV-1", "$5"}},
	}
	r := newRNG(1, 99)
	for _, tt := range tests {
		seen := make(map[string]bool)
		for range 50 {
			var b strings.Builder
			render(&b, tt.tmpl, r, func(n string) string { return vars[n] })
			seen[b.String()] = true
		}
		for got := range seen {
			if !contains(tt.want, got) {
				t.Errorf("render(%q) = %q, want one of %q", tt.tmpl, got, tt.want)
			}
		}
		if len(seen) != len(tt.want) {
			t.Errorf("render(%q) produced %d variants in 50 draws, want %d", tt.tmpl, len(seen), len(tt.want))
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func TestLintRejectsMalformed(t *testing.T) {
	for _, tmpl := range []string{"{a|b", "a}b", "${inv", "{{a}"} {
		if _, err := lint(tmpl); err == nil {
			t.Errorf("lint(%q) = nil, want an error", tmpl)
		}
	}
}

func TestAddTyposKeepsFacts(t *testing.T) {
	r := newRNG(3, 99)
	in := "late usage for INV-10234 acct_217 needs rerate"
	for range 100 {
		out := addTypos(r, in)
		for _, fact := range []string{"INV-10234", "acct_217", "for"} {
			if !strings.Contains(out, fact) {
				t.Fatalf("addTypos(%q) = %q lost %q", in, out, fact)
			}
		}
		if strings.Count(out, " ") != strings.Count(in, " ") {
			t.Fatalf("addTypos changed word count: %q", out)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	r := newRNG(5, 99)
	tests := []struct {
		v      float64
		cur    string
		region string
		want   []string
	}{
		{1234.5, "USD", "NA", []string{"USD 1,234.50", "1,234.50 USD", "$1,234.50", "1234.50 USD"}},
		{1234567, "JPY", "APAC", []string{"JPY 1,234,567", "1,234,567 JPY", "¥1,234,567", "1234567 JPY"}},
		{-99.99, "EUR", "EMEA", []string{"-EUR 99.99", "-99,99 EUR", "-€99.99", "-99.99 EUR"}},
	}
	for _, tt := range tests {
		for range 40 {
			if got := formatMoney(r, tt.v, tt.cur, tt.region); !contains(tt.want, got) {
				t.Errorf("formatMoney(%v, %s) = %q", tt.v, tt.cur, got)
			}
		}
	}
}
