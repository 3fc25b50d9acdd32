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
//     payment terms and the region, so a risk model has real signal to find;
//   - identifier corrections (params.corrections, see package dataset) have
//     the structure that makes an enrichment benchmark honest, described
//     below.
//
// # Identifier corrections
//
// Every customer has one to three aliases of different shapes: a legacy
// account key (acct_217), an old org id (org-4411), a tenant key
// (tnt_9f2c31). Unmapped usage arrives under one of them, and its
// resolution maps the alias to the customer id (field account_id). About a
// third of customers have messy integrations whose aliases recur month
// after month; the others' aliases turn up once or twice a year, if at
// all; and about 12% of aliases first appear during the window, so some
// keys at test time were never seen before. On the demo's 5,000 records
// about four in five account corrections in the last 30% have their key
// and target in the first 70%.
//
// About one alias in five is a look-alike of another customer's
// (acct_217 and acct_2170, tnt_9f2c31 and tnt_9f2c37), so fuzzy matching
// alone is dangerous, and about 2% of account corrections map a key to its
// look-alike's customer: they carry reversed_at, two to ten days after
// resolution, and a later record of the same key maps it right. About 5%
// of customers, drawn by how often their aliases go unmapped, get a new id
// on a day in the first two thirds of the window (C-1106 becomes C-2106);
// from then on their aliases map to the new id, while records and invoices
// keep the old one.
//
// GL accounts (field gl_account, key "<SKU>@<entity>") follow the SKU's
// family and the entity, as 4030-Usage-DE01; a tax jurisdiction (key: the
// customer id) is the customer's own; a price book (key: the subscription)
// is the subscription's own. These are stable. Only records whose label is
// their true cause carry a correction: a mislabelled record's field was not
// wrong in that way.
//
// # A history that ends now
//
// By default the window is a fixed year (2025), so benchmarks see the same
// bytes forever. Config.End moves the window to end at a given instant,
// keeping its length, and Config.Open leaves its newest records unlabelled
// (and any not resolved by then), as a live system's open items are: the
// demo ends a history at the present, loads the labelled part and triages
// the open part, so queues show ages of hours to days.
//
// Output depends only on Config: the same Config gives the same bytes.
package generate
