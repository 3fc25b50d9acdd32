package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/triage"
)

// DefaultDatabaseURL is the service's role in the local database `make
// db` creates: it may read and write rows, never change the schema or
// rewrite the audit log.
const DefaultDatabaseURL = "postgres://billtriage_app@127.0.0.1:5432/billtriage?sslmode=disable"

// Config is what every command that touches the pipeline needs. Flags win
// over environment variables, which win over the defaults.
type Config struct {
	// DatabaseURL is what the service connects as for its work.
	DatabaseURL string
	// MigrateURL connects as the schema's owner, for migrations, index
	// builds and eval's schemas. No default: a command given none never
	// holds the owner's credentials, and works only on a schema that is
	// already migrated (`billtriage migrate` falls back to DatabaseURL, for
	// one-role setups).
	MigrateURL string
	// ReadURL is a hot standby of DatabaseURL's database: serve sends the
	// reads that tolerate a little lag there (kNN, queue listings, the
	// dashboard). Empty: every read goes to DatabaseURL.
	ReadURL    string
	Schema     string
	Embedder   string // "local" or "openai"
	EmbedDims  int
	OpenAI     OpenAIConfig
	PolicyFile string
	// PreviewMaxAge is how old a preview may be when its policy is
	// activated or shadowed (serve's --preview-max-age); the service's
	// default when zero.
	PreviewMaxAge time.Duration
	LogLevel      string
	Assist        AssistConfig
	// ClassifierEmbeddings feeds the embedder's vectors to the classifier
	// (its dense channel). Off by default: it helps when the pretrained
	// model reads the texts well (BANKING77 +0.75 points with the
	// Universal Sentence Encoder) and hurts when it does not (CFPB's long
	// narratives −1.6 points), so measure with `eval` on your history.
	ClassifierEmbeddings bool
	// Checks tunes the pre-release control checks (closed periods, the
	// severity that raises an exception).
	Checks triage.CheckConfig
	// Drift names the integration owners' queue schema drift goes to.
	Drift triage.DriftConfig
}

// AssistConfig turns on the optional LLM assist for dispute emails.
type AssistConfig struct {
	Enabled        bool
	BaseURL, Model string
	Timeout        time.Duration
}

// OpenAIConfig configures the OpenAI-compatible embedder.
type OpenAIConfig struct {
	BaseURL, APIKey, Model string
	Timeout                time.Duration
}

// flagGroup selects shared flags: each command registers only the groups
// it uses, so that its -h lists nothing it ignores.
type flagGroup uint

const (
	// dbFlags are --database-url and --migrate-url: every command that
	// opens the database (opening migrates, as the owner when given).
	dbFlags flagGroup = 1 << iota
	// schemaFlag is --schema; eval makes its own schema and has none.
	schemaFlag
	// indexFlags name the embedder whose vectors and HNSW index a command
	// works with (--embedder, --embed-dims, --openai-model): migrate builds
	// that index without embedding anything.
	indexFlags
	// embedFlags are what embedding needs besides: the endpoint, its
	// timeout, and whether the classifier reads the vectors too.
	embedFlags
	// policyFlag is --policy: the pipeline's thresholds, and the FX rates
	// train converts amounts with.
	policyFlag
	// assistFlags configure the LLM assist, which only dispute intake
	// (serve's /v1/disputes and `dispute`) calls.
	assistFlags
	// logFlag is --log-level, for the commands that log.
	logFlag
	// readFlag is --database-read-url: only serve reads from a standby.
	readFlag

	// storeFlags are what a command that only reads and writes rows uses.
	storeFlags = dbFlags | schemaFlag | logFlag
	// pipelineFlags are what a command that runs the triage pipeline uses.
	pipelineFlags = storeFlags | indexFlags | embedFlags | policyFlag
)

// Titles of the groups in -h.
const (
	groupDatabase = "Database"
	groupEmbedder = "Embedder"
	groupAssist   = "Assist (dispute emails)"
	groupGeneral  = "General"
)

// bind registers the flags of a command that runs the triage pipeline
// (load, triage, reembed) on fs, with defaults from the environment.
func (c *Config) bind(fs *cmdFlags, getenv func(string) string) {
	c.bindGroups(fs, getenv, pipelineFlags)
}

