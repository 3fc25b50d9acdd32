// Package layout has no code of its own: its test reads the import graph
// of the module with `go list` and fails when a package imports across the
// layout's rules (the domain importing a library, a third-party module
// imported outside its adapter, a package importing the evaluation harness
// or a command). The rules are tables at the top of layout_test.go, kept
// next to the check so that moving a package means editing one table row.
package layout
