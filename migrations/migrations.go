// Package migrations holds the database schema as numbered SQL files,
// embedded in the binary and applied by triage/postgres with goose.
package migrations

import "embed"

// FS contains the numbered migration files.
//
//go:embed *.sql
var FS embed.FS
