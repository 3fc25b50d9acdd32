package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

func runKeys(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprintln(std.Err, "usage: billtriage keys create --role ROLE --name NAME | keys list | keys revoke ID")
		return errUsage
	}
	fs := newFlags("keys "+args[0], std)
	role := fs.String("role", "", "admin, finance, revops, tax, support, analyst or integration")
	name := fs.String("name", "", "who or what uses the key")
	st, closeDB, err := parseAndOpenStore(ctx, fs, args[1:], std, getenv)
	if err != nil {
		return err
	}
	defer closeDB()
	switch args[0] {
	case "create":
		k, secret, err := st.CreateKey(ctx, *name, triage.Role(*role))
		if err != nil {
			return err
		}
		fmt.Fprintf(std.Err, "key %d for %s (%s); shown once, store it now:\n", k.ID, k.Name, k.Role)
		fmt.Fprintln(std.Out, secret)
		return nil
	case "list":
		return listKeys(ctx, st, std)
	case "revoke":
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return fmt.Errorf("keys revoke: give the key id (from keys list)")
		}
		if err := st.RevokeKey(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(std.Out, "key %d revoked\n", id)
		return nil
	}
	fmt.Fprintf(std.Err, "keys: unknown subcommand %q\n", args[0])
	return errUsage
}

func listKeys(ctx context.Context, st *postgres.Store, std Stdio) error {
	keys, err := st.ListKeys(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(std.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tPREFIX\tCREATED\tLAST USED\tREVOKED")
	for _, k := range keys {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s…\t%s\t%s\t%s\n", k.ID, k.Name, k.Role, k.Prefix,
			k.CreatedAt.Format("2006-01-02 15:04"), when(k.LastUsedAt), when(k.RevokedAt))
	}
	return tw.Flush()
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format("2006-01-02 15:04")
}
