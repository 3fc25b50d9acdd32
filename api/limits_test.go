package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// hostile is an exception body that was once accepted or answered badly,
// and the field it must be refused naming.
type hostile struct {
	name, item, field string
}

// deepAttributes nests objects levels deep under attributes.
func deepAttributes(levels int) string {
	return `"attributes":` + strings.Repeat(`{"a":`, levels) + "1" + strings.Repeat("}", levels)
}

// manyKeys is an attributes object of n keys.
func manyKeys(n int) string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf(`"k%d":0`, i)
	}
	return `"attributes":{` + strings.Join(keys, ",") + "}"
}

func hostileInputs() []hostile {
	item := func(extra string) string { return `{"type":"other","text":"x",` + extra + "}" }
	return []hostile{
		{"attributes nested 9,990 deep", item(deepAttributes(9990)), "attributes"},
		{"attributes nested 30,000 deep, past encoding/json's limit", item(deepAttributes(30_000)), "attributes"},
		{"attributes nested 5 deep", item(deepAttributes(5)), "attributes"},
		{"2.4 KB customer_id", item(`"customer_id":"` + strings.Repeat("c", 2400) + `"`), "customer_id"},
		{"3 KB sender_domain", item(`"attributes":{"sender_domain":"` + strings.Repeat("d", 3000) + `.com"}`), "attributes.sender_domain"},
		{"201 attribute keys", item(manyKeys(triage.MaxAttrEntries + 1)), "attributes"},
		{"70 KB of attributes", item(`"attributes":{` + attrPad(70<<10) + `}`), "attributes"},
		{"1 MB invoice_id", item(`"invoice_id":"` + strings.Repeat("i", 1000_000) + `"`), "invoice_id"},
		{"currency ZZZ", item(`"currency":"ZZZ"`), "currency"},
		{"year 0000", item(`"occurred_at":"0000-01-01T00:00:00Z"`), "occurred_at"},
		{"year 9999", item(`"occurred_at":"9999-12-31T23:59:59Z"`), "occurred_at"},
		{"invalid UTF-8 in text", `{"type":"other","text":"caf` + "\xe9" + `"}`, "text"},
		{"invalid UTF-8 in region", item(`"region":"` + "\xff" + `"`), "region"},
		{"invalid UTF-8 attribute key", item(`"attributes":{"` + "\xc3" + `":1}`), "attributes"},
		{"invalid UTF-8 attribute value", item(`"attributes":{"a":"` + "\xed\xa0\x80" + `"}`), "attributes"},
		{"lone surrogate escape", item(`"source":"\udc00"`), "source"},
		{"amount 1e17", item(`"amount":1e17`), "amount"},
		{"NUL in text", `{"type":"other","text":"a\u0000b"}`, "text"},
		{"NUL in an attribute value", item(`"attributes":{"a":"\u0000"}`), "attributes.a"},
	}
}

// attrPad is attribute members of 2,000-byte values adding up to about n
// bytes, each within the per-value limit.
func attrPad(n int) string {
	var m []string
	for i := 0; i*2010 < n; i++ {
		m = append(m, fmt.Sprintf(`"p%03d":"%s"`, i, strings.Repeat("v", 2000)))
	}
	return strings.Join(m, ",")
}

// Each hostile input is refused with 400 naming its field, alone and as
// the second item of a batch in either form, quickly, with a small reply
// and without the server allocating in proportion to the nesting.
func TestHostileInputIsRefusedNamingItemAndField(t *testing.T) {
	f := setup(t)
	for _, h := range hostileInputs() {
		t.Run(h.name, func(t *testing.T) {
			for _, form := range []struct{ body, field string }{
				{h.item, h.field},
				{"[" + taxCase + "," + h.item + "]", "exceptions[1]." + h.field},
				{`{"exceptions":[` + taxCase + "," + h.item + "]}", "exceptions[1]." + h.field},
			} {
				checkRefused(t, f, form.body, form.field)
			}
		})
	}
}

func checkRefused(t *testing.T, f *fixture, body, field string) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	status, problem := f.do(t, "POST", "/v1/exceptions", body)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if status != http.StatusBadRequest || problem["field"] != field {
		t.Fatalf("%.60q…: %d %v, want 400 naming %s", body, status, problem, field)
	}
	// The client's contract check decodes the body too; the bound is far
	// below the hundreds of MB a deep body once cost.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20+uint64(40*len(body)) {
		t.Errorf("%s: %d MB allocated for a %d-byte body", field, alloc>>20, len(body))
	}
	if took > 5*time.Second {
		t.Errorf("%s: answered in %v", field, took)
	}
}

// With the default 32 MiB body limit, a 10 MB body of 200,000 attribute
// keys is read but refused naming the attributes, without decoding
// anything into the store.
func TestTenMegabytesOfAttributeKeysAreRefused(t *testing.T) {
	f := setup(t)
	big := httptest.NewServer(newServer(t, f.svc, f.store, ready{}))
	t.Cleanup(big.Close)
	f.srv = big
	body := `{"type":"other","text":"x",` + manyKeys(200_000) + "}"
	checkRefused(t, f, body, "attributes")
}

// ready is a Pinger that always answers.
type ready struct{}

func (ready) Ping(context.Context) error { return nil }
