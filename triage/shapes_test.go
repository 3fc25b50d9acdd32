package triage_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

// keyMaker makes the i-th key of a shape from a seeded source.
type keyMaker func(r *rand.Rand) string

func accDotted(r *rand.Rand) string {
	return fmt.Sprintf("ACC.%d.%04d", 1+r.IntN(12), r.IntN(10000))
}

func custSlashed(r *rand.Rand) string {
	return fmt.Sprintf("CUST/%d/%04d", 1+r.IntN(12), r.IntN(10000))
}

func uuidLike(r *rand.Rand) string {
	hex := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte("0123456789abcdef"[r.IntN(16)])
		}
		return b.String()
	}
	return strings.Join([]string{hex(8), hex(4), hex(4), hex(4), hex(12)}, "-")
}

// generatorKeys are the shapes the synthetic generator makes, which the
// code used to list: acct_217, org-4411, tnt_9f2c31.
func generatorKeys(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("acct_%d", 1000+r.IntN(9000))
	case 1:
		return fmt.Sprintf("org-%d", 1000+r.IntN(9000))
	}
	return fmt.Sprintf("tnt_%06x", r.IntN(1<<24))
}

// distinctKeys returns n distinct keys and one more, unseen.
func distinctKeys(mk keyMaker, seed uint64, n int) ([]triage.CorrectionKey, string) {
	r := rand.New(rand.NewPCG(seed, 7))
	seen := map[string]bool{}
	var out []triage.CorrectionKey
	for len(out) <= n {
		k := mk(r)
		if !seen[k] {
			seen[k] = true
			out = append(out, triage.CorrectionKey{Key: k})
		}
	}
	return out[:n], out[n].Key
}

// ordinary is text a key shape must not take for a key: words, numbers,
// dates, amounts, times, versions, and ids of other shapes.
var ordinary = []string{"account", "rejected", "Usage", "42", "2025", "7", "0042", "2025-01-03", "2025/01/03",
	"03.01.2025", "1,234.56", "289.57", "12:30:45", "v1.2.3", "INV-10011", "C-1106", "SKU-SVC-171", "SKU-SVC-171@US01",
	"US01", "deadbeef", "9f2c31ab", "ACC.7", "CUST/7", "ACC.7.00421", "CUST/7/00421", "acc.7.0042", "cust/7/0042",
	"ACC-7-0042", "CUST.7.0042", "7f3c9a2e-1b4d-4c8e-9f00", "+1 415 555 0100", "PO-2025-0042"}

func TestLearnedShapesFindUnseenKeysOfTheirShapeOnly(t *testing.T) {
	for _, tc := range []struct {
		name string
		make keyMaker
	}{
		{"dotted ACC.7.0042", accDotted},
		{"slashed CUST/7/0042", custSlashed},
		{"UUID-like 7f3c…", uuidLike},
		{"the generator's acct_/org-/tnt_", generatorKeys},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 20
			if tc.name == "the generator's acct_/org-/tnt_" {
				n = 60 // three shapes, 20 keys each on average
			}
			keys, unseen := distinctKeys(tc.make, 1, n)
			ks := triage.LearnKeyShapes("account_id", keys, triage.DefaultShapes)
			if len(ks.Shapes) == 0 {
				t.Fatalf("nothing learned from %d keys like %s", n, keys[0].Key)
			}
			t.Logf("learned %v", patterns(ks))
			for _, k := range keys {
				if !ks.Matches(k.Key) {
					t.Errorf("learned %v do not match their own key %s", patterns(ks), k.Key)
				}
			}
			text := fmt.Sprintf("Usage events for unknown account %s rejected by rating on 2025-01-03 (INV-10011, USD 289.57)", unseen)
			got, ok := ks.Find(&triage.Exception{Text: text})
			if !ok || got != unseen {
				t.Errorf("in %q found %q (%v), want %s; shapes %v", text, got, ok, unseen, patterns(ks))
			}
			for _, s := range ordinary {
				if ks.Matches(s) {
					t.Errorf("shapes %v take %q for a key", patterns(ks), s)
				}
				if got, ok := ks.Find(&triage.Exception{Text: "see " + s + " today"}); ok {
					t.Errorf("shapes %v found %q in text about %q", patterns(ks), got, s)
				}
			}
		})
	}
}

func patterns(ks *triage.KeyShapes) []string {
	var out []string
	for _, s := range ks.Shapes {
		out = append(out, s.Pattern)
	}
	return out
}

