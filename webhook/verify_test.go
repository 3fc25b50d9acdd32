package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/webhook"
)

// The Standard Webhooks specification's published test vector (also in
// Svix's libraries); matching it is what lets an integrator verify
// billtriage's webhooks with any of that specification's libraries.
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorBody      = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

var vectorTime = time.Unix(vectorTimestamp, 0)

func TestStandardWebhooksTestVector(t *testing.T) {
	secrets := []webhook.Secret{webhook.MustParseSecret(vectorSecret)}
	if got := webhook.Sign(secrets, vectorID, vectorTime, []byte(vectorBody)); got != vectorSignature {
		t.Errorf("Sign = %q, want %q", got, vectorSignature)
	}
	h := http.Header{}
	h.Set("webhook-id", vectorID)
	h.Set("webhook-timestamp", strconv.Itoa(vectorTimestamp))
	h.Set("webhook-signature", vectorSignature)
	if err := webhook.Verify(secrets, h, []byte(vectorBody), vectorTime.Add(time.Minute), 0); err != nil {
		t.Errorf("Verify of the test vector: %v", err)
	}
}

// fixedKey is a key the test writes down itself, so that the expected
// signature below is computed from the specification's formula and not by
// the code under test.
var fixedKey = []byte("0123456789abcdef0123456789abcdef")

func fixedSecret(t *testing.T) webhook.Secret {
	t.Helper()
	s, err := webhook.ParseSecret("whsec_" + base64.StdEncoding.EncodeToString(fixedKey))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignFollowsTheSpecificationsFormula(t *testing.T) {
	id, ts, body := "evt_01J9Z", time.Unix(1700000000, 999_000_000), []byte(`{"decision":"auto_enriched"}`)
	m := hmac.New(sha256.New, fixedKey)
	m.Write([]byte("evt_01J9Z.1700000000." + string(body))) // seconds, the fraction dropped
	want := "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))

	secrets := []webhook.Secret{fixedSecret(t)}
	if got := webhook.Sign(secrets, id, ts, body); got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
	h := webhook.Headers(secrets, id, ts, body)
	for name, want := range map[string]string{"webhook-id": id, "webhook-timestamp": "1700000000",
		"webhook-signature": want, "Content-Type": "application/json"} {
		if got := h.Values(name); len(got) != 1 || got[0] != want {
			t.Errorf("Headers: %s = %q, want %q", name, got, want)
		}
	}
	if len(h) != 4 {
		t.Errorf("Headers has %d headers, want 4: %v", len(h), h)
	}
}

func TestSignPanicsOnAZeroSecret(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("Sign with a zero Secret did not panic")
		}
	}()
	webhook.Sign([]webhook.Secret{{}}, "id", time.Now(), nil)
}

// signed returns the headers and body of a message signed with secrets at
// ts, for tests to take apart.
func signed(secrets []webhook.Secret, ts time.Time) (http.Header, []byte) {
	body := []byte(`{"exception":"EXC-1","status":"queued"}`)
	return webhook.Headers(secrets, "msg_1", ts, body), body
}

func TestTamperingFailsVerification(t *testing.T) {
	secret := fixedSecret(t)
	secrets := []webhook.Secret{secret}
	ts := time.Unix(1700000000, 0)
	now := ts.Add(30 * time.Second)
	h, body := signed(secrets, ts)
	if err := webhook.Verify(secrets, h, body, now, 0); err != nil {
		t.Fatalf("untouched message: %v", err)
	}
	sig := h.Get("webhook-signature")
	mac, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(sig, "v1,"))
	mac[0] ^= 1
	flipped := "v1," + base64.StdEncoding.EncodeToString(mac)
	for _, tc := range []struct {
		name   string
		header func(http.Header)
		body   []byte
	}{
		{"body changed", nil, []byte(`{"exception":"EXC-1","status":"resolved"}`)},
		{"body with a trailing newline", nil, append(append([]byte{}, body...), '\n')},
		{"id changed", func(h http.Header) { h.Set("webhook-id", "msg_2") }, body},
		{"timestamp changed within tolerance", func(h http.Header) { h.Set("webhook-timestamp", "1700000001") }, body},
		{"timestamp rewritten with a leading zero", func(h http.Header) { h.Set("webhook-timestamp", "01700000000") }, body},
		{"one signature bit flipped", func(h http.Header) { h.Set("webhook-signature", flipped) }, body},
		{"signature not base64", func(h http.Header) { h.Set("webhook-signature", "v1,!!"+sig[5:]) }, body},
		{"signature truncated", func(h http.Header) { h.Set("webhook-signature", sig[:len(sig)-4]) }, body},
		{"signature under another version", func(h http.Header) { h.Set("webhook-signature", "v2"+sig[2:]) }, body},
		{"signature without its version", func(h http.Header) { h.Set("webhook-signature", sig[3:]) }, body},
		{"signed with another secret", func(h http.Header) {
			h.Set("webhook-signature", webhook.Sign([]webhook.Secret{webhook.NewSecret()}, "msg_1", ts, body))
		}, body},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := h.Clone()
			if tc.header != nil {
				tc.header(h)
			}
			if err := webhook.Verify(secrets, h, tc.body, now, 0); !errors.Is(err, webhook.ErrNoMatch) {
				t.Errorf("Verify = %v, want ErrNoMatch", err)
			}
		})
	}
}

