package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// keysSubcommands are the forms of `billtriage keys`.
var keysSubcommands = []string{"create", "list", "revoke"}

func runKeys(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	sub, rest, err := subcommand(newFlags("keys", std), args, keysSubcommands)
	if err != nil {
		return err
	}
	if sub == "" {
		// `keys -h` describes every form, so it lists create's flags too.
		var cfg Config
		fs := newFlags("keys", std)
		bindKeyFlags(fs)
		cfg.bindGroups(fs, getenv, storeFlags)
		fs.printHelp(std.Out)
		return flag.ErrHelp
	}
	var cfg Config
	fs := newFlags("keys "+sub, std)
	var role, name *string
	if sub == "create" {
		role, name = bindKeyFlags(fs)
	}
	cfg.bindGroups(fs, getenv, storeFlags)
	if err := fs.parseFlags(rest); err != nil {
		return err
	}
	switch {
	case sub == "revoke" && fs.NArg() != 1:
		return fs.usageError("give the key id (from keys list)")
	case sub != "revoke" && fs.NArg() > 0:
		return fs.usageError("unexpected arguments: %v", fs.Args())
	case sub == "create" && !triage.Role(*role).Valid():
		// Checked before connecting, and with the list, so that a typo
		// costs no round trip and needs no look in the docs.
		return fs.usageError("--role must be one of %s, not %q", roleList(), *role)
	case sub == "create" && *name == "":
		return fs.usageError("--name is required: who or what uses the key")
	}
	var id int64
	if sub == "revoke" {
		if id, err = strconv.ParseInt(fs.Arg(0), 10, 64); err != nil {
			return fs.usageError("the key id must be a number (from keys list), not %q", fs.Arg(0))
		}
	}
	st, closeDB, err := cfg.openStore(ctx, std.Err)
	if err != nil {
		return err
	}
	defer closeDB()
	switch sub {
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
	}
	if err := st.RevokeKey(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(std.Out, "key %d revoked\n", id)
	return nil
}

// bindKeyFlags registers the flags of `keys create`.
func bindKeyFlags(fs *cmdFlags) (role, name *string) {
	role = fs.String("role", "", "the key's role: "+roleList()+" (create)")
	name = fs.String("name", "", "who or what uses the key (create)")
	return role, name
}

// roleList names the valid roles, from the domain's list.
func roleList() string {
	names := make([]string, len(triage.Roles))
	for i, r := range triage.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
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
