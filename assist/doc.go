// Package assist asks a chat model about a dispute email: a summary for
// the reviewer, a reason code from the history's own codes, and the
// invoice ids and amounts the email names. [Assistant] implements
// triage.Assistant through any OpenAI-compatible /chat/completions
// endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LiteLLM).
//
// The assist is advisory and distrustful. The intake sends only redacted
// text (see email.Redact), as data between delimiters with the
// instructions in the system message alone; the answer must match a
// strict JSON schema and is checked field by field (an invoice id must be
// written in the email, an amount must be finite and carry an ISO 4217
// code), because neither the model nor the email it read can be trusted.
// A slow, failing or refused answer is an error, and the caller then goes
// on without it.
//
// Like package embeddings, this package imports go-openai: both are
// adapters of the same OpenAI-compatible API, one per endpoint. What they
// share, the endpoint check, the client and keeping the API key out of
// errors, is in internal/openaiapi.
package assist
