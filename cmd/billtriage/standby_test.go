package main_test

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// TestServeReadsKNNFromStandby runs serve with DATABASE_READ_URL on a real
// streaming standby (`make standby`): exceptions are stored and decided on
// the primary, while the kNN search behind each decision is answered by
// the standby, as the standby's own table statistics show.
func TestServeReadsKNNFromStandby(t *testing.T) {
	standby := pgtest.RequireStandby(t)
	bin := buildBinary(t)
	env := serviceEnv(t)
	schema := strings.TrimPrefix(env[2], "BILLTRIAGE_SCHEMA=")
	dir := t.TempDir()
	run(t, bin, env, "generate", "--seed", "7", "--exceptions", "400", "--invoices", "40", "--out", dir)
	run(t, bin, env, "load", "--exceptions", filepath.Join(dir, "exceptions.jsonl"), "--invoices", filepath.Join(dir, "invoices.csv"))
	key := strings.TrimSpace(run(t, bin, env, "keys", "create", "--role", "admin", "--name", "standby"))
	run(t, bin, env, "generate", "--seed", "8", "--exceptions", "12", "--invoices", "5", "--out", filepath.Join(dir, "new"))
	recs := unlabelled(t, filepath.Join(dir, "new", "exceptions.jsonl"))

	pgtest.WaitReplayed(t, standby, 30*time.Second)
	before := pgtest.ResolutionReads(t, standby, schema)
	base := startServer(t, bin, append(env, "DATABASE_READ_URL="+pgtest.StandbyURL()))
	for i, r := range recs {
		r.ID = fmt.Sprintf("standby-%d", i)
		res := post(t, key, base+"/v1/exceptions", r)
		dec := res["decision"].(map[string]any)
		if len(dec["neighbors"].([]any)) == 0 {
			t.Errorf("%s: decided without precedents: %v", r.ID, dec)
		}
		// The write went to the primary: it reads its own exception back.
		id := int64(res["exception"].(map[string]any)["id"].(float64))
		if got := get(t, key, fmt.Sprintf("%s/v1/exceptions/%d", base, id)); got["exception"] == nil {
			t.Errorf("%s: not found on the primary after the POST: %v", r.ID, got)
		}
	}
	// Table statistics reach the view within about a second.
	var reads int64
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if reads = pgtest.ResolutionReads(t, standby, schema) - before; reads >= int64(len(recs)) {
			break
		}
	}
	if reads < int64(len(recs)) {
		t.Fatalf("the standby read the history %d times during %d POSTs, want at least one kNN search each", reads, len(recs))
	}
	// Every read the standby was given, it answered.
	if m := metricsText(t, base); !strings.Contains(m, "\nbilltriage_standby_read_fallbacks_total 0\n") {
		t.Errorf("want billtriage_standby_read_fallbacks_total 0 in /metrics:\n%s", m)
	}
	// The queue listing is served from the standby too, once it has
	// replayed the decisions.
	pgtest.WaitReplayed(t, standby, 30*time.Second)
	total := 0
	for _, q := range []string{"finance", "revops", "support", "tax"} {
		total += int(get(t, key, base+"/v1/queues/"+q)["total"].(float64))
	}
	if total == 0 {
		t.Errorf("no queued item listed from the standby after %d POSTs", len(recs))
	}
}

// metricsText returns the Prometheus exposition of the server at base.
func metricsText(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d %v", resp.StatusCode, err)
	}
	return string(b)
}
