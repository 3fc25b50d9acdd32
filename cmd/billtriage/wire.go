package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/assist"
	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/models/classify"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// app is the wired pipeline a command works with.
type app struct {
	cfg   Config
	log   *slog.Logger
	db    *postgres.DB
	store *postgres.Store
	emb   triage.Embedder
	svc   *triage.Service
	// metrics observe the service; serve exposes them at /metrics.
	metrics *api.Metrics
	intake  *disputes.Intake
	// clf is the service's classifier; with a Registry (serve) the job
	// workers retrain it and keep it up to date (startJobs).
	clf *classify.Learner
	// models is clf's Registry, nil when it has none.
	models *modelRegistry
}

// openApp validates cfg, connects (migrating first, as the owner when
// cfg.MigrateURL is set), makes sure the embedder's index exists and builds
// the service, whose classifier is trained for this process alone.
func openApp(ctx context.Context, cfg Config, log *slog.Logger) (*app, error) {
	return openPipeline(ctx, cfg, log, false, true)
}

// openLoadApp is openApp for load, with its classifier untrained and its
// models in the database, as serve keeps them: load trains and stores the
// models its history makes due (see loadExceptions), so that serve then
// loads them instead of training before it answers.
func openLoadApp(ctx context.Context, cfg Config, log *slog.Logger) (*app, error) {
	return openPipeline(ctx, cfg, log, true, false)
}

// openSharedApp is openApp for a replica of the service: its classifier
// loads the models stored in the database, and stores what it trains, so
// the replicas serve the same models (see modelRegistry).
func openSharedApp(ctx context.Context, cfg Config, log *slog.Logger) (*app, error) {
	return openPipeline(ctx, cfg, log, true, true)
}

