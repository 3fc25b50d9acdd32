package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// SecretPrefix starts every written secret, so that a secret pasted into
// the wrong place is recognised as one.
const SecretPrefix = "whsec_"

// Key lengths a Secret may have, in bytes. The Standard Webhooks
// specification asks for 24 to 64: shorter keys are guessable, and HMAC
// gains nothing from keys longer than SHA-256's 64-byte block.
const (
	MinSecretBytes = 24
	MaxSecretBytes = 64
	// newSecretBytes is what NewSecret draws: SHA-256's output size, the
	// key length HMAC-SHA256 is designed around.
	newSecretBytes = 32
)

// ErrBadSecret is wrapped by every error ParseSecret returns; the message
// says what is wrong with the text.
var ErrBadSecret = errors.New("bad webhook secret")

// Secret is an HMAC key shared by a sender and a receiver. Make one with
// NewSecret or ParseSecret; the zero Secret holds no key and verifies
// nothing.
type Secret struct {
	key []byte
}

// NewSecret returns a secret of 32 random bytes from crypto/rand.
func NewSecret() Secret {
	key := make([]byte, newSecretBytes)
	// Since Go 1.24 crypto/rand.Read never returns an error: it crashes
	// the program rather than hand out predictable bytes.
	_, _ = rand.Read(key)
	return Secret{key: key}
}

// ParseSecret reads a secret written as "whsec_" and the base64 of its key.
// Surrounding white space is dropped, as secrets are often pasted from a
// file or a terminal with a trailing newline.
func ParseSecret(s string) (Secret, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Secret{}, fmt.Errorf("%w: empty", ErrBadSecret)
	}
	b64, ok := strings.CutPrefix(s, SecretPrefix)
	if !ok {
		return Secret{}, fmt.Errorf("%w: it must start with %q", ErrBadSecret, SecretPrefix)
	}
	key, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil {
		return Secret{}, fmt.Errorf("%w: the text after %q is not padded standard base64 (%v)", ErrBadSecret, SecretPrefix, err)
	}
	if len(key) < MinSecretBytes || len(key) > MaxSecretBytes {
		return Secret{}, fmt.Errorf("%w: the key is %d bytes, it must be %d to %d", ErrBadSecret, len(key), MinSecretBytes, MaxSecretBytes)
	}
	return Secret{key: key}, nil
}

// MustParseSecret is ParseSecret for secrets written in code and tests; it
// panics on a bad secret.
func MustParseSecret(s string) Secret {
	sec, err := ParseSecret(s)
	if err != nil {
		panic(err)
	}
	return sec
}

// String writes the secret as "whsec_" and the base64 of its key, the form
// ParseSecret reads; the zero Secret writes as "". It is the whole secret:
// print it only where it is meant to be shown.
func (s Secret) String() string {
	if s.IsZero() {
		return ""
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(s.key)
}

// IsZero reports whether s holds no key.
func (s Secret) IsZero() bool { return len(s.key) == 0 }

// LogValue keeps the key out of slog's output: a secret logged by mistake
// shows as its prefix alone.
func (s Secret) LogValue() slog.Value { return slog.StringValue(SecretPrefix + "…") }
