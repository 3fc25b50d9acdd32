package postgres

import (
	"strings"

	"github.com/jackc/pgx/v5"
)

// Every SQL statement of this package is a constant next to the code that
// runs it, and every value goes in as a $n parameter. Three kinds of
// statement cannot take a parameter where they need one, because
// PostgreSQL only accepts a parameter in place of a value:
//
//   - DDL naming the isolated schema (CREATE/DROP SCHEMA);
//   - the per-embedder HNSW index and the nearest-neighbour query that
//     must match it: the planner uses a partial expression index only when
//     the query spells the same cast and predicate as literals;
//   - optional filters, which change which parameters exist.
//
// Those statements are constant templates with {marker}s. fillSQL puts in
// only constants, names quoted by quoteIdent, literals quoted by
// quoteLiteral after a strict pattern check, or numbers from strconv.

// fillSQL returns tmpl with each marker replaced; pairs alternates marker
// and replacement. strings.Replacer makes a single pass, so nothing put in
// is scanned for markers again.
func fillSQL(tmpl string, pairs ...string) string {
	return strings.NewReplacer(pairs...).Replace(tmpl)
}

// quoteIdent quotes a schema, table or index name for SQL text.
func quoteIdent(name string) string { return pgx.Identifier{name}.Sanitize() }

// quoteLiteral quotes s as a standard SQL string literal (quotes doubled;
// backslashes are ordinary characters under standard_conforming_strings,
// on by default since PostgreSQL 9.1). Callers check s against a strict
// pattern first, so this is a second line of defence, not the only one.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// searchPath is the search_path runtime parameter confining a connection
// to schema, with public after it for the extensions installed there.
func searchPath(schema string) string { return quoteIdent(schema) + ", public" }
