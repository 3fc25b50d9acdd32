package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/billtriage/billtriage/triage"
)

// maxChangesPrinted is how many changed items `policy preview` lists.
const maxChangesPrinted = 30

func runPolicy(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	sub, rest, err := subcommand(newFlags("policy", std), args, []string{"preview"})
	if err != nil {
		return err
	}
	var cfg Config
	if sub == "" {
		fs := newFlags("policy", std)
		cfg.bindGroups(fs, getenv, storeFlags)
		fs.printHelp(std.Out)
		return flag.ErrHelp
	}
	fs := newFlags("policy "+sub, std)
	since := fs.String("since", "30d", "how far back to replay: whole days (30d) or a duration (72h); at most 90d")
	cfg.bindGroups(fs, getenv, storeFlags)
	// The file may come before the flags (policy preview FILE --since 30d).
	var file string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		file, rest = rest[0], rest[1:]
	}
	if err := fs.parseFlags(rest); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 || file == "" {
		return fs.usageError("give one policy file")
	}
	body, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	// Check the file before connecting, so a typo is named by line at once.
	if _, err := triage.ParsePolicy(bytes.NewReader(body)); err != nil {
		return policyFileError(file, body, err)
	}
	if _, err := triage.ParseWindow("since", *since); err != nil {
		return fs.usageError("--since: %s", triage.ErrorMessage(err))
	}
	st, closeDB, err := cfg.openStore(ctx, std.Err)
	if err != nil {
		return err
	}
	defer closeDB()
	active, err := choosePolicy(ctx, "", triage.DefaultPolicy(), st)
	if err != nil {
		return err
	}
	svc := triage.NewService(triage.Config{Store: st, Policies: st, Policy: active})
	pv, err := svc.PreviewPolicy(ctx, triage.System("cli"), bytes.NewReader(body), *since)
	if err != nil {
		return err
	}
	printPreview(std.Out, pv)
	return nil
}

// printPreview writes the per-type table and the items that change.
func printPreview(w io.Writer, pv triage.Preview) {
	fmt.Fprintf(w, "preview %d: %s against %s in force, %d decisions since %s\n\n", pv.ID, pv.Version, pv.ActiveVersion,
		pv.Result.Items, pv.From.Format("2006-01-02 15:04"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "type\titems\tautomated before → after\tprecision before → after (judged)\tchanged\tmoney-moving")
	for _, row := range append(pv.Result.Types, pv.Result.Total) {
		fmt.Fprintf(tw, "%s\t%d\t%d (%.1f%%) → %d (%.1f%%)\t%s (%d) → %s (%d)\t%d\t%d\n", row.Type, row.Items,
			row.AutoBefore, 100*row.ShareBefore, row.AutoAfter, 100*row.ShareAfter,
			pct(row.PrecisionBefore), row.JudgedBefore, pct(row.PrecisionAfter), row.JudgedAfter, row.Changed, row.MoneyMoving)
	}
	tw.Flush()
	if len(pv.Result.NotReplayed) > 0 {
		fmt.Fprintf(w, "\nnot replayed (kept as decided): %s\n", strings.Join(pv.Result.NotReplayed, ", "))
	}
	if pv.Result.ChangesTotal == 0 {
		fmt.Fprintln(w, "\nno item changes outcome")
		return
	}
	fmt.Fprintf(w, "\n%d items change (first %d):\n", pv.Result.ChangesTotal, min(maxChangesPrinted, len(pv.Result.Changes)))
	for _, ch := range pv.Result.Changes[:min(maxChangesPrinted, len(pv.Result.Changes))] {
		money := ""
		if ch.MoneyMoving {
			money = "  MONEY-MOVING"
		}
		fmt.Fprintf(w, "  %s  %s %s → %s %s  %s / %s  confidence %.3f%s\n", ch.Link, ch.Before, ch.QueueBefore, ch.After, ch.QueueAfter,
			ch.RootCause, ch.Action, ch.Confidence, money)
	}
	fmt.Fprintf(w, "\nactivate it with PUT /v1/policy?preview_id=%d (within the server's --preview-max-age)\n", pv.ID)
}

func pct(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.3f", *p)
}

// policyFileError names the line of a bad policy file: where the JSON
// broke, or where the field at fault is written.
func policyFileError(path string, body []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("%s:%d: %s", path, lineAt(body, syn.Offset), triage.ErrorMessage(err))
	case errors.As(err, &typ):
		return fmt.Errorf("%s:%d: %s: %s", path, lineAt(body, typ.Offset), typ.Field, triage.ErrorMessage(err))
	}
	field := triage.ErrorField(err)
	if field == "" {
		// json names an unknown field only in its message.
		if _, name, ok := strings.Cut(triage.ErrorMessage(err), `unknown field "`); ok {
			field, _, _ = strings.Cut(name, `"`)
		}
	}
	if i := bytes.Index(body, []byte(`"`+field+`"`)); field != "" && i >= 0 {
		return fmt.Errorf("%s:%d: %s: %s", path, lineAt(body, int64(i)), field, triage.ErrorMessage(err))
	}
	return fmt.Errorf("%s: %w", path, err)
}

// lineAt is the 1-based line of byte offset off.
func lineAt(body []byte, off int64) int {
	return 1 + bytes.Count(body[:min(int(off), len(body))], []byte("\n"))
}
