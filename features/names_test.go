package features_test

import (
	"encoding/hex"
	"testing"

	"github.com/billtriage/billtriage/features"
)

func TestNamesAreUniqueAndSized(t *testing.T) {
	names := features.Names()
	if len(names) != features.NumFeatures {
		t.Fatalf("%d names, NumFeatures %d", len(names), features.NumFeatures)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] || n == "" {
			t.Errorf("name %q is empty or repeated", n)
		}
		seen[n] = true
	}
}

func TestFeatureHashIsStableSHA256(t *testing.T) {
	h := features.FeatureHash()
	if b, err := hex.DecodeString(h); err != nil || len(b) != 32 {
		t.Fatalf("hash %q is not hex SHA-256", h)
	}
	// A caller scribbling on Names' result must not change the hash.
	features.Names()[0] = "changed"
	if got := features.FeatureHash(); got != h {
		t.Errorf("hash changed to %s after modifying a copy of the names", got)
	}
}
