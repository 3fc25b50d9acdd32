// Package convert turns public data sets into dataset format v1, so that
// `billtriage eval` measures the pipeline on real text as well as on the
// generated benchmark. `billtriage convert <name> PATH` runs them; PATH is
// the CSV file or the directory holding it. Every converter is
// deterministic: the same input file gives the same output bytes.
//
// # banking77
//
// BANKING77 (PolyAI, CC BY 4.0): 10,003 retail-banking customer queries,
// each labelled with one of 77 intents (train.csv, columns text and
// category). It has one label per query and no timestamps.
//
//	dataset field        value
//	id                   "banking77-" + data row number, 5 digits ("banking77-00001" is the first row)
//	type                 billing_dispute (customer messages about money, the closest type)
//	source               "banking77"
//	text                 text
//	resolution.root_cause  the intent, as a slug ("reverted_card_payment?" becomes "reverted_card_payment")
//	resolution.action    "route_" + the intent: BANKING77 has no separate action, so the action is a
//	                     function of the intent and action metrics equal root-cause ones
//	resolution.queue     support
//	occurred_at          see below; resolved_at is absent (resolved when it occurred)
//
// Because there are no timestamps, the converter assigns times so that
// the temporal split `billtriage eval --split 0.8` is exactly a stratified
// 80/20 split drawn with a fixed seed:
//
//  1. Rows are grouped by intent; intents are taken in sorted order and
//     each intent's rows (in file order) are shuffled by Fisher–Yates
//     driven by one PCG stream (math/rand/v2) seeded (1, 1): for i from
//     the last index down to 1, swap i with (next PCG value mod (i+1)).
//  2. H = floor(0.8 × n) rows go to the history (n is the number of rows
//     written; floor is the rule eval applies to --split). Each intent
//     gets floor(0.8 × its size) of them; the rows still missing go one
//     each to the intents with the largest remainders 0.8 × size −
//     floor(0.8 × size), ties by intent name. An intent's history rows
//     are the first of its shuffled rows, the rest are its test rows.
//  3. The history rows of all intents are shuffled together with the same
//     stream, then the test rows likewise, so that neither part is ordered
//     by intent (which matters when feedback is on).
//  4. The output lists the history rows, then the test rows; record k
//     (0-based) occurred at 2024-01-01T00:00:00Z plus k minutes. The split
//     point is 2024-01-01T00:00:00Z + H minutes, so `--split-at` with that
//     time gives the same split as `--split 0.8`.
//
// With train.csv (n = 10,003) the history holds 8,002 rows and the test
// part 2,001.
//
// # cfpb
//
// The CFPB Consumer Complaint Database (US government data; the sample in
// complaints_sample.csv has 6,623 rows, 1,532 of them with a narrative).
// The standard 18-column export is read by header name, so a fresh export
// from consumerfinance.gov, or the billing_related_subset.csv beside the
// sample, converts too.
//
//	dataset field        value
//	id                   "cfpb-" + Complaint ID
//	occurred_at          Date received, midnight UTC (YYYY/M/D, YYYY-MM-DD or MM/DD/YYYY)
//	type                 billing_dispute
//	source               "cfpb"
//	text                 Consumer complaint narrative (CFPB's redactions, XXXX and {$amount}, kept)
//	attributes           company, state, when not empty (sub-product and sub-issue refine the
//	                     labels and the company's response comes later: kept out, they would leak)
//	resolution.root_cause  Product, as a slug
//	resolution.action    Issue, as a slug
//	resolution.queue     support
//
// Complaints without a narrative are omitted: there is no text to match.
// The output is in time order (ties by id) and `billtriage eval --split 0.8`
// is the intended split: the most recent 20% of complaints are the test
// part. Product and Issue are the categories the consumer chose on the
// CFPB form, a taxonomy rather than a verified cause, and the form changed
// in 2017 (so "credit_card" and "credit_card_or_prepaid_card" are both
// present); the figures measure how well the text predicts the consumer's
// own choice.
//
// # ibm-ar
//
// The IBM accounts-receivable sample becomes the invoice CSV, the input of
// the collection-risk model, not dataset records; see
// IBMAccountsReceivable.
//
// A slug is the label in lower case with every run of characters other
// than ASCII letters and digits replaced by one "_" and no "_" at either
// end.
package convert
