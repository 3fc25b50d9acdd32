// Package webhook signs and verifies webhooks the Standard Webhooks way
// (https://www.standardwebhooks.com), which is how billtriage's decisions
// leave the service. It imports only the standard library, so a receiver
// can vendor it, and its algorithm fits in a few lines of any language.
//
// A message carries three headers:
//
//	webhook-id         the message id; the same on every retry, so it is the receiver's idempotency key
//	webhook-timestamp  when it was signed, in unix seconds
//	webhook-signature  space-separated "v1,<base64 signature>" entries, one per secret
//
// The signature of one secret is
//
//	base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))
//
// over the raw body bytes as sent, with the timestamp exactly as written in
// its header. A secret is written "whsec_" followed by the base64
// (standard alphabet, padded) of its key bytes; the key is the decoded
// bytes, not the text.
//
// A receiver accepts a message when its timestamp is within a tolerance of
// now (DefaultTolerance, five minutes), which bounds how long a captured
// message can be replayed, and any v1 entry matches any of the receiver's
// secrets, compared in constant time. Entries of other versions are
// ignored, so a sender may add schemes a receiver does not know yet.
//
// Accepting any entry against any secret is what makes rotation work
// without a flag day: during a rotation the sender signs with the old and
// the new secret, and each receiver moves to the new secret at its own
// pace, trusting both for a while if it likes.
package webhook
