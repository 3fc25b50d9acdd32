// Command billtriage triages SaaS billing exceptions: it serves the API,
// loads history, triages files and runs benchmarks. Run `billtriage help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}

// Stdio are the streams a command reads and writes.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// command is one subcommand: it parses its own flags from args.
type command struct {
	name string
	// summary is its line in `billtriage help`, and the description under
	// its usage in -h.
	summary string
	// usage are its synopses without "billtriage ", one per form
	// ("keys create ...", "keys list"); `keys create -h` shows the lines
	// that start with "keys create".
	usage []string
	run   func(ctx context.Context, args []string, io Stdio, getenv func(string) string) error
}

// commands is the table Main dispatches on and all help is generated
// from, so that no command can be missing from it. It is filled in init
// because the commands' help reads it back (an initialisation cycle for a
// plain variable).
var commands []command

func init() {
	commands = []command{
		{"check", "run the pre-release control checks on draft invoices (JSON lines); exit 3 when one is held back",
			[]string{"check [--in FILE|-] [--closed-through YYYY-MM] [flags] < drafts.jsonl"}, runCheck},
		{"convert", "convert a public data set (" + strings.Join(converterNames(), ", ") + ") to dataset format v1 or the invoice CSV",
			[]string{"convert " + strings.Join(converterNames(), "|") + " PATH [--out FILE]"}, runConvert},
		{"dispute", "triage a dispute email read from stdin (plain, HTML, MIME or .eml)",
			[]string{"dispute [--customer ID] [--invoice ID] [flags] < email.txt"}, runDispute},
		{"drift", "look for schema drift in what each source sends, once (serve does it every --drift-every)",
			[]string{"drift [--list DAYS] [flags]"}, runDrift},
		{"alarms", "check the drift alarms and the brake once, as serve does periodically",
			[]string{"alarms check [flags]"}, runAlarms},
		{"eval", "benchmark the pipeline on a labelled dataset by temporal replay",
			[]string{"eval --exceptions FILE.jsonl [--invoices FILE.csv] [--split 0.7 | --split-at TIME] [--out DIR] [--compare DIR] [flags]",
				"eval patterns [--seed N] [--n N] [--exceptions FILE.jsonl --incidents FILE.csv] [--similarity 0.5,0.6] [--json FILE]",
				"eval checks --exceptions FILE.jsonl --invoices FILE.csv --drafts FILE.jsonl [--draft-truth FILE.csv] [--split 0.7] [--out DIR]",
				"eval drift --exceptions FILE.jsonl [--drift-truth FILE.csv] [--out DIR]"}, runEval},
		{"generate", "write a synthetic dataset (format v1) and invoices",
			[]string{"generate [--seed N] [--exceptions N] [--invoices N] [--end WHEN] [--open N] [--incidents] [--drafts N [--draft-faults P]] [--drift SRC:FROM=TO@DAY] [--out DIR]"}, runGenerate},
		{"keys", "create, list and revoke API keys",
			[]string{"keys create --role ROLE --name NAME [flags]", "keys list [flags]", "keys revoke ID [flags]"}, runKeys},
		{"load", "load history (labelled JSONL), exceptions to triage, and invoices",
			[]string{"load [--exceptions FILE.jsonl] [--invoices FILE.csv] [flags]"}, runLoad},
		{"migrate", "apply database migrations and build the embedder's vector index",
			[]string{"migrate [flags]"}, runMigrate},
		{"models", "list the risk models or activate one",
			[]string{"models list [flags]", "models activate VERSION [flags]"}, runModels},
		{"policy", "preview a candidate policy on the decisions of the last days",
			[]string{"policy preview FILE [--since 30d] [flags]"}, runPolicy},
		{"reembed", "move the history to the configured embedder",
			[]string{"reembed [--batch N] [--background] [flags]"}, runReembed},
		{"serve", "run the HTTP API and the web UI",
			[]string{"serve [--addr HOST:PORT] [flags]"}, runServe},
		{"train", "train the collection-risk model and store it in the registry",
			[]string{"train --invoices FILE.csv | --from-db [--late-after-days N] [--split 0.8] [--activate] [flags]"}, runTrain},
		{"triage", "triage exceptions from a file or stdin, print decisions as JSON lines",
			[]string{"triage [--in FILE|-] [flags]"}, runTriage},
		{"version", "print the version, commit and Go version",
			[]string{"version"}, runVersion},
		{"webhook", "verify a received webhook's signature, or make a secret",
			[]string{"webhook verify ...", "webhook secret"}, runWebhook},
	}
	sort.Slice(commands, func(i, j int) bool { return commands[i].name < commands[j].name })
}

// lookup finds a command by name.
func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// commandUsage returns the usage lines and the summary of a command or
// subcommand ("keys create"): the parent's lines that start with it.
func commandUsage(name string) (lines []string, summary string) {
	top, _, _ := strings.Cut(name, " ")
	c, ok := lookup(top)
	if !ok {
		return []string{name + " [flags]"}, ""
	}
	for _, l := range c.usage {
		if l == name || strings.HasPrefix(l, name+" ") {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		lines = c.usage
	}
	return lines, c.summary
}

// errUsage means the arguments were wrong; the message was already printed.
var errUsage = errors.New("usage")

// errReported means the command failed and has already printed why as its
// result (`webhook verify`'s "invalid: ..."), so Main exits 1 silently.
var errReported = errors.New("reported")

// Main runs the command line and returns the process exit code: 0 on
// success and for asked-for help, 1 when the command failed, 3 when `check` held a draft back, 2 for a usage
// error (unknown command or flag, missing argument). Reading the
// environment happens here and only here (through getenv).
func Main(ctx context.Context, args []string, std Stdio, getenv func(string) string) int {
	if len(args) == 0 {
		usage(std.Out)
		return 0
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) == 0 {
			usage(std.Out)
			return 0
		}
		if rest[0] == "help" {
			usage(std.Out)
			return 0
		}
		// `billtriage help keys create` is `billtriage keys create -h`.
		name, rest = rest[0], append(slices.Clone(rest[1:]), "-h")
	case "--version", "-version":
		name = "version"
	}
	cmd, ok := lookup(name)
	if !ok {
		fmt.Fprintf(std.Err, "billtriage: unknown command %q\nRun 'billtriage help' for the list of commands.\n", name)
		return 2
	}
	if err := cmd.run(ctx, rest, std, getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if errors.Is(err, errUsage) {
			return 2
		}
		if errors.Is(err, errHeld) {
			return 3
		}
		if errors.Is(err, errReported) {
			return 1
		}
		fmt.Fprintf(std.Err, "billtriage %s: %v\n", name, err)
		return 1
	}
	return 0
}

// usage is `billtriage help`, generated from the commands table.
func usage(w io.Writer) {
	fmt.Fprintln(w, "billtriage triages SaaS billing exceptions against their resolved history.")
	fmt.Fprintln(w, "\nUsage: billtriage <command> [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'billtriage help <command>' or 'billtriage <command> -h' for a command's flags.")
}
