package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// runVersion prints what the binary was built from. The Go toolchain
// records the module version and the VCS state in the binary, so there is
// no -ldflags step to forget.
func runVersion(_ context.Context, args []string, std Stdio, _ func(string) string) error {
	fs := newFlags("version", std)
	if err := parse(fs, args); err != nil {
		return err
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		// Only a binary built without module support lacks build info.
		info = &debug.BuildInfo{GoVersion: runtime.Version()}
	}
	writeVersion(std.Out, info)
	return nil
}

// writeVersion prints the version, commit and Go version, one per line.
func writeVersion(w io.Writer, info *debug.BuildInfo) {
	version := info.Main.Version
	if version == "" {
		version = "(unknown)"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	commit := settings["vcs.revision"]
	switch {
	case commit == "":
		commit = "(unknown)"
	case settings["vcs.modified"] == "true":
		// Built from a tree with uncommitted changes: the commit alone
		// does not say what is in the binary.
		commit += " (modified)"
	}
	fmt.Fprintf(w, "billtriage %s\n", version)
	fmt.Fprintf(w, "commit: %s\n", commit)
	if t := settings["vcs.time"]; t != "" {
		fmt.Fprintf(w, "commit time: %s\n", t)
	}
	fmt.Fprintf(w, "go: %s %s/%s\n", info.GoVersion, runtime.GOOS, runtime.GOARCH)
}