func TestRotationVerifiesWithEitherSecret(t *testing.T) {
	old, next, other := fixedSecret(t), webhook.NewSecret(), webhook.NewSecret()
	ts := time.Unix(1700000000, 0)
	h, body := signed([]webhook.Secret{old, next}, ts)
	entries := strings.Fields(h.Get("webhook-signature"))
	if len(entries) != 2 || entries[0] != webhook.Sign([]webhook.Secret{old}, "msg_1", ts, body) ||
		entries[1] != webhook.Sign([]webhook.Secret{next}, "msg_1", ts, body) {
		t.Fatalf("signature of two secrets = %q, want the old secret's entry then the new one's", entries)
	}
	for name, secrets := range map[string][]webhook.Secret{
		"old only":          {old},
		"new only":          {next},
		"unrelated and new": {other, next},
	} {
		if err := webhook.Verify(secrets, h, body, ts, 0); err != nil {
			t.Errorf("receiver with %s: %v", name, err)
		}
	}
	if err := webhook.Verify([]webhook.Secret{other}, h, body, ts, 0); !errors.Is(err, webhook.ErrNoMatch) ||
		!strings.Contains(err.Error(), "2 v1 entries checked against 1 secret") {
		t.Errorf("receiver with an unrelated secret: %v, want ErrNoMatch counting 2 entries", err)
	}
	// After the rotation the sender signs with the new secret alone, and a
	// receiver that still trusts both accepts it.
	h, body = signed([]webhook.Secret{next}, ts)
	if err := webhook.Verify([]webhook.Secret{old, next}, h, body, ts, 0); err != nil {
		t.Errorf("new-only message, receiver trusting both: %v", err)
	}
}

