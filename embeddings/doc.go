// Package embeddings turns billing-exception texts into unit vectors for
// similarity search in pgvector. Both embedders satisfy triage.Embedder
// structurally; this package imports only the triage domain types from the repository so
// that it stays a plain adapter.
//
// # Local
//
// [Local] is a feature-hashing embedder that runs inside the binary, with
// no model, network or state, and gives the same vector for a text on
// every run. Each text is lowercased and split into words; numbers,
// amounts, dates and identifiers become shape tokens (<num>, <amount>,
// <date>, <id>) so that two exceptions about different invoices match on
// what went wrong, while an identifier's prefix ("INV" in INV-2041) stays
// a word. Word unigrams and bigrams (without stop words) and character
// 3- to 5-grams of the words are hashed with signed FNV-1a into Dims
// buckets using sublinear term frequency; the word channel holds 70% of
// the weight, the character channel adds tolerance to typos and
// inflections. It embeds a 300-character text in tens of microseconds.
//
// Local knows spelling, not meaning: "charged twice" and "duplicate
// payment" share nothing. It suits tests, CI, air-gapped installations,
// and bootstrapping before an API is available; its quality grows with
// the historical resolutions worded like the incoming exceptions.
//
// # OpenAI
//
// [OpenAI] calls an OpenAI-compatible /embeddings endpoint: OpenAI, Azure
// OpenAI, or a self-hosted server such as Ollama, vLLM or LiteLLM. A
// neural model matches paraphrases and synonyms, so pick it whenever a
// server can be reached and texts may leave the process. Every returned
// vector is checked for count and length and normalised, because some
// servers return unnormalised vectors.
//
// The chat assist for dispute emails (package assist) is the other
// adapter of the same API; both import go-openai for their own endpoint
// and share the endpoint check, the client and the redaction of the API
// key from errors through internal/openaiapi.
//
// # Names
//
// Name identifies the algorithm and its configuration ("local-hash-v1:512",
// "openai:text-embedding-3-small:256"). Vectors with different names live
// in different spaces and must never be compared; switching embedders
// means re-embedding the stored resolutions.
package embeddings
