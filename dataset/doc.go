// Package dataset defines dataset format v1, the interchange format of
// billtriage: billing exceptions as JSON Lines and invoices as CSV. It reads
// and writes both, streaming, and validates records so that an API can reuse
// the same rules.
//
// # Exceptions: JSON Lines
//
// A file holds one JSON object per line, encoded as UTF-8 and separated by
// "\n" ("\r\n" is accepted). Blank lines are ignored and a UTF-8 byte order
// mark at the start of the file is dropped. A line may hold at most
// MaxLineBytes (1 MiB) bytes. Each object is one exception (Record):
//
//	field        type     required  rules
//	id           string   yes       non-blank; unique within the file
//	occurred_at  string   yes       RFC 3339 time, e.g. "2025-03-04T10:15:00Z"
//	type         string   yes       one of usage_mismatch, pricing_discrepancy,
//	                                erp_posting_failure, tax_inconsistency,
//	                                billing_dispute, other
//	source       string   no        free text naming the system it came from,
//	                                e.g. "erp-connector", "support-inbox"
//	text         string   yes       non-blank; the log line, alert, note or
//	                                e-mail that is embedded and matched
//	customer_id  string   no        free text
//	invoice_id   string   no        free text; joins to the invoice CSV
//	amount       number   no        the amount at stake; negative for credits
//	                                and under-billing; must fit a float64
//	currency     string   no        an active ISO 4217 code, e.g. USD, EUR
//	region       string   no        free text, e.g. NA, EMEA, APAC, LATAM
//	attributes   object   no        any JSON values, e.g. {"erp":"netsuite"}
//	resolution   object   no        present on labelled (historical) records
//
// Every exception is also held to the domain's limits (triage/limits.go and
// the README's Limits): id, source, customer_id, invoice_id and region at
// most 200 bytes; text at most 256 KiB; every string valid UTF-8 without
// NUL; |amount| at most 1e12; occurred_at from 2000-01-01 to a year from
// now; attributes at most 4 levels deep, 200 keys and array elements, 64
// KiB as JSON, keys of 200 bytes and string values of 2 KiB. A
// resolution's params are held to the attributes' limits.
//
// The resolution object:
//
//	field        type     required  rules
//	root_cause   string   yes       non-blank; a free code, not a fixed list
//	action       string   yes       non-blank; a free code, not a fixed list
//	params       object   no        any JSON values, the action's arguments
//	queue        string   no        one of finance, revops, tax, support
//	resolved_at  string   no        RFC 3339 time
//
// An absent field and an explicit null mean the same. Field names are
// matched as encoding/json does (exact match preferred, else
// case-insensitive). Unknown fields are allowed and ignored, so that files
// written by a later minor version still load; they are not kept, so
// rewriting a file drops them. Codes in root_cause and action are free
// strings so that a user's own taxonomy loads unchanged.
//
// ReadRecords reports each bad line as a LineError (line number, field,
// message) and carries on with the next line; WriteRecords refuses to write
// anything ReadRecords would reject and writes map keys sorted, so the same
// records always give the same bytes. Validate applies the per-record rules
// on their own.
//
// # Corrections in params
//
// A resolution's params may carry "corrections": the identifier mappings
// the analyst corrected while resolving the record, from which the next
// record with the same identifier can be enriched.
//
//	{"corrections": [{"field": "account_id", "key": "acct_217", "from": "acct_217", "to": "C-1106"}]}
//
// Each entry is an object:
//
//	member       type     required  rules
//	field        string   yes       account_id, gl_account, tax_jurisdiction or
//	                                price_book (below)
//	key          string   yes       the identifier the mapping is keyed on
//	from         string   yes       the value the record showed; "" when none
//	to           string   yes       the corrected value
//	reversed_at  string   no        RFC 3339 time: the correction was wrong and
//	                                was reversed then
//
// What each field corrects, what its key is, and where the record shows
// the key and the observed value, so that a new record can be looked up:
//
//	field             key and to                         on the record
//	account_id        key: the observed account          attributes.account_key
//	                  identifier (acct_217, org-4411,    (= key = from)
//	                  tnt_9f2c31); to: the customer id
//	                  the usage belongs to
//	gl_account        key: "<SKU>@<entity>"              attributes.sku and
//	                  (SKU-API-412@US01); to: the GL     attributes.entity; from is ""
//	                  account of the SKU in that legal   (the mapping was missing)
//	                  entity
//	tax_jurisdiction  key: the customer id; to: the      customer_id; attributes.jurisdiction
//	                  jurisdiction it is taxed in        is the observed, wrong one (= from)
//	price_book        key: the subscription id           attributes.subscription;
//	                  (SUB-233153); to: the price book   attributes.price_book is the
//	                  it should be rated from            observed one (= from)
//
// The identifier is usually in the text as well, but not always.
//
// Corrections are the truth an evaluation of enrichment compares with: an
// applied value is right only when it equals the label's to. A correction
// with reversed_at records what happened, a wrong mapping that a later
// analyst undid; it is not the truth, so an evaluation skips records whose
// label correction has reversed_at, and from reversed_at on it is no
// evidence for its mapping (in generated histories a later record with the
// same key always carries the right one). Mappings also change
// legitimately: when a customer gets a new id (after an acquisition,
// C-1106 becomes C-2106), later account_id corrections map its keys to the
// new id while its records and invoices keep the id the billing system
// had, so older evidence can be stale. Reading and validation treat params
// as any JSON and do not check corrections.
//
// # Invoices: CSV
//
// RFC 4180 CSV with a header row. The standard columns are
//
//	column       required  rules
//	invoice_id   yes       non-blank; unique within the file
//	customer_id  yes       non-blank
//	issued_at    yes       RFC 3339 time or YYYY-MM-DD (midnight UTC)
//	due_at       yes       as issued_at; not before issued_at
//	amount       yes       decimal number, "." as decimal point, no grouping;
//	                       negative for credit notes
//	currency     yes       an active ISO 4217 code
//	paid_at      yes       as issued_at, or empty when unpaid
//	disputed     no        true/false/1/0/yes/no (any case); empty is false
//	region       no        free text
//
// "Required" applies to the header; a required column must also have a value
// in every row except paid_at. Header names are matched case-insensitively
// and columns may come in any order. Any other column is an extra column:
// its non-empty cells are kept in Invoice.Extra under the header name. A
// header missing a required column, repeating a column or with an empty
// column name is fatal; a bad row is reported as a LineError whose line
// number counts the header as line 1. Cells of the standard columns are
// trimmed of surrounding spaces.
//
// WriteInvoices writes the standard columns in the order above followed by
// the extra columns sorted by name, dates at midnight UTC as YYYY-MM-DD and
// amounts in their shortest exact form, so output is deterministic.
package dataset
