// Package generate writes a synthetic, labelled history of SaaS billing
// exceptions and invoices in dataset format v1, for demos, tests and
// benchmarks of billtriage's matching and risk scoring.
//
// The world has customers (region, currency, payment terms, size tier and a
// hidden payment reliability), their invoices over a time window, and
// exceptions raised about those invoices: usage mismatches, pricing
// discrepancies, ERP posting failures, tax inconsistencies, disputes and a
// few routine requests. Each exception is labelled with one of the causes in
// Catalog, its action with params, its queue and when it was resolved.
//
// The data is made to be hard in the ways real data is:
//
//   - every cause has at least six templates, from connector log lines and
//     JSON payloads to terse analyst notes with typos and full customer
//     e-mails with signatures, disclaimers and quoted threads, and each
//     template has interchangeable parts, so texts rarely repeat;
//   - sibling causes share alerts and vocabulary, and ids, amounts, names and
//     polite boilerplate appear in every kind of text;
//   - about 5% of texts are vague ("Invoice INV-10422 looks wrong, please
//     check") and about 2% of labels name a sibling cause of the same type
//     instead of the true one, as mislabelled history does;
//   - whether an invoice is paid more than 30 days late (or not at all)
//     depends on the customer's reliability, the amount, a dispute, the
//     payment terms and the region, so a risk model has real signal to find.
//
// Output depends only on Config: the same Config gives the same bytes.
package generate
