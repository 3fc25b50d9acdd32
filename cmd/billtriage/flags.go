package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
)

// cmdFlags is one command's flag set. `-h` lists the command's own flags
// first, then the shared groups it registered (database, embedder, ...),
// each under its title, so that a command shows only what it uses.
type cmdFlags struct {
	*flag.FlagSet
	// name is the command as typed after "billtriage", e.g. "keys create".
	name string
	std  Stdio
	// heading replaces the generated usage lines and summary of -h when
	// set (webhook's, which explains exit codes).
	heading string
	// about is printed under the usage lines: what a summary cannot say.
	about string
	// groupOf maps a shared flag to its group's title; a command's own
	// flags are in no group.
	groupOf map[string]string
	groups  []string
	// hidden flags are accepted but not listed (deprecated aliases).
	hidden map[string]bool
}

// newFlags returns the flag set of a command or subcommand ("keys
// create"). Errors go to std.Err, -h goes to std.Out (asked-for help is
// output, not an error).
func newFlags(name string, std Stdio) *cmdFlags {
	fs := flag.NewFlagSet("billtriage "+name, flag.ContinueOnError)
	fs.SetOutput(std.Err)
	// The flag package prints the whole usage after every error; the
	// convention (git, gh) is the error and a one-line hint, which parse
	// prints. -h prints the help itself, in parse.
	fs.Usage = func() {}
	return &cmdFlags{FlagSet: fs, name: name, std: std, groupOf: map[string]string{}, hidden: map[string]bool{}}
}

// group files the flags that register adds under title in -h.
func (fs *cmdFlags) group(title string, register func()) {
	before := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { before[f.Name] = true })
	register()
	added := false
	fs.VisitAll(func(f *flag.Flag) {
		if !before[f.Name] {
			fs.groupOf[f.Name] = title
			added = true
		}
	})
	if added && !slices.Contains(fs.groups, title) {
		fs.groups = append(fs.groups, title)
	}
}

// deprecated registers old as a hidden alias of the flag named current:
// scripts written for the old name keep working, and are told to change.
func (fs *cmdFlags) deprecated(old, current string) {
	fs.Func(old, "deprecated: use --"+current, func(v string) error {
		fmt.Fprintf(fs.std.Err, "billtriage %s: --%s is deprecated and will be removed; use --%s\n", fs.name, old, current)
		return fs.Set(current, v)
	})
	fs.hidden[old] = true
}

// parseFlags parses args without judging positional arguments. -h prints
// the help and returns flag.ErrHelp; a bad flag (already named by the
// flag package) gets a one-line hint and errUsage.
func (fs *cmdFlags) parseFlags(args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		fs.printHelp(fs.std.Out)
		return flag.ErrHelp
	}
	fs.hint()
	return errUsage
}

// usageError prints msg and the hint, and returns errUsage (exit 2).
func (fs *cmdFlags) usageError(format string, a ...any) error {
	fmt.Fprintf(fs.std.Err, "billtriage %s: %s\n", fs.name, fmt.Sprintf(format, a...))
	fs.hint()
	return errUsage
}

func (fs *cmdFlags) hint() {
	fmt.Fprintf(fs.std.Err, "Run 'billtriage %s -h' for usage.\n", fs.name)
}

// parse parses args, which may hold flags only.
func parse(fs *cmdFlags, args []string) error {
	if err := fs.parseFlags(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fs.usageError("unexpected arguments: %v", fs.Args())
	}
	return nil
}

// printHelp writes the command's usage lines and summary (from the
// commands table), then its flags by group.
func (fs *cmdFlags) printHelp(w io.Writer) {
	if fs.heading != "" {
		fmt.Fprintln(w, fs.heading)
	} else {
		lines, summary := commandUsage(fs.name)
		fmt.Fprintln(w, "Usage:")
		for _, l := range lines {
			fmt.Fprintf(w, "  billtriage %s\n", l)
		}
		if summary != "" {
			fmt.Fprintf(w, "\n%s.\n", upperFirst(summary))
		}
	}
	if fs.about != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(fs.about, "\n"))
	}
	fs.printGroup(w, "Flags", "")
	for _, g := range fs.groups {
		fs.printGroup(w, g+" flags", g)
	}
	if len(fs.groups) > 0 {
		fmt.Fprintln(w, "\nA flag wins over its environment variable, which wins over the default.")
	}
}

// printGroup lists the visible flags of group ("" for the command's own)
// in the flag package's layout, with -- as the README writes them.
func (fs *cmdFlags) printGroup(w io.Writer, title, group string) {
	var b strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		if fs.hidden[f.Name] || fs.groupOf[f.Name] != group {
			return
		}
		arg, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(&b, "  --%s", f.Name)
		if arg != "" {
			fmt.Fprintf(&b, " %s", arg)
		}
		fmt.Fprintf(&b, "\n      %s", usage)
		if def := shownDefault(f); def != "" {
			fmt.Fprintf(&b, " (default %s)", def)
		}
		b.WriteString("\n")
	})
	if b.Len() > 0 {
		fmt.Fprintf(w, "\n%s:\n%s", title, b.String())
	}
}

// shownDefault is f's default as -h shows it: nothing for zero values,
// and a URL's password masked, since defaults come from the environment
// and help output ends up in terminals' scrollback and bug reports.
func shownDefault(f *flag.Flag) string {
	switch f.DefValue {
	case "", "0", "false", "0s":
		return ""
	}
	if u, err := url.Parse(f.DefValue); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return u.Redacted()
		}
	}
	if _, ok := f.Value.(interface{ IsBoolFlag() bool }); ok {
		return f.DefValue
	}
	if strings.ContainsAny(f.DefValue, " ,") || f.DefValue != strings.TrimSpace(f.DefValue) {
		return fmt.Sprintf("%q", f.DefValue)
	}
	return f.DefValue
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// subcommand splits args into a subcommand of subs and the rest. It
// returns "" (and no error) for -h or help, which the caller answers; a
// missing or unknown subcommand is a usage error, hinted on fs.
func subcommand(fs *cmdFlags, args []string, subs []string) (string, []string, error) {
	if len(args) == 0 {
		return "", nil, fs.usageError("give a subcommand: %s", strings.Join(subs, ", "))
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		return "", nil, nil
	}
	if !slices.Contains(subs, args[0]) {
		return "", nil, fs.usageError("unknown subcommand %q (want %s)", args[0], strings.Join(subs, ", "))
	}
	return args[0], args[1:], nil
}
