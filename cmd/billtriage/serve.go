package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/models/classify"
	"github.com/billtriage/billtriage/triage"
)

func runServe(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	var sc ServeConfig
	fs := newFlags("serve", std)
	cfg.bindGroups(fs, getenv, pipelineFlags|assistFlags|readFlag)
	sc.bind(fs, getenv)
	addr := fs.String("addr", envOr(getenv, "BILLTRIAGE_ADDR", "127.0.0.1:8080"), "listen address (env BILLTRIAGE_ADDR); port 0 picks a free port")
	patternsEvery := fs.Duration("patterns-every", time.Hour, "how often to recompute recurring patterns and spikes (once per cluster); 0 turns detection off")
	patternsRelative := fs.Bool("patterns-relative", false, "judge each series' rise against everything else's, so a rise of all exceptions alike is no spike")
	sweepEvery := fs.Duration("sweep-every", 10*time.Second, "how often to triage exceptions a crash or outage left undecided; 0 turns the sweep off")
	sweepAfter := fs.Duration("sweep-after", triage.DefaultSweepAfter, "how long an exception stays undecided before the sweep takes it")
	driftEvery := fs.Duration("drift-every", time.Hour, "how often to look for schema drift in what each source sends; 0 turns it off")
	modelPoll := fs.Duration("model-poll", classify.DefaultWatchEvery, "how often to look for a classifier another replica retrained")
	previewAge, err := envDuration(getenv, "BILLTRIAGE_PREVIEW_MAX_AGE", triage.DefaultPreviewMaxAge)
	if err != nil {
		return err
	}
	fs.DurationVar(&cfg.PreviewMaxAge, "preview-max-age", previewAge,
		"how old a policy's preview may be when the policy is activated or shadowed (env BILLTRIAGE_PREVIEW_MAX_AGE)")
	alarmsEvery := fs.Duration("alarms-every", defaultAlarmsEvery, "how often one replica checks the drift alarms and the brake; 0 turns the check off")
	if err := parse(fs, args); err != nil {
		return err
	}
	if cfg.PreviewMaxAge <= 0 {
		return fs.usageError("--preview-max-age must be positive, not %v", cfg.PreviewMaxAge)
	}
	if err := sc.validate(); err != nil {
		return err
	}
	log := cfg.logger(std.Err)
	a, err := openSharedApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	handler, err := rootHandler(a, sc, log)
	if err != nil {
		return err
	}
	defer startSessionSweep(ctx, a, log)()
	stopJobs, err := startJobs(context.WithoutCancel(ctx), a, jobsConfig{SweepEvery: *sweepEvery, SweepAfter: *sweepAfter, ModelPoll: *modelPoll, PatternsEvery: *patternsEvery,
		PatternsRelative: *patternsRelative, DriftEvery: *driftEvery, AlarmsEvery: *alarmsEvery}, log)
	if err != nil {
		return err
	}
	defer stopJobs()
	// Learn what triage caches (cause words, parameter schemas, field
	// priors) beside the first requests instead of inside them; serve is
	// ready without waiting for it.
	go func() {
		if err := a.svc.Warm(ctx); err != nil && ctx.Err() == nil {
			log.Warn("warming the triage caches failed; they fill as triage asks", "err", err)
		}
	}()
	// The end-to-end test and scripts read this line to find the port.
	log.Info("listening", "addr", ln.Addr().String(), "embedder", a.emb.Name(), "policy", a.svc.Policy().Version(), "pgvector", a.db.VectorVersion)
	return serveUntilDone(ctx, ln, handler, log)
}

// startSessionSweep deletes expired sessions in the background; the
// returned stop waits for it, so it ends before the pool closes.
func startSessionSweep(ctx context.Context, a *app, log *slog.Logger) func() {
	sweepCtx, stop := context.WithCancel(ctx)
	swept := make(chan struct{})
	go func() {
		defer close(swept)
		sweepSessions(sweepCtx, a.store, sessionSweepEvery, log)
	}()
	return func() {
		stop()
		<-swept
	}
}

// serveUntilDone serves HTTP on ln until ctx ends, then stops taking new
// requests and gives those in flight 10 s to finish; what they leave
// undecided the sweep picks up.
func serveUntilDone(ctx context.Context, ln net.Listener, handler http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// rootHandler is the one front door: the JSON API and the web UI.
func rootHandler(a *app, sc ServeConfig, log *slog.Logger) (http.Handler, error) {
	return api.NewServer(api.Config{Service: a.svc, Keys: a.store, Sessions: a.store, Stats: a.store,
		Ready: a.db, Logger: log, Metrics: a.metrics, Intake: a.intake,
		FailureLimit: sc.FailureLimit, FailureWindow: sc.FailureWindow, TrustedProxies: sc.proxies(),
		SecureCookies: sc.SecureCookies, MetricsAuth: sc.MetricsAuth})
}

// sessionSweepEvery is how often serve deletes expired sessions: often
// enough that the table holds about a day of sign-ins, rarely enough to
// cost nothing.
const sessionSweepEvery = 10 * time.Minute

// sweepSessions deletes expired sessions at start and then every interval
// until ctx ends. Expired sessions are refused anyway; this only keeps the
// table from growing. With several replicas each sweeps; the deletes are
// idempotent.
func sweepSessions(ctx context.Context, sessions triage.SessionStore, every time.Duration, log *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		n, err := sessions.DeleteExpiredSessions(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("deleting expired sessions", "err", err)
		case n > 0:
			log.Info("deleted expired sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// envDuration reads a duration from the environment, def when unset.
func envDuration(getenv func(string) string, key string, def time.Duration) (time.Duration, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %v", key, err)
	}
	return d, nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