func TestVerifyIgnoresUnknownVersionsAndExtraSpaces(t *testing.T) {
	secrets := []webhook.Secret{fixedSecret(t)}
	ts := time.Unix(1700000000, 0)
	h, body := signed(secrets, ts)
	h.Set("webhook-signature", "v1a,c29tZXRoaW5nIGVsc2U=   v0 "+h.Get("webhook-signature")+"  ")
	if err := webhook.Verify(secrets, h, body, ts, 0); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestTolerance(t *testing.T) {
	secrets := []webhook.Secret{fixedSecret(t)}
	ts := time.Unix(1700000000, 0)
	h, body := signed(secrets, ts)
	for _, tc := range []struct {
		now       time.Time
		tolerance time.Duration
		want      error
	}{
		{ts.Add(5 * time.Minute), 0, nil},
		{ts.Add(-5 * time.Minute), 0, nil},
		{ts.Add(5*time.Minute + time.Second), 0, webhook.ErrTooOld},
		{ts.Add(-5*time.Minute - time.Second), 0, webhook.ErrTooNew},
		{ts.Add(10 * time.Second), 10 * time.Second, nil},
		{ts.Add(11 * time.Second), 10 * time.Second, webhook.ErrTooOld},
		{ts.Add(-11 * time.Second), 10 * time.Second, webhook.ErrTooNew},
		{ts.Add(24 * time.Hour), 25 * time.Hour, nil},
		{ts.Add(24 * time.Hour), -time.Second, webhook.ErrTooOld}, // negative means the default
	} {
		err := webhook.Verify(secrets, h, body, tc.now, tc.tolerance)
		if (tc.want == nil && err != nil) || !errors.Is(err, tc.want) {
			t.Errorf("now %+ds, tolerance %s: %v, want %v", tc.now.Unix()-ts.Unix(), tc.tolerance, err, tc.want)
		}
	}
	// an expired message is reported as expired even when signed with
	// another secret, the more useful reason
	err := webhook.Verify([]webhook.Secret{webhook.NewSecret()}, h, body, ts.Add(time.Hour), 0)
	if !errors.Is(err, webhook.ErrTooOld) || !strings.Contains(err.Error(), "signed 1h0m0s ago, tolerance 5m0s") {
		t.Errorf("expired message: %v", err)
	}
}

func TestMalformedMessagesAndConfiguration(t *testing.T) {
	secrets := []webhook.Secret{fixedSecret(t)}
	ts := time.Unix(1700000000, 0)
	h, body := signed(secrets, ts)
	for _, tc := range []struct {
		name    string
		secrets []webhook.Secret
		edit    func(http.Header)
		want    error
		text    string
	}{
		{"no id", secrets, func(h http.Header) { h.Del("webhook-id") }, webhook.ErrMissingHeader, "webhook-id"},
		{"empty timestamp", secrets, func(h http.Header) { h.Set("webhook-timestamp", "") }, webhook.ErrMissingHeader, "webhook-timestamp"},
		{"no signature", secrets, func(h http.Header) { h.Del("webhook-signature") }, webhook.ErrMissingHeader, "webhook-signature"},
		{"timestamp in milliseconds", secrets, func(h http.Header) { h.Set("webhook-timestamp", "1700000000000") }, webhook.ErrTooNew, ""},
		{"timestamp as a date", secrets, func(h http.Header) { h.Set("webhook-timestamp", "2023-11-14T22:13:20Z") }, webhook.ErrBadTimestamp, `"2023-11-14T22:13:20Z"`},
		{"fractional timestamp", secrets, func(h http.Header) { h.Set("webhook-timestamp", "1700000000.5") }, webhook.ErrBadTimestamp, ""},
		{"signed timestamp", secrets, func(h http.Header) { h.Set("webhook-timestamp", "+1700000000") }, webhook.ErrBadTimestamp, ""},
		{"far-past timestamp", secrets, func(h http.Header) { h.Set("webhook-timestamp", "-9223372036854775808") }, webhook.ErrTooOld, "more than 292 years"},
		{"signature with no v1 entry", secrets, func(h http.Header) { h.Set("webhook-signature", "v2,abc") }, webhook.ErrNoMatch, "no v1 entry"},
		{"no secrets", nil, nil, webhook.ErrNoSecrets, ""},
		{"only a zero secret", []webhook.Secret{{}}, nil, webhook.ErrNoSecrets, ""},
	} {
		h := h.Clone()
		if tc.edit != nil {
			tc.edit(h)
		}
		err := webhook.Verify(tc.secrets, h, body, ts, 0)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: %v, want %v with %q", tc.name, err, tc.want, tc.text)
		}
	}
}

// FuzzVerify feeds arbitrary header values and bodies to Verify: it must
// never panic, must answer with one of its documented errors, and must
// accept only a message whose signature header carries the HMAC the
// specification's formula gives.
func FuzzVerify(f *testing.F) {
	f.Add(vectorID, strconv.Itoa(vectorTimestamp), vectorSignature, []byte(vectorBody))
	f.Add("", "", "", []byte{})
	f.Add("msg", "-1", "v1,", []byte("x"))
	f.Add("msg", "99999999999999999999", "v1,==== v1 v1,,", []byte("{}"))
	f.Add("m.s.g", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1a,x", []byte(vectorBody))
	secret := webhook.MustParseSecret(vectorSecret)
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(vectorSecret, "whsec_"))
	known := []error{webhook.ErrMissingHeader, webhook.ErrBadTimestamp, webhook.ErrTooOld, webhook.ErrTooNew, webhook.ErrNoMatch}
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set("webhook-id", id)
		h.Set("webhook-timestamp", ts)
		h.Set("webhook-signature", sig)
		err := webhook.Verify([]webhook.Secret{secret}, h, body, vectorTime, 0)
		if err != nil {
			for _, k := range known {
				if errors.Is(err, k) {
					return
				}
			}
			t.Fatalf("Verify returned an undocumented error: %v", err)
		}
		m := hmac.New(sha256.New, key)
		m.Write([]byte(id + "." + ts + "."))
		m.Write(body)
		want := base64.StdEncoding.EncodeToString(m.Sum(nil))
		for _, e := range strings.Fields(sig) {
			if v, b64, _ := strings.Cut(e, ","); v == "v1" {
				if got, err := base64.StdEncoding.DecodeString(b64); err == nil && base64.StdEncoding.EncodeToString(got) == want {
					return
				}
			}
		}
		t.Fatalf("Verify accepted id %q ts %q sig %q without the right signature %q", id, ts, sig, want)
	})
}