// bindGroups registers the flags of groups on fs. Every field is set from
// the environment or its default first, registered or not, so that a
// command behaves as before whichever flags it shows: `migrate` still
// builds the index of the embedder BILLTRIAGE_EMBEDDER names.
func (c *Config) bindGroups(fs *cmdFlags, getenv func(string) string, groups flagGroup) {
	c.defaults(getenv)
	if groups&readFlag == 0 {
		// A command that writes history and then reads it (load triages
		// after loading) must not read from a standby that lags behind.
		c.ReadURL = ""
	}
	if groups&(dbFlags|schemaFlag) != 0 {
		fs.group(groupDatabase, func() {
			if groups&dbFlags != 0 {
				fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "PostgreSQL `url` the service connects as (env DATABASE_URL)")
				fs.StringVar(&c.MigrateURL, "migrate-url", c.MigrateURL,
					"PostgreSQL `url` of the role that owns the schema, for migrations (env BILLTRIAGE_MIGRATE_URL; migrate and eval fall back to --database-url)")
			}
			if groups&readFlag != 0 {
				fs.StringVar(&c.ReadURL, "database-read-url", c.ReadURL,
					"PostgreSQL `url` of a hot standby for reads that tolerate lag: kNN, queue listings, dashboard (env DATABASE_READ_URL; falls back to --database-url when it fails)")
			}
			if groups&schemaFlag != 0 {
				fs.StringVar(&c.Schema, "schema", c.Schema, "confine tables to the schema of this `name` (env BILLTRIAGE_SCHEMA)")
			}
		})
	}
	if groups&(indexFlags|embedFlags) != 0 {
		fs.group(groupEmbedder, func() {
			fs.StringVar(&c.Embedder, "embedder", c.Embedder, "embedder: local or openai (env BILLTRIAGE_EMBEDDER)")
			fs.IntVar(&c.EmbedDims, "embed-dims", c.EmbedDims, "embedding dimensions (env BILLTRIAGE_EMBED_DIMS)")
			if groups&embedFlags != 0 {
				fs.StringVar(&c.OpenAI.BaseURL, "openai-base-url", c.OpenAI.BaseURL, "OpenAI-compatible base `url` (env OPENAI_BASE_URL; key in OPENAI_API_KEY)")
			}
			fs.StringVar(&c.OpenAI.Model, "openai-model", c.OpenAI.Model, "embedding model (env OPENAI_EMBED_MODEL)")
			if groups&embedFlags != 0 {
				fs.DurationVar(&c.OpenAI.Timeout, "openai-timeout", c.OpenAI.Timeout, "embedding request timeout")
				fs.BoolVar(&c.ClassifierEmbeddings, "classifier-embeddings", c.ClassifierEmbeddings,
					"let the classifier learn from the pretrained embedder's vectors too (needs --embedder openai; env BILLTRIAGE_CLASSIFIER_EMBEDDINGS=true)")
			}
		})
	}
	if groups&assistFlags != 0 {
		fs.group(groupAssist, func() {
			fs.BoolVar(&c.Assist.Enabled, "assist", c.Assist.Enabled, "ask an OpenAI-compatible model to summarise dispute emails (env BILLTRIAGE_ASSIST=true; off by default)")
			fs.StringVar(&c.Assist.BaseURL, "assist-base-url", c.Assist.BaseURL, "assist endpoint `url` (env BILLTRIAGE_ASSIST_BASE_URL, else OPENAI_BASE_URL; key in OPENAI_API_KEY)")
			fs.StringVar(&c.Assist.Model, "assist-model", c.Assist.Model, "assist chat model (env BILLTRIAGE_ASSIST_MODEL)")
			fs.DurationVar(&c.Assist.Timeout, "assist-timeout", c.Assist.Timeout, "assist timeout; past it the local path decides alone")
		})
	}
	if groups&(policyFlag|logFlag) != 0 {
		fs.group(groupGeneral, func() {
			if groups&policyFlag != 0 {
				fs.StringVar(&c.PolicyFile, "policy", c.PolicyFile, "policy JSON `file` (env BILLTRIAGE_POLICY; built-in default when empty)")
				fs.StringVar(&c.Checks.ClosedThrough, "closed-through", c.Checks.ClosedThrough,
					"pre-release checks: the last closed accounting `period`, YYYY-MM (env BILLTRIAGE_CLOSED_THROUGH; empty: as the history shows)")
				fs.Func("check-raise-at", "pre-release checks: the least `severity` (info, warning, error) that raises an exception (env BILLTRIAGE_CHECK_RAISE_AT; default error)",
					func(v string) error { c.Checks.RaiseAt = triage.Severity(v); return nil })
				fs.Func("drift-queue", "the integration owners' `queue`, where schema drift is raised (env BILLTRIAGE_DRIFT_QUEUE; default revops)",
					func(v string) error { c.Drift.Queue = triage.Queue(v); return nil })
			}
			if groups&logFlag != 0 {
				fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log `level`: debug, info, warn, error (env BILLTRIAGE_LOG_LEVEL)")
			}
		})
	}
}

