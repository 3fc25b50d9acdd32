package generate

// Internal test: who really owns an alias, and which customers migrated,
// is truth the output only implies.

import (
	"regexp"
	"strings"
	"testing"
)

func TestAliasShapes(t *testing.T) {
	tests := []struct {
		shape aliasShape
		want  *regexp.Regexp
	}{
		{aliasShapes[0], regexp.MustCompile(`^acct_[1-9][0-9]{3}$`)},
		{aliasShapes[1], regexp.MustCompile(`^org-[1-9][0-9]{3}$`)},
		{aliasShapes[2], regexp.MustCompile(`^tnt_[0-9a-f]{6}$`)},
	}
	r := newRNG(11, 99)
	for _, tt := range tests {
		t.Run(tt.shape.prefix, func(t *testing.T) {
			for range 200 {
				key := tt.shape.fresh(r)
				if !tt.want.MatchString(key) {
					t.Fatalf("fresh key %q", key)
				}
				if near := tt.shape.near(r, key); !oneApart(key, near) {
					t.Fatalf("near(%q) = %q: not one character or a one-character suffix apart", key, near)
				}
			}
		})
	}
}

// oneApart: same length with one character changed, or b is a with one
// character appended.
func oneApart(a, b string) bool {
	if len(b) == len(a)+1 {
		return strings.HasPrefix(b, a)
	}
	diff := 0
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			diff++
		}
	}
	return len(a) == len(b) && diff == 1
}

func TestAliasesAreUniqueAndOwned(t *testing.T) {
	w := sampleWorld(t)
	owner := make(map[string]*customer)
	for _, cu := range w.customers {
		owner[cu.acct] = cu
	}
	twins := 0
	for _, cu := range w.customers {
		if n := len(cu.aliases); n < 1 || n > 3 {
			t.Errorf("%s has %d aliases", cu.id, n)
		}
		prefixes := make(map[string]bool)
		for _, a := range cu.aliases {
			prefix := a.key[:4]
			if owner[a.key] != nil || prefixes[prefix] || a.owner != cu {
				t.Errorf("%s: alias %s repeats a key or a shape", cu.id, a.key)
			}
			owner[a.key], prefixes[prefix] = cu, true
			for _, tw := range a.twins {
				twins++
				if tw.owner == cu || !oneApart(a.key, tw.key) && !oneApart(tw.key, a.key) {
					t.Errorf("%s and its look-alike %s: same owner or not one apart", a.key, tw.key)
				}
			}
		}
	}
	share := float64(twins) / float64(len(w.aliases))
	t.Logf("%d aliases, %.0f%% with a look-alike", len(w.aliases), 100*share)
	if share < 0.1 || share > 0.5 {
		t.Errorf("look-alike share %.2f, want about a third (each pair counts twice)", share)
	}
}

// TestAccountCorrectionsFollowOwnership checks every account correction
// against the truth: the owner's id when the record occurred, or, when
// reversed, a look-alike's owner.
func TestAccountCorrectionsFollowOwnership(t *testing.T) {
	w := sampleWorld(t)
	migrated, reversed, afterMigration := 0, 0, 0
	for _, cu := range w.customers {
		if cu.newID != "" {
			migrated++
		}
	}
	for _, d := range w.drafts {
		if d.alias == nil {
			continue
		}
		k := d.rec.Resolution.Params["corrections"].([]any)[0].(map[string]any)
		want := d.alias.owner.idAt(d.rec.OccurredAt)
		if _, ok := k["reversed_at"]; ok {
			reversed++
			want = ""
			for _, tw := range d.alias.twins {
				if k["to"] == tw.owner.idAt(d.rec.OccurredAt) {
					want = k["to"].(string)
				}
			}
		}
		if k["to"] != want || k["key"] != d.alias.key {
			t.Errorf("%s: correction %v, want %s → %s", d.rec.ID, k, d.alias.key, want)
		}
		if want == d.alias.owner.newID {
			afterMigration++
		}
	}
	t.Logf("%d migrated customers, %d corrections to a new id, %d reversed", migrated, afterMigration, reversed)
	if want := len(w.customers) * 5 / 100; migrated < want || migrated > want+1 || afterMigration == 0 || reversed == 0 {
		t.Errorf("%d migrated customers (want about %d), %d corrections after migration, %d reversed: want all three",
			migrated, want, afterMigration, reversed)
	}
}
