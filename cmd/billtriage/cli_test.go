package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	billtriage "github.com/billtriage/billtriage/cmd/billtriage"
	"github.com/billtriage/billtriage/triage"
)

// unreachableDB is a database URL nothing listens on: a command that
// tried to connect with it would fail, so exiting 0 shows it did not.
const unreachableDB = "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"

// runMain runs the command line in-process with only env as the
// environment, and returns its exit code, stdout and stderr.
func runMain(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := billtriage.Main(context.Background(), args, billtriage.Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errOut},
		func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

// Flags by what they are for; a command's -h may list a group only when
// the command uses it.
var (
	dbFlagNames     = []string{"--database-url", "--migrate-url"}
	embedFlagNames  = []string{"--openai-base-url", "--openai-timeout", "--classifier-embeddings"}
	indexFlagNames  = []string{"--embedder", "--embed-dims", "--openai-model"}
	assistFlagNames = []string{"--assist", "--assist-base-url", "--assist-model", "--assist-timeout"}
)

func TestHelpNeedsNoDatabaseAndListsOnlyUsedFlags(t *testing.T) {
	type uses struct{ db, index, embed, assist bool }
	pipeline := uses{db: true, index: true, embed: true}
	for _, tc := range []struct {
		args []string
		uses uses
		want []string // the command's own flags, among others
	}{
		{[]string{"serve"}, uses{true, true, true, true}, []string{"--addr", "--sweep-every", "--trusted-proxies"}},
		{[]string{"dispute"}, uses{true, true, true, true}, []string{"--customer", "--invoice"}},
		{[]string{"load"}, pipeline, []string{"--exceptions", "--invoices"}},
		{[]string{"triage"}, pipeline, []string{"--in"}},
		{[]string{"reembed"}, pipeline, []string{"--batch", "--background"}},
		{[]string{"eval"}, pipeline, []string{"--exceptions", "--split", "--compare"}},
		{[]string{"migrate"}, uses{db: true, index: true}, nil},
		{[]string{"train"}, uses{db: true}, []string{"--invoices", "--from-db", "--late-after-days", "--split"}},
		{[]string{"keys"}, uses{db: true}, []string{"--role", "--name"}},
		{[]string{"keys", "create"}, uses{db: true}, []string{"--role", "--name"}},
		{[]string{"keys", "list"}, uses{db: true}, nil},
		{[]string{"keys", "revoke"}, uses{db: true}, nil},
		{[]string{"models"}, uses{db: true}, nil},
		{[]string{"models", "list"}, uses{db: true}, nil},
		{[]string{"models", "activate"}, uses{db: true}, nil},
		{[]string{"generate"}, uses{}, []string{"--seed", "--exceptions", "--out"}},
		{[]string{"convert"}, uses{}, []string{"--out", "ibm-ar"}},
		{[]string{"webhook"}, uses{}, nil},
		{[]string{"webhook", "verify"}, uses{}, []string{"--secret", "--request"}},
		{[]string{"webhook", "secret"}, uses{}, nil},
		{[]string{"version"}, uses{}, nil},
	} {
		name := strings.Join(tc.args, " ")
		env := map[string]string{"DATABASE_URL": unreachableDB}
		for _, args := range [][]string{slices.Concat(tc.args, []string{"-h"}), slices.Concat([]string{"help"}, tc.args)} {
			code, stdout, stderr := runMain(t, env, "", args...)
			if code != 0 || stderr != "" || !strings.Contains(stdout, "Usage:") {
				t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 0 and the usage on stdout only", args, code, stderr, stdout)
				continue
			}
			for _, f := range tc.want {
				if !strings.Contains(stdout, f) {
					t.Errorf("%v: no %s in\n%s", args, f, stdout)
				}
			}
			for _, g := range []struct {
				flags []string
				used  bool
			}{{dbFlagNames, tc.uses.db}, {indexFlagNames, tc.uses.index}, {embedFlagNames, tc.uses.embed}, {assistFlagNames, tc.uses.assist}} {
				for _, f := range g.flags {
					if listed := listsFlag(stdout, f); listed != g.used {
						t.Errorf("%s -h lists %s: %v, want %v", name, f, listed, g.used)
					}
				}
			}
		}
	}
}

// listsFlag reports whether help lists flag as an entry of its own.
func listsFlag(help, flag string) bool {
	return regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(flag) + `( |$)`).MatchString(help)
}

// TestHelpListsEveryCommand checks the top-level help against the commands
// that answer -h, so a command cannot be left out of it.
func TestHelpListsEveryCommand(t *testing.T) {
	code, stdout, _ := runMain(t, nil, "", "help")
	if code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	listed := regexp.MustCompile(`(?m)^  ([a-z-]+) `).FindAllStringSubmatch(stdout, -1)
	names := map[string]bool{}
	for _, m := range listed {
		names[m[1]] = true
	}
	for _, want := range []string{"convert", "dispute", "eval", "generate", "keys", "load", "migrate", "models",
		"reembed", "serve", "train", "triage", "version", "webhook"} {
		if !names[want] {
			t.Errorf("help does not list %s:\n%s", want, stdout)
		}
	}
	for n := range names {
		if code, _, stderr := runMain(t, nil, "", n, "-h"); code != 0 {
			t.Errorf("help lists %s, but `%s -h` exits %d: %s", n, n, code, stderr)
		}
	}
	if !strings.Contains(stdout, "ibm-ar") {
		t.Errorf("help does not name convert's ibm-ar data set:\n%s", stdout)
	}
}

