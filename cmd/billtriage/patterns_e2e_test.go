package main_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset/generate"
)

// TestPatternsEndToEnd drives the real binary from a generated history
// that ends now with seeded incidents: generate, load, triage the open
// items, serve (whose periodic job detects at start), then the API and
// the Patterns page must show the ERP mapping broken for one entity in
// the last days as a spike concentrated on that entity.
func TestPatternsEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	env := serviceEnv(t)
	dir := t.TempDir()
	run(t, bin, env, "generate", "--seed", "11", "--exceptions", "3000", "--invoices", "1000", "--end", "now", "--open", "150", "--incidents", "--out", dir)
	f, err := os.Open(filepath.Join(dir, "incidents.csv"))
	if err != nil {
		t.Fatal(err)
	}
	incs, err := generate.ReadIncidents(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var erp generate.Incident
	for _, inc := range incs {
		if inc.Type == "erp_posting_failure" {
			erp = inc
		}
	}
	if len(erp.IDs) == 0 || erp.Dim != "attributes.entity" {
		t.Fatalf("no ERP incident seeded: %+v", incs)
	}
	run(t, bin, env, "load", "--exceptions", filepath.Join(dir, "exceptions.jsonl"), "--invoices", filepath.Join(dir, "invoices.csv"))
	run(t, bin, env, "triage", "--in", filepath.Join(dir, "open.jsonl"))
	key := strings.TrimSpace(run(t, bin, env, "keys", "create", "--role", "finance", "--name", "e2e-patterns"))
	base := startServer(t, bin, env)

	var body map[string]any
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(500 * time.Millisecond) {
		body = get(t, key, base+"/v1/patterns?type=erp_posting_failure")
		if body["run"] != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no pattern run within two minutes of serve's start")
		}
	}
	pr := body["run"].(map[string]any)
	where := "entity=" + erp.Value
	var found []string
	for _, s := range pr["spikes"].([]any) {
		sp := s.(map[string]any)
		found = append(found, sp["type"].(string)+"/"+str(sp["root_cause"])+"/"+str(sp["where"]))
	}
	var hit map[string]any
	for _, p := range body["patterns"].([]any) {
		pm := p.(map[string]any)
		if sp, ok := pm["spike"].(map[string]any); ok && pm["root_cause"] == erp.RootCause && sp["where"] == where {
			hit = pm
		}
	}
	if hit == nil {
		t.Fatalf("no %s pattern spiking at %s; spikes: %v", erp.RootCause, where, found)
	}
	sp := hit["spike"].(map[string]any)
	t.Logf("%s: %v observed against %.2f expected, p=%.1e, at %s; %v open", hit["id"], sp["observed"], sp["expected"], sp["p_value"], where, hit["open"])
	if hit["open"].(float64) == 0 {
		t.Errorf("the incident's pattern holds no open item although the newest records were left open")
	}

	// The page shows it, and the banner points at it.
	page := signedInPage(t, base, key, "/ui/patterns?spiking=true")
	for _, want := range []string{`id="spike-banner"`, erp.RootCause, where, `href="/ui/patterns/` + hit["id"].(string) + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the Patterns page lacks %q", want)
		}
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signedInPage signs in to the UI with key as a script would (no Origin,
// so the same-origin check lets it through) and fetches path.
func signedInPage(t *testing.T, base, key, path string) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar}
	page := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d\n%s", resp.Request.URL, resp.StatusCode, b)
		}
		return string(b)
	}
	m := csrfField.FindStringSubmatch(page(c.Get(base + "/ui/login")))
	if m == nil {
		t.Fatal("the sign-in page has no CSRF token")
	}
	page(c.PostForm(base+"/ui/login", url.Values{"key": {key}, "csrf": {m[1]}}))
	return page(c.Get(base + path))
}
