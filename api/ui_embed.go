package api

import "embed"

// files holds the templates and the static stylesheet and script, so the
// binary serves the UI with nothing beside it on disk.
//
//go:embed ui/static ui/templates
var files embed.FS