// defaults sets every field from the environment, else its default.
func (c *Config) defaults(getenv func(string) string) {
	env := func(k, def string) string { return envOr(getenv, k, def) }
	c.DatabaseURL = env("DATABASE_URL", DefaultDatabaseURL)
	c.MigrateURL = env("BILLTRIAGE_MIGRATE_URL", "")
	c.ReadURL = env("DATABASE_READ_URL", "")
	c.Schema = env("BILLTRIAGE_SCHEMA", "")
	c.Embedder = env("BILLTRIAGE_EMBEDDER", "local")
	c.EmbedDims, _ = strconv.Atoi(env("BILLTRIAGE_EMBED_DIMS", "512"))
	c.OpenAI = OpenAIConfig{
		BaseURL: env("OPENAI_BASE_URL", "https://api.openai.com/v1"),
		Model:   env("OPENAI_EMBED_MODEL", "text-embedding-3-small"),
		APIKey:  getenv("OPENAI_API_KEY"), // never a flag: it would show in ps
		Timeout: 10 * time.Second,
	}
	c.PolicyFile = env("BILLTRIAGE_POLICY", "")
	c.Assist = AssistConfig{
		Enabled: getenv("BILLTRIAGE_ASSIST") == "true",
		BaseURL: env("BILLTRIAGE_ASSIST_BASE_URL", c.OpenAI.BaseURL),
		Model:   env("BILLTRIAGE_ASSIST_MODEL", "gpt-4o-mini"),
		Timeout: 2 * time.Second,
	}
	c.ClassifierEmbeddings = getenv("BILLTRIAGE_CLASSIFIER_EMBEDDINGS") == "true"
	c.LogLevel = env("BILLTRIAGE_LOG_LEVEL", "info")
	c.Checks = triage.CheckConfig{ClosedThrough: getenv("BILLTRIAGE_CLOSED_THROUGH"), RaiseAt: triage.Severity(getenv("BILLTRIAGE_CHECK_RAISE_AT"))}
	c.Drift = triage.DriftConfig{Queue: triage.Queue(getenv("BILLTRIAGE_DRIFT_QUEUE"))}
}

// ownerURL is the URL DDL runs with for the commands whose work is to
// change the schema (migrate, eval): the owner's when given, else the
// database URL's, which then has to own the schema.
func (c *Config) ownerURL() string {
	if c.MigrateURL != "" {
		return c.MigrateURL
	}
	return c.DatabaseURL
}

// validate checks the configuration before anything connects.
func (c *Config) validate() error {
	switch {
	case c.Embedder != "local" && c.Embedder != "openai":
		return fmt.Errorf("--embedder must be local or openai, not %q", c.Embedder)
	case c.EmbedDims < 64 || c.EmbedDims > 4096:
		return fmt.Errorf("--embed-dims must be between 64 and 4096, not %d", c.EmbedDims)
	case c.Embedder == "openai" && c.OpenAI.Model == "":
		return fmt.Errorf("--openai-model is required with --embedder openai")
	case c.ClassifierEmbeddings && c.Embedder != "openai":
		return fmt.Errorf("--classifier-embeddings needs a pretrained embedder (--embedder openai); the local embedder's vectors repeat the classifier's own n-grams")
	case c.Assist.Enabled && c.Assist.Model == "":
		return fmt.Errorf("--assist-model is required with --assist")
	case c.Assist.Timeout <= 0:
		return fmt.Errorf("--assist-timeout must be positive")
	}
	if err := c.Drift.Validate(); err != nil {
		return fmt.Errorf("--drift-queue: %s", triage.ErrorMessage(err))
	}
	if err := c.Checks.Validate(); err != nil {
		flag := map[string]string{"closed_through": "--closed-through", "raise_at": "--check-raise-at"}[triage.ErrorField(err)]
		return fmt.Errorf("%s %s", flag, triage.ErrorMessage(err))
	}
	return c.validateStore()
}

