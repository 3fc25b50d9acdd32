package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A bad policy file is refused before any connection, with the line and
// field at fault and a non-zero exit.
func TestPolicyPreviewNamesTheLineOfABadFile(t *testing.T) {
	env := map[string]string{"DATABASE_URL": unreachableDB}
	for _, tc := range []struct {
		name, body, want string
	}{
		{"unknown key", "{\n  \"default_threshold\": 0.8,\n  \"neighbours\": 10\n}\n", ":3: neighbours: "},
		{"bad value", "{\n  \"max_auto_amount\": 100,\n  \"default_threshold\": -1\n}\n", ":3: default_threshold: must be >= 0"},
		{"broken JSON", "{\n  \"default_threshold\": 0.8,\n  \"x\": \n}\n", ":4: policy is not valid JSON"},
		{"wrong type", "{\n  \"neighbors\": \"ten\"\n}\n", ":2: neighbors: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "draft.json")
			if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := runMain(t, env, "", "policy", "preview", path, "--since", "30d")
			if code == 0 || !strings.Contains(stderr, path+tc.want) {
				t.Errorf("exit %d, stderr %q; want non-zero naming %q", code, stderr, path+tc.want)
			}
		})
	}
	code, _, stderr := runMain(t, env, "", "policy", "preview", filepath.Join(t.TempDir(), "none.json"), "--since", "120d")
	if code == 0 || stderr == "" {
		t.Errorf("a missing file: exit %d, stderr %q", code, stderr)
	}
}