func TestVersionPrintsVersionCommitAndGo(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, stdout, stderr := runMain(t, nil, "", args...)
		if code != 0 || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		for _, want := range []string{"billtriage ", "commit: ", "go: go1."} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%v: no %q in %q", args, want, stdout)
			}
		}
	}
}

func TestKeysCreateInvalidRoleListsValidRoles(t *testing.T) {
	code, stdout, stderr := runMain(t, map[string]string{"DATABASE_URL": unreachableDB}, "",
		"keys", "create", "--role", "wizard", "--name", "x")
	if code != 2 || stdout != "" {
		t.Fatalf("exit %d, stdout %q; want exit 2 and nothing on stdout", code, stdout)
	}
	if !strings.Contains(stderr, `"wizard"`) {
		t.Errorf("stderr %q does not name the bad role", stderr)
	}
	for _, r := range triage.Roles {
		if !strings.Contains(stderr, string(r)) {
			t.Errorf("stderr %q does not list the role %s", stderr, r)
		}
	}
	if strings.Contains(stderr, "connect") {
		t.Errorf("the role was checked after connecting: %q", stderr)
	}
}

func TestUsageErrorsExitTwoWithOneLineHint(t *testing.T) {
	env := map[string]string{"DATABASE_URL": unreachableDB}
	for _, tc := range []struct {
		args []string
		want string // on stderr
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"help", "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"migrate", "--frobnicate"}, "-frobnicate"},
		{[]string{"keys", "list", "--assist"}, "-assist"},
		{[]string{"migrate", "--openai-timeout", "1s"}, "-openai-timeout"},
		{[]string{"keys"}, "give a subcommand"},
		{[]string{"keys", "rotate"}, `unknown subcommand "rotate"`},
		{[]string{"keys", "revoke"}, "key id"},
		{[]string{"models", "activate"}, "version"},
		{[]string{"train"}, "--invoices FILE or --from-db"},
		{[]string{"migrate", "extra"}, "unexpected arguments"},
		{[]string{"convert", "nope", "x"}, `unknown data set "nope"`},
		{[]string{"eval", "patterns", "--similarity", "0.5,2"}, `--similarity: "2" is not a similarity`},
		{[]string{"eval", "patterns", "--exceptions", "x.jsonl"}, "give --exceptions and --incidents together"},
	} {
		code, stdout, stderr := runMain(t, env, "", tc.args...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) || len(lines) > 2 ||
			!strings.HasPrefix(lines[len(lines)-1], "Run 'billtriage ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2, %q and a one-line hint", tc.args, code, stdout, stderr, tc.want)
		}
	}
}

func TestTrainLateDaysIsADeprecatedAlias(t *testing.T) {
	// Without --invoices or --from-db train stops before connecting; the
	// alias has been parsed (and warned about) by then.
	code, _, stderr := runMain(t, map[string]string{"DATABASE_URL": unreachableDB}, "", "train", "--late-days", "0")
	if code != 2 || !strings.Contains(stderr, "--late-days is deprecated") || !strings.Contains(stderr, "--late-after-days") {
		t.Errorf("exit %d, stderr %q; want 2 and a deprecation warning naming --late-after-days", code, stderr)
	}
	if _, stdout, _ := runMain(t, nil, "", "train", "-h"); listsFlag(stdout, "--late-days") {
		t.Errorf("train -h lists the deprecated --late-days:\n%s", stdout)
	}
}

// TestDisputeOutputIsSnakeCase triages an email with `billtriage dispute`
// and checks every key of its JSON, the parsed email's included.
func TestDisputeOutputIsSnakeCase(t *testing.T) {
	env := map[string]string{}
	for _, kv := range serviceEnv(t) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	msg := "From: Ana Ruiz <ana@acme.example>\r\nTo: billing@vendor.example\r\nSubject: Charged twice for INV-2041\r\n" +
		"Date: Tue, 3 Jun 2025 09:12:00 +0000\r\n\r\nHello,\r\n\r\nwe were charged $1,200.00 twice for INV-2041 on 2 June.\r\n"
	code, stdout, stderr := runMain(t, env, msg, "dispute", "--customer", "c-1")
	if code != 0 {
		t.Fatalf("dispute: exit %d: %s", code, stderr)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("dispute output: %v\n%s", err, stdout)
	}
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if !snake.MatchString(k) {
					t.Errorf("key %s.%s is not snake_case", path, k)
				}
				walk(path+"."+k, x)
			}
		case []any:
			for _, x := range v {
				walk(path+"[]", x)
			}
		}
	}
	walk("", res)
	email, _ := res["email"].(map[string]any)
	if email["subject"] != "Charged twice for INV-2041" || email["from"].(map[string]any)["address"] != "ana@acme.example" {
		t.Errorf("parsed email %v", email)
	}
	if strings.Contains(stderr, "CVE-2026-3172") {
		t.Errorf("dispute warned about pgvector though it built no index: %s", stderr)
	}
}