// validateStore checks what a command that only opens the store uses, so
// that keys, models and train are not refused for an embedder or assist
// setting in the environment that they do not read.
func (c *Config) validateStore() error {
	if c.DatabaseURL == "" {
		return fmt.Errorf("--database-url is required")
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return fmt.Errorf("--log-level: %v", err)
	}
	return nil
}

func (c *Config) logger(w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.LogLevel))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl}))
}

// ServeConfig is what only serve needs: the abuse limits and how the
// server sits behind a proxy.
type ServeConfig struct {
	// FailureLimit failed key checks per client address in FailureWindow,
	// then 429 until they age out.
	FailureLimit  int
	FailureWindow time.Duration
	// TrustedProxies, comma-separated addresses or CIDR prefixes, may name
	// the client in X-Forwarded-For. The default trusts loopback, where a
	// reverse proxy in front of the default 127.0.0.1 address connects
	// from; a remote client is never trusted, so it cannot pick its
	// address.
	TrustedProxies string
	// SecureCookies forces the Secure cookie flag behind a TLS-terminating
	// proxy.
	SecureCookies bool
	// MetricsAuth makes /metrics need an API key.
	MetricsAuth bool
	// envErr is a malformed environment value, reported by validate like a
	// bad flag rather than silently replaced by the default.
	envErr error
}

// bind registers serve's flags on fs with defaults from the environment.
func (c *ServeConfig) bind(fs *cmdFlags, getenv func(string) string) {
	limit := api.DefaultFailureLimit
	if v := getenv("BILLTRIAGE_AUTH_FAILURE_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			c.envErr = fmt.Errorf("BILLTRIAGE_AUTH_FAILURE_LIMIT: %v", err)
		}
		limit = n
	}
	window := api.DefaultFailureWindow
	if v := getenv("BILLTRIAGE_AUTH_FAILURE_WINDOW"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			c.envErr = fmt.Errorf("BILLTRIAGE_AUTH_FAILURE_WINDOW: %v", err)
		}
		window = d
	}
	fs.IntVar(&c.FailureLimit, "auth-failure-limit", limit,
		"failed API key checks and sign-ins one client address may make per --auth-failure-window before getting 429 (env BILLTRIAGE_AUTH_FAILURE_LIMIT)")
	fs.DurationVar(&c.FailureWindow, "auth-failure-window", window, "the window of --auth-failure-limit (env BILLTRIAGE_AUTH_FAILURE_WINDOW)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", envOr(getenv, "BILLTRIAGE_TRUSTED_PROXIES", "127.0.0.1,::1"),
		"comma-separated addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For names the client; empty trusts none (env BILLTRIAGE_TRUSTED_PROXIES)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", getenv("BILLTRIAGE_SECURE_COOKIES") == "true",
		"mark the UI's cookies Secure even over plain HTTP, behind a TLS-terminating proxy (env BILLTRIAGE_SECURE_COOKIES=true)")
	fs.BoolVar(&c.MetricsAuth, "metrics-auth", getenv("BILLTRIAGE_METRICS_AUTH") == "true",
		"require an API key of any role at /metrics (env BILLTRIAGE_METRICS_AUTH=true)")
}

// validate checks serve's settings before anything connects.
func (c *ServeConfig) validate() error {
	switch {
	case c.envErr != nil:
		return c.envErr
	case c.FailureLimit < 1:
		return fmt.Errorf("--auth-failure-limit must be at least 1, not %d", c.FailureLimit)
	case c.FailureWindow < time.Second:
		return fmt.Errorf("--auth-failure-window must be at least a second, not %v", c.FailureWindow)
	}
	for _, p := range c.proxies() {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				return fmt.Errorf("--trusted-proxies: %q is neither an IP address nor a CIDR prefix", p)
			}
		}
	}
	return nil
}

// proxies splits --trusted-proxies; api.NewServer checks each entry.
func (c *ServeConfig) proxies() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