// openPipeline is openApp, with the classifier's models in the database
// when shared, and trained at once when train.
func openPipeline(ctx context.Context, cfg Config, log *slog.Logger, shared, train bool) (*app, error) {
	emb, pol, err := cfg.embedderAndPolicy()
	if err != nil {
		return nil, err
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{Schema: cfg.Schema, Migrate: true, OwnerURL: cfg.MigrateURL, Logger: log, ReadURL: cfg.ReadURL})
	if err != nil {
		return nil, err
	}
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		db.Close()
		return nil, err
	}
	store := postgres.NewStore(db)
	if pol, err = choosePolicy(ctx, cfg.PolicyFile, pol, store); err != nil {
		db.Close()
		return nil, err
	}
	metrics := api.NewMetrics(store)
	if cfg.ReadURL != "" {
		metrics.CounterFunc("billtriage_standby_read_fallbacks_total",
			"Reads meant for the standby (DATABASE_READ_URL) that it failed and the primary answered.",
			func() float64 { return float64(db.ReadFallbacks.Load()) })
	}
	metrics.WatchPatterns(store)
	metrics.WatchAlarms(store)
	var models *modelRegistry
	if shared {
		models = &modelRegistry{store: store, embedder: cfg.classifierVectors(emb)}
	}
	svc, clf, err := newService(ctx, store, emb, pol, cfg, log, metrics, nil, false, cfg.classifierVectors(emb), models, train,
		func(c *triage.Config) { c.PreviewMaxAge = cfg.PreviewMaxAge })
	if err != nil {
		db.Close()
		return nil, err
	}
	// A shadow policy another process started keeps deciding beside the
	// active one here too.
	if err := svc.LoadShadow(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := svc.LoadModelShadow(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := svc.LoadClassifierShadow(ctx); err != nil {
		db.Close()
		return nil, err
	}
	log.Debug("pipeline ready", "embedder", emb.Name(), "policy", pol.Version(), "pgvector", db.VectorVersion)
	intake, err := newIntake(cfg, svc, store)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &app{cfg: cfg, log: log, db: db, store: store, emb: emb, svc: svc, metrics: metrics, intake: intake, clf: clf, models: models}, nil
}

// Close releases the database pool.
func (a *app) Close() { a.db.Close() }

// embedderAndPolicy validates c and builds what a pipeline needs before
// it connects, so that a bad flag or policy file fails before any schema
// is touched.
func (c *Config) embedderAndPolicy() (triage.Embedder, *triage.Policy, error) {
	if err := c.validate(); err != nil {
		return nil, nil, err
	}
	emb, err := newEmbedder(*c)
	if err != nil {
		return nil, nil, err
	}
	pol, err := loadPolicy(c.PolicyFile)
	if err != nil {
		return nil, nil, err
	}
	return emb, pol, nil
}

// openStore opens the configured database, migrated, for a command that
// needs only the store; call closeDB when done.
func (c *Config) openStore(ctx context.Context, logTo io.Writer) (st *postgres.Store, closeDB func(), err error) {
	if err := c.validateStore(); err != nil {
		return nil, nil, err
	}
	db, err := postgres.Open(ctx, c.DatabaseURL, postgres.Options{Schema: c.Schema, Migrate: true, OwnerURL: c.MigrateURL, Logger: c.logger(logTo)})
	if err != nil {
		return nil, nil, err
	}
	return postgres.NewStore(db), db.Close, nil
}

// newService builds the pipeline the same way for the server, the CLI and
// the eval harness, so what eval measures is what runs. The classifier is
// trained from the history before the service answers; with sync it also
// retrains in line (eval), otherwise in the background. It learns from the
// vectors of the embedder named vectors too, when that is not empty. With
// models it loads and stores its models there and leaves retraining to
// the job workers (serve). Without train the caller calls TrainAll itself
// before the service triages.
func newService(ctx context.Context, store *postgres.Store, emb triage.Embedder, pol *triage.Policy, c Config, log *slog.Logger,
	obs triage.Observer, now func() time.Time, sync bool, vectors string, models *modelRegistry, train bool,
	adjust ...func(*triage.Config)) (*triage.Service, *classify.Learner, error) {
	clf := &classify.Learner{Source: historySource{store: store, embedder: vectors}, Sync: sync, Log: log}
	if models != nil {
		clf.Registry = models
	}
	if train {
		if err := clf.TrainAll(ctx); err != nil {
			return nil, nil, fmt.Errorf("train the classifier: %w", err)
		}
	}
	scorer := &risk.Scorer{Invoices: store, Registry: store}
	tc := triage.Config{Store: store, Embedder: emb, Policy: pol, Logger: log, Observer: obs, Now: now,
		Risk: scorer, Prepare: disputes.PrepareText, Classifier: clf,
		Policies: store, Models: store, FeatureHash: features.FeatureHash(), Outbox: store, Postings: store, Views: store, Patterns: store,
		CheckHistory: store, Checks: c.Checks, Drift: store, DriftConfig: c.Drift, Alarms: store,
		ModelShadows: store, Candidate: &risk.Candidates{Scorer: scorer, Models: store},
		ClassifierShadows: store, CandidateClassifier: &classify.Candidates{Source: classifierVersions{store: store, embedder: vectors}, Settings: clf.Settings()}}
	for _, fn := range adjust {
		fn(&tc)
	}
	return triage.NewService(tc), clf, nil
}

// modelRegistry keeps the classifier's models in the classifier_models
// table, keyed by the embedder whose vectors feed them, and has them
// retrained by a River job, once for the cluster.
type modelRegistry struct {
	store    *postgres.Store
	embedder string
}

var _ classify.Registry = (*modelRegistry)(nil)

func (r *modelRegistry) key(t triage.Type, settings string) postgres.ClassifierKey {
	return postgres.ClassifierKey{Type: t, Embedder: r.embedder, Config: settings}
}

// Latest implements classify.Registry.
func (r *modelRegistry) Latest(ctx context.Context, t triage.Type, settings string, after int64) (classify.StoredModel, error) {
	m, err := r.store.LatestClassifier(ctx, r.key(t, settings), after)
	return classify.StoredModel{Version: m.Version, TrainedOn: m.TrainedOn, Body: m.Body}, err
}

// Save implements classify.Registry.
func (r *modelRegistry) Save(ctx context.Context, t triage.Type, settings string, m classify.StoredModel) (int64, error) {
	return r.store.SaveClassifier(ctx, postgres.ClassifierModel{ClassifierKey: r.key(t, settings), TrainedOn: m.TrainedOn, Body: m.Body})
}

// Count implements classify.Registry.
func (r *modelRegistry) Count(ctx context.Context, t triage.Type) (int, error) {
	return r.store.TypeResolutionCount(ctx, t)
}

// RequestRetrain implements classify.Registry.
func (r *modelRegistry) RequestRetrain(ctx context.Context, t triage.Type, settings string) error {
	return r.store.EnqueueRetrain(ctx, r.key(t, settings))
}

// retrainer returns the job workers' RunnerConfig.Retrain for clf. A job
// for another embedder's models is refused (ECONFLICT), so that a replica
// configured otherwise never stores a model under that embedder's key.
func (r *modelRegistry) retrainer(clf *classify.Learner) func(context.Context, postgres.ClassifierKey) error {
	return func(ctx context.Context, key postgres.ClassifierKey) error {
		if key.Embedder != r.embedder {
			return triage.Errorf(triage.ECONFLICT, "retraining for embedder %q asked of a replica using %q", key.Embedder, r.embedder)
		}
		return clf.Retrain(ctx, key.Type, key.Config)
	}
}

// classifierVersions reads stored classifier versions for a shadow,
// refusing those fed by another embedder's vectors than this replica's.
type classifierVersions struct {
	store    *postgres.Store
	embedder string
}

// StoredVersion implements classify.VersionSource.
func (c classifierVersions) StoredVersion(ctx context.Context, version int64) (triage.Type, string, classify.StoredModel, error) {
	m, err := c.store.ClassifierBody(ctx, version)
	if err != nil {
		return "", "", classify.StoredModel{}, err
	}
	if m.Embedder != c.embedder {
		return "", "", classify.StoredModel{}, triage.Errorf(triage.ECONFLICT, "classifier version %d reads %q vectors, this replica %q", version, m.Embedder, c.embedder)
	}
	return m.Type, m.Config, classify.StoredModel{Version: version, Body: m.Body}, nil
}

// historySource feeds the classifier from the resolutions table, with
// root cause and action as one label, and the embeddings of embedder when
// it is set.
type historySource struct {
	store    *postgres.Store
	embedder string
}

// TrainingExamples implements classify.HistorySource over the resolutions
// table.
func (h historySource) TrainingExamples(ctx context.Context, t triage.Type, newest int) ([]classify.Example, int, error) {
	rows, err := h.store.TrainingExamples(ctx, t, h.embedder, newest)
	if err != nil {
		return nil, 0, err
	}
	out := make([]classify.Example, len(rows))
	for i, r := range rows {
		out[i] = classify.Example{Text: r.Text, Label: triage.PairLabel(r.RootCause, r.Action), Vector: r.Vector}
	}
	total := len(rows)
	if newest > 0 && total == newest { // the history may hold more
		total, err = h.store.TypeResolutionCount(ctx, t)
	}
	return out, total, err
}

// classifierVectors names the embedder whose vectors feed the classifier's
// dense channel, or "" when they should not (see ClassifierEmbeddings).
func (c *Config) classifierVectors(emb triage.Embedder) string {
	if c.ClassifierEmbeddings {
		return emb.Name()
	}
	return ""
}

// newIntake wires dispute intake, with the LLM assist when enabled.
func newIntake(cfg Config, svc *triage.Service, store *postgres.Store) (*disputes.Intake, error) {
	in := &disputes.Intake{Service: svc, Invoices: store, Customers: store, Reasons: store}
	if !cfg.Assist.Enabled {
		return in, nil
	}
	a, err := assist.New(assist.Config{BaseURL: cfg.Assist.BaseURL, APIKey: cfg.OpenAI.APIKey,
		Model: cfg.Assist.Model, Timeout: cfg.Assist.Timeout})
	if err != nil {
		return nil, err
	}
	in.Assistant = a
	return in, nil
}

func newEmbedder(cfg Config) (triage.Embedder, error) {
	if cfg.Embedder == "openai" {
		return embeddings.NewOpenAI(embeddings.OpenAIConfig{BaseURL: cfg.OpenAI.BaseURL, APIKey: cfg.OpenAI.APIKey,
			Model: cfg.OpenAI.Model, Dims: cfg.EmbedDims, Timeout: cfg.OpenAI.Timeout})
	}
	return embeddings.NewLocal(cfg.EmbedDims)
}

// choosePolicy decides which policy is in force: a --policy file wins (and
// is recorded, so its version can be looked up later); otherwise the
// newest policy an admin saved; otherwise the built-in default.
func choosePolicy(ctx context.Context, file string, fromFile *triage.Policy, store *postgres.Store) (*triage.Policy, error) {
	if file != "" {
		active, err := store.ActivePolicy(ctx)
		if err != nil || active.Version() != fromFile.Version() {
			return fromFile, store.SavePolicy(ctx, fromFile, "file:"+file)
		}
		return fromFile, nil
	}
	active, err := store.ActivePolicy(ctx)
	switch triage.ErrorCode(err) {
	case "":
		return active, nil
	case triage.ENOTFOUND:
		return fromFile, nil
	}
	return nil, err
}

// loadPolicy reads the policy file, or returns the built-in default.
func loadPolicy(path string) (*triage.Policy, error) {
	if path == "" {
		return triage.DefaultPolicy(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	defer f.Close()
	p, err := triage.ParsePolicy(f)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	return p, nil
}