func TestShapesNeedSupportAndSpecificity(t *testing.T) {
	few, _ := distinctKeys(custSlashed, 2, 4)
	mixed := append(few[:2:2], triage.CorrectionKey{Key: "ACC.1.0001"}, triage.CorrectionKey{Key: "ACC.2.0002"})
	words := keyList("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")
	numbers := keyList("1001", "2002", "3003", "4004", "5005", "6006")
	dates := keyList("2025-01-03", "2025-02-11", "2024-12-31", "2025-03-09", "2025-04-20")
	amounts := keyList("1,234.56", "2,000.00", "9,999.99", "1,500.25", "3,210.10")
	hexBlobs := keyList("9f2c31ab", "0a1b2c3d", "deadbe01", "c0ffee12", "12ab34cd")
	lettersThenNumber := keyList("ABC-12345", "XYZ-55555", "QRS-10001", "LMN-20002", "DEF-30003", "GHI-40004")
	for name, keys := range map[string][]triage.CorrectionKey{"4 keys": few, "two shapes of 2": mixed,
		"words": words, "bare numbers": numbers, "dates": dates, "amounts": amounts, "bare hex": hexBlobs,
		"varying letters and a number": lettersThenNumber} {
		if ks := triage.LearnKeyShapes("account_id", keys, triage.DefaultShapes); len(ks.Shapes) != 0 {
			t.Errorf("%s: learned %v", name, patterns(ks))
		}
	}
}

func keyList(keys ...string) []triage.CorrectionKey {
	out := make([]triage.CorrectionKey, len(keys))
	for i, k := range keys {
		out[i] = triage.CorrectionKey{Key: k}
	}
	return out
}

func TestAttributeNamesAreLearnedFromTheKeysTheyCarried(t *testing.T) {
	keys, unseen := distinctKeys(custSlashed, 3, 20)
	for i := range keys {
		keys[i].Attrs = []string{"billing_ref"}
		if i < 3 {
			keys[i].Attrs = append(keys[i].Attrs, "note_ref") // too few to count
		}
	}
	ks := triage.LearnKeyShapes("account_id", keys, triage.DefaultShapes)
	if len(ks.Attrs) != 1 || ks.Attrs[0] != "billing_ref" {
		t.Fatalf("attribute names %v, want [billing_ref]", ks.Attrs)
	}
	ex := &triage.Exception{Text: "no key in here", Attributes: map[string]any{"billing_ref": "legacy-7", "note_ref": unseen}}
	if got, ok := ks.Find(ex); !ok || got != "legacy-7" {
		t.Errorf("a learned attribute name should win: %q %v", got, ok)
	}
	delete(ex.Attributes, "billing_ref")
	if got, ok := ks.Find(ex); !ok || got != unseen {
		t.Errorf("an attribute whose value has a learned shape should be found: %q %v", got, ok)
	}
}

// FuzzLearnKeyShapes learns from arbitrary keys: it must not panic, and
// every learned pattern must compile and match as many of the keys as it
// claims to be learned from.
func FuzzLearnKeyShapes(f *testing.F) {
	f.Add("ACC.7.0042\nACC.8.0043\nACC.9.1043\nACC.10.0001\nACC.11.9999")
	f.Add("7f3c9a2e-1b4d-4c8e-9f00-123456789abc\n0a3c9a2e-1b4d-4c8e-9f00-12345678aabc")
	f.Add("acct_1\nacct_22\nacct_333\nacct_4444\nacct_55555\n\x00\xff/ü//")
	f.Fuzz(func(t *testing.T, data string) {
		keys := keyList(strings.Split(data, "\n")...)
		cfg := triage.DefaultShapes
		cfg.MinSupport = 2
		ks := triage.LearnKeyShapes("f", keys, cfg)
		for _, sh := range ks.Shapes {
			re, err := regexp.Compile(`^(?:` + sh.Pattern + `)$`)
			if err != nil {
				t.Fatalf("pattern %q: %v", sh.Pattern, err)
			}
			n := 0
			for _, k := range distinct(keys) {
				if re.MatchString(k) {
					n++
				}
			}
			if n < sh.Support {
				t.Errorf("pattern %q matches %d keys, learned from %d", sh.Pattern, n, sh.Support)
			}
		}
		ks.Find(&triage.Exception{Text: data, Attributes: map[string]any{"x": data}})
	})
}

func distinct(keys []triage.CorrectionKey) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		if !seen[k.Key] {
			seen[k.Key] = true
			out = append(out, k.Key)
		}
	}
	return out
}
