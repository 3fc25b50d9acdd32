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
	"sort"
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
	summary string
	run     func(ctx context.Context, args []string, io Stdio, getenv func(string) string) error
}

var commands = map[string]command{
	"serve":    {"run the HTTP API", runServe},
	"migrate":  {"apply database migrations", runMigrate},
	"generate": {"write a synthetic dataset (format v1) and invoices", runGenerate},
	"load":     {"load history (labelled JSONL), exceptions to triage, and invoices", runLoad},
	"triage":   {"triage exceptions from a file or stdin, print decisions as JSON lines", runTriage},
	"reembed":  {"move the history to the configured embedder", runReembed},
	"keys":     {"create, list and revoke API keys (create|list|revoke)", runKeys},
	"dispute":  {"triage a dispute email read from stdin (plain, HTML, MIME or .eml)", runDispute},
	"train":    {"train the collection-risk model and store it in the registry", runTrain},
	"models":   {"list the risk models or activate one (list|activate VERSION)", runModels},
	"eval":     {"benchmark the pipeline on a labelled dataset by temporal replay", runEval},
	"convert":  {"convert a public data set (banking77, cfpb) to dataset format v1", runConvert},
	"webhook":  {"verify a received webhook's signature, or make a secret (verify|secret)", runWebhook},
}

// errUsage means the arguments were wrong; the message was already printed.
var errUsage = errors.New("usage")

// errReported means the command failed and has already printed why as its
// result (`webhook verify`'s "invalid: ..."), so Main exits 1 silently.
var errReported = errors.New("reported")

// Main runs the command line and returns the process exit code. Reading
// the environment happens here and only here (through getenv).
func Main(ctx context.Context, args []string, std Stdio, getenv func(string) string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(std.Out)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(std.Err, "billtriage: unknown command %q\n\n", args[0])
		usage(std.Err)
		return 2
	}
	if err := cmd.run(ctx, args[1:], std, getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if errors.Is(err, errUsage) {
			return 2
		}
		if errors.Is(err, errReported) {
			return 1
		}
		fmt.Fprintf(std.Err, "billtriage %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "billtriage triages SaaS billing exceptions against their resolved history.")
	fmt.Fprintln(w, "\nUsage: billtriage <command> [flags]   (billtriage <command> -h for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}
