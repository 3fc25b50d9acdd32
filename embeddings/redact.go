package embeddings

import "strings"

// maxErrorText bounds the server text kept in an error; an HTML error
// page from a proxy should not flood the logs.
const maxErrorText = 512

// redactedError hides the API key in a client error's text. Servers echo
// request details back, and the go-openai errors include the response
// body, so the key could otherwise end up in logs. Unwrap still exposes
// the original so that errors.Is(err, context.DeadlineExceeded) works.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Unwrap() error { return e.err }

// redact wraps err so that its text contains neither key nor more than
// maxErrorText bytes.
func redact(err error, key string) error {
	msg := err.Error()
	if key != "" {
		msg = strings.ReplaceAll(msg, key, "[redacted]")
	}
	if len(msg) > maxErrorText {
		msg = strings.ToValidUTF8(msg[:maxErrorText], "") + "…"
	}
	return &redactedError{msg: msg, err: err}
}
