// Package triage is the domain of billtriage: billing exceptions, the
// historical resolutions they are matched against, the suggestions and
// decisions made for them, the policy that turns a suggestion into an
// automatic enrichment or a queued item, and the interfaces of the adapters
// (stores, embedders) the pipeline needs.
//
// It imports only the standard library. Adapters live in their own packages
// (triage/postgres, embeddings, models, api) and cmd/billtriage wires them.
package triage
