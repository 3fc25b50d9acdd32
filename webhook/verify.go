package webhook

import (
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is how far a message's timestamp may be from now, either
// way, as the Standard Webhooks specification recommends: long enough for
// clock skew and a slow network, short enough that a captured message
// cannot be replayed for long.
const DefaultTolerance = 5 * time.Minute

// Errors Verify returns, each wrapped with the detail of the message at
// hand; test for them with errors.Is.
var (
	// ErrMissingHeader: webhook-id, webhook-timestamp or webhook-signature
	// is absent or empty; the error names which.
	ErrMissingHeader = errors.New("missing header")
	// ErrBadTimestamp: webhook-timestamp is not an integer of unix seconds.
	ErrBadTimestamp = errors.New("webhook-timestamp is not unix seconds")
	// ErrTooOld: the message was signed longer ago than the tolerance; a
	// replay, or a receiver whose clock is wrong.
	ErrTooOld = errors.New("webhook-timestamp is too old")
	// ErrTooNew: the message claims to be signed further in the future than
	// the tolerance; a sender whose clock is wrong.
	ErrTooNew = errors.New("webhook-timestamp is too far in the future")
	// ErrNoMatch: no v1 entry of webhook-signature matches any secret; a
	// forgery, a changed message, or the wrong secret.
	ErrNoMatch = errors.New("no webhook-signature matches")
	// ErrNoSecrets: Verify was given no secret to check against, which is a
	// configuration error rather than a bad message.
	ErrNoSecrets = errors.New("no webhook secret to verify with")
)

// Verify checks a received message: its headers h, its raw body exactly as
// received, against the receiver's secrets. It returns nil when the
// timestamp is within tolerance of now and any v1 entry of the signature
// header matches any secret. A tolerance of zero or less means
// DefaultTolerance; it is counted in whole seconds, the timestamp's unit.
//
// The timestamp is checked first, so an expired message is reported as
// such even when it was signed with another secret.
func Verify(secrets []Secret, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	var keys []Secret
	for _, s := range secrets {
		if !s.IsZero() { // an empty key would verify what anyone signs
			keys = append(keys, s)
		}
	}
	if len(keys) == 0 {
		return ErrNoSecrets
	}
	id, stamp, sig := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	for _, v := range []struct{ name, value string }{{HeaderID, id}, {HeaderTimestamp, stamp}, {HeaderSignature, sig}} {
		if v.value == "" {
			return fmt.Errorf("%w %s", ErrMissingHeader, v.name)
		}
	}
	if err := checkTimestamp(stamp, now, tolerance); err != nil {
		return err
	}
	want := make([][]byte, len(keys))
	for i, s := range keys {
		want[i] = mac(s, id, stamp, body)
	}
	v1 := 0
	for _, entry := range strings.Fields(sig) {
		version, value, ok := strings.Cut(entry, ",")
		if !ok || version != version1 {
			continue // another scheme, or not an entry: not ours to judge
		}
		v1++
		got, err := base64.StdEncoding.DecodeString(value)
		if err != nil {
			continue
		}
		for _, w := range want {
			if hmac.Equal(got, w) { // constant time, so a forger learns nothing from timing
				return nil
			}
		}
	}
	if v1 == 0 {
		return fmt.Errorf("%w: the header has no v1 entry", ErrNoMatch)
	}
	return fmt.Errorf("%w: %d v1 %s checked against %d %s", ErrNoMatch,
		v1, plural(v1, "entry", "entries"), len(keys), plural(len(keys), "secret", "secrets"))
}

// checkTimestamp parses stamp and checks it is within tolerance of now.
// The comparison is in integer seconds so that no timestamp, however
// large, overflows a time.Time.
func checkTimestamp(stamp string, now time.Time, tolerance time.Duration) error {
	sent, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil || stamp[0] == '+' {
		return fmt.Errorf("%w: %q", ErrBadTimestamp, truncate(stamp))
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	tol := int64(tolerance / time.Second)
	nowS := now.Unix()
	switch {
	case sent < nowS-tol:
		return fmt.Errorf("%w: signed %s ago, tolerance %s", ErrTooOld, ago(nowS, sent), tolerance)
	case sent > nowS+tol:
		return fmt.Errorf("%w: signed %s ahead, tolerance %s", ErrTooNew, ago(sent, nowS), tolerance)
	}
	return nil
}

// ago writes later-earlier seconds as a duration, or in days when that
// would overflow a time.Duration (a timestamp from another century).
func ago(later, earlier int64) string {
	d := later - earlier
	if d < 0 || d > int64((1<<63-1)/time.Second) { // overflowed, or too long for a Duration
		return "more than 292 years"
	}
	return (time.Duration(d) * time.Second).String()
}

// truncate keeps an attacker's long header out of error messages and logs.
func truncate(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
