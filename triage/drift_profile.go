package triage

import (
	"cmp"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Profile is what one source's payloads look like over a set of records:
// which fields they carry and how often, the JSON types and value shapes
// of each, and the templates of their texts.
type Profile struct {
	Source  string
	Records int
	Fields  map[string]*FieldProfile
	// Templates counts the records per text template (TextTemplate).
	Templates map[string]int
	// firstOf keeps, per feature, the first records that showed it, and
	// first the first records of all, for a finding's examples.
	firstOf map[string][]string
	first   []string
}

// FieldProfile is one field's presence, types and shapes.
type FieldProfile struct {
	Present int
	Types   map[string]int
	Shapes  map[string]int
}

// maxExamples is how many offending records a finding names.
const maxExamples = 3

// profileFields are the exception's own fields a source fills or not;
// attributes are profiled under "attributes.NAME".
var profileFields = []string{"customer_id", "invoice_id", "amount", "currency", "region"}

// ProfileOf profiles the payloads of exs by source.
func ProfileOf(exs []Exception) map[string]*Profile {
	out := map[string]*Profile{}
	for i := range exs {
		ex := &exs[i]
		p := out[ex.Source]
		if p == nil {
			p = &Profile{Source: ex.Source, Fields: map[string]*FieldProfile{}, Templates: map[string]int{}, firstOf: map[string][]string{}}
			out[ex.Source] = p
		}
		p.add(ex)
	}
	return out
}

func (p *Profile) add(ex *Exception) {
	p.Records++
	ref := cmp.Or(ex.ExternalID, fmt.Sprint(ex.ID))
	if len(p.first) < maxExamples {
		p.first = append(p.first, ref)
	}
	for name, v := range payloadValues(ex) {
		f := p.Fields[name]
		if f == nil {
			f = &FieldProfile{Types: map[string]int{}, Shapes: map[string]int{}}
			p.Fields[name] = f
		}
		f.Present++
		typ := jsonType(v)
		f.Types[typ]++
		p.note("field:"+name, ref)
		p.note("type:"+name+":"+typ, ref)
		if s, ok := v.(string); ok {
			sh := ValueShape(s)
			f.Shapes[sh]++
			p.note("shape:"+name+":"+sh, ref)
		}
	}
	t := TextTemplate(ex.Text)
	p.Templates[t]++
	p.note("template:"+t, ref)
}

func (p *Profile) note(feature, ref string) {
	if len(p.firstOf[feature]) < maxExamples {
		p.firstOf[feature] = append(p.firstOf[feature], ref)
	}
}

// payloadValues are the fields the exception carries, by name.
func payloadValues(ex *Exception) map[string]any {
	out := map[string]any{}
	places := ex.Facts().Places()
	for _, f := range profileFields {
		if v, ok := places[f]; ok {
			out[f] = v
		}
	}
	for k, v := range ex.Attributes {
		if k != OriginalAttr {
			out[attrPrefix+k] = v
		}
	}
	return out
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return "number"
}

// ValueShape is a value's shape: upper-case letters become A, lower-case
// a, digits 9, each run collapsed to one, other characters kept, so
// "acct_3514" is "a_9", "C-1001" is "A-9" and "USD" is "A". A key that
// changes shape (a new id scheme, an API version's casing) shows here.
func ValueShape(s string) string {
	var b strings.Builder
	var last rune = -1
	for _, r := range s {
		c := r
		switch {
		case unicode.IsUpper(r):
			c = 'A'
		case unicode.IsLetter(r):
			c = 'a'
		case unicode.IsDigit(r):
			c = '9'
		}
		if c != last || !strings.ContainsRune("Aa9", c) {
			b.WriteRune(c)
		}
		last = c
		if b.Len() >= 40 {
			break
		}
	}
	return b.String()
}

// templateWords is how many words a text template keeps.
const templateWords = 4

// TextTemplate is a log line's template: its first few words of letters,
// lower-cased, skipping any run that touches a digit (ids, amounts,
// dates), so lines written by the same statement share it.
func TextTemplate(text string) string {
	var words []string
	for _, tok := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(tok) < 3 || strings.IndexFunc(tok, unicode.IsDigit) >= 0 {
			continue
		}
		words = append(words, strings.ToLower(tok))
		if len(words) == templateWords {
			break
		}
	}
	return strings.Join(words, " ")
}

// sortedNames returns m's keys in order.
func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
