package main_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/internal/testenv"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// TestServiceRoleNeedsMigrateFirst: a command given only the service's
// role refuses an unmigrated schema and says what to run; `billtriage
// migrate` with the owner's URL makes the schema ready, after which the
// service's role alone can work in it.
func TestServiceRoleNeedsMigrateFirst(t *testing.T) {
	if pgtest.URL() == pgtest.OwnerURL() {
		testenv.Missing(t, "two database roles: set DATABASE_URL and BILLTRIAGE_MIGRATE_URL (see the Makefile); with one role for everything there is nothing to separate")
	}
	ctx := context.Background()
	schema := pgtest.NewSchemaName("e2e")
	t.Cleanup(func() {
		db, err := postgres.Open(ctx, pgtest.URL(), postgres.Options{Schema: schema, OwnerURL: pgtest.OwnerURL()})
		if err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		defer db.Close()
		if err := db.DropSchema(ctx); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	bin := buildBinary(t)
	service := []string{"DATABASE_URL=" + pgtest.URL(), "BILLTRIAGE_MIGRATE_URL=", "BILLTRIAGE_SCHEMA=" + schema}

	cmd := exec.Command(bin, "keys", "list")
	cmd.Env = append(os.Environ(), service...)
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "run `billtriage migrate` with BILLTRIAGE_MIGRATE_URL") {
		t.Fatalf("keys list on an unmigrated schema as the service's role: exit %d, %s", cmd.ProcessState.ExitCode(), out)
	}

	owner := []string{"DATABASE_URL=" + pgtest.URL(), "BILLTRIAGE_MIGRATE_URL=" + pgtest.OwnerURL(), "BILLTRIAGE_SCHEMA=" + schema}
	if out := run(t, bin, owner, "migrate"); !strings.Contains(out, "migrations applied") {
		t.Errorf("migrate printed %q", out)
	}
	if key := strings.TrimSpace(run(t, bin, service, "keys", "create", "--role", "admin", "--name", "roles")); key == "" {
		t.Error("keys create printed no key")
	}
	if out := run(t, bin, service, "keys", "list"); !strings.Contains(out, "roles") {
		t.Errorf("keys list after migrate: %q", out)
	}
}
