package api

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
)

// csrfField names the hidden form field that carries the CSRF token.
const csrfField = "csrf"

// loginCookie holds the sign-in form's token. The login form has no
// session yet, so it is protected by a double-submit cookie: a page on
// another site can post the form but cannot read or set this cookie.
const loginCookie = "bt_login"

// tokensEqual compares a submitted token with the expected one in constant
// time; an empty expected token never matches.
func tokensEqual(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// newToken returns 32 random bytes, URL-safe.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
