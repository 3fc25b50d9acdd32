package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The headers of a signed message, as the Standard Webhooks specification
// names them. http.Header canonicalises them (Webhook-Id, ...); HTTP header
// names are case-insensitive, so receivers see the same thing.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// version1 tags an HMAC-SHA256 entry of the signature header.
const version1 = "v1"

// Sign returns the value of the webhook-signature header for a message:
// one "v1,<base64>" entry per secret, in the order given, separated by
// spaces. Pass the old and the new secret during a rotation.
//
// Sign panics on a zero Secret: an empty HMAC key would yield signatures
// anyone can compute.
func Sign(secrets []Secret, id string, ts time.Time, body []byte) string {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	entries := make([]string, len(secrets))
	for i, s := range secrets {
		if s.IsZero() {
			panic("webhook: Sign with a zero Secret")
		}
		entries[i] = version1 + "," + base64.StdEncoding.EncodeToString(mac(s, id, stamp, body))
	}
	return strings.Join(entries, " ")
}

// Headers returns the headers of a signed message: webhook-id,
// webhook-timestamp (ts in unix seconds), webhook-signature (as Sign) and
// Content-Type application/json, the body's type for billtriage's events.
func Headers(secrets []Secret, id string, ts time.Time, body []byte) http.Header {
	h := make(http.Header, 4)
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(HeaderSignature, Sign(secrets, id, ts, body))
	h.Set("Content-Type", "application/json")
	return h
}

// mac is HMAC-SHA256 under the secret's key of id.timestamp.body, with the
// timestamp as written in the header: the verifier signs the text it
// received, never a reformatting of it.
func mac(s Secret, id, stamp string, body []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(stamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}
