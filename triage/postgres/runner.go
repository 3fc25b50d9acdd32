package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/billtriage/billtriage/triage"
)

// DefaultRetry is the wait before each retry of a failed delivery: the
// Standard Webhooks schedule, spread over about a day (28 h in all), so a
// receiver down overnight still gets every event. After the last retry
// the delivery is dead until a person redelivers it.
var DefaultRetry = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// RunnerConfig configures the job workers of one service process.
type RunnerConfig struct {
	// Connector delivers events downstream (the webhook adapter).
	Connector triage.Connector
	// Retry is DefaultRetry when nil; tests shorten it.
	Retry []time.Duration
	// Workers bounds concurrent deliveries; 20 when zero.
	Workers int
	// Sweep, when set, runs every SweepEvery as a periodic job: River
	// runs periodic jobs on its elected leader only, so once per cluster.
	Sweep      func(ctx context.Context) error
	SweepEvery time.Duration
	// Drift, when set, runs every DriftEvery as a periodic job (once per
	// cluster): schema-drift detection over each source's payloads.
	Drift      func(ctx context.Context) error
	DriftEvery time.Duration
	// SnapshotEvery, when positive, stores the last day's KPIs that
	// often (periodic, once per cluster).
	SnapshotEvery time.Duration
	// Alarms, when set, runs every AlarmsEvery as a periodic job (once per
	// cluster): the drift alarms' check and the brake.
	Alarms      func(ctx context.Context) error
	AlarmsEvery time.Duration
	// Embedder is this replica's; it runs re-embeddings to it.
	Embedder triage.Embedder
	// Retrain, when set, works the "classifier.retrain" jobs
	// EnqueueRetrain inserts: it retrains key's classifier and stores it.
	// It may return an ECONFLICT triage error when this replica does not
	// train with key's settings; the job is then cancelled, and a replica
	// that does will ask again.
	Retrain func(ctx context.Context, key ClassifierKey) error
	Logger  *slog.Logger
	// Patterns, when set, recomputes recurring patterns every
	// PatternsEvery (periodic, once per cluster).
	Patterns      func(ctx context.Context) error
	PatternsEvery time.Duration
	// RescueAfter is how long a job may stay running before River's
	// rescuer takes it back for another replica; DefaultRescueAfter when
	// zero.
	RescueAfter time.Duration
}

// DefaultRescueAfter is when a job a replica holds counts as abandoned. A
// replica killed with SIGKILL leaves the jobs it fetched in state running;
// River's default (an hour) would hold those deliveries back that long.
// One minute is River's default job timeout, after which a job's context
// is cancelled, the least River allows; a kind with a longer timeout of
// its own is left alone by the rescuer until that has passed. A job that
// outlives its cancellation may then run twice, which every kind here
// tolerates: receivers deduplicate deliveries by webhook-id, a dispatch is
// unique by its event, the sweep leases its rows.
const DefaultRescueAfter = time.Minute

// Runner works the jobs: every replica runs one, River hands each job to
// exactly one of them at a time.
type Runner struct {
	client *river.Client[pgx.Tx]
}

// NewRunner returns the job workers on the store's database.
func (s *Store) NewRunner(cfg RunnerConfig) (*Runner, error) {
	if cfg.Retry == nil {
		cfg.Retry = DefaultRetry
	}
	if cfg.Workers == 0 {
		cfg.Workers = 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &dispatchWorker{store: s, attempts: len(cfg.Retry) + 1})
	river.AddWorker(workers, &deliverWorker{store: s, connector: cfg.Connector, retry: cfg.Retry})
	rc := &river.Config{Queues: map[string]river.QueueConfig{outboxQueue: {MaxWorkers: cfg.Workers}},
		Workers: workers, Logger: cfg.Logger, PeriodicJobs: periodic(cfg),
		RescueStuckJobsAfter: cmp.Or(cfg.RescueAfter, DefaultRescueAfter)}
	river.AddWorker(workers, &sweepWorker{sweep: cfg.Sweep})
	river.AddWorker(workers, &snapshotWorker{store: s})
	river.AddWorker(workers, &driftWorker{detect: cfg.Drift})
	river.AddWorker(workers, &alarmsWorker{check: cfg.Alarms})
	river.AddWorker(workers, &reembedWorker{store: s, emb: cfg.Embedder})
	river.AddWorker(workers, &patternsWorker{detect: cfg.Patterns})
	rc.Queues[river.QueueDefault] = river.QueueConfig{MaxWorkers: 2}
	if cfg.Retrain != nil {
		river.AddWorker(workers, &retrainWorker{retrain: cfg.Retrain})
		rc.Queues[classifierQueue] = river.QueueConfig{MaxWorkers: 1}
	}
	c, err := river.NewClient(riverpgxv5.New(s.db.Pool), rc)
	if err != nil {
		return nil, triage.Wrap(triage.EINTERNAL, err, "job workers")
	}
	return &Runner{client: c}, nil
}

// periodic lists the jobs River's elected leader inserts on a schedule,
// so each runs once per cluster however many replicas there are.
func periodic(cfg RunnerConfig) []*river.PeriodicJob {
	var jobs []*river.PeriodicJob
	if cfg.Sweep != nil && cfg.SweepEvery > 0 {
		jobs = append(jobs, river.NewPeriodicJob(river.PeriodicInterval(cfg.SweepEvery),
			func() (river.JobArgs, *river.InsertOpts) { return sweepArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}))
	}
	if cfg.SnapshotEvery > 0 {
		jobs = append(jobs, river.NewPeriodicJob(river.PeriodicInterval(cfg.SnapshotEvery),
			func() (river.JobArgs, *river.InsertOpts) { return snapshotArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}))
	}
	if j := patternsJob(cfg); j != nil {
		jobs = append(jobs, j)
	}
	if cfg.Drift != nil && cfg.DriftEvery > 0 {
		jobs = append(jobs, river.NewPeriodicJob(river.PeriodicInterval(cfg.DriftEvery),
			func() (river.JobArgs, *river.InsertOpts) { return driftArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}))
	}
	if cfg.Alarms != nil && cfg.AlarmsEvery > 0 {
		jobs = append(jobs, river.NewPeriodicJob(river.PeriodicInterval(cfg.AlarmsEvery),
			func() (river.JobArgs, *river.InsertOpts) { return alarmsArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}))
	}
	return jobs
}

// Start starts working jobs until Stop.
func (r *Runner) Start(ctx context.Context) error { return translate(r.client.Start(ctx)) }

// Stop finishes the jobs in hand and stops; jobs not started stay for
// another replica or the next start.
func (r *Runner) Stop(ctx context.Context) error { return translate(r.client.Stop(ctx)) }

// dispatchWorker fans an event out to the endpoints that want it, one
// delivery job each, so one slow or failing receiver delays no other.
type dispatchWorker struct {
	river.WorkerDefaults[dispatchArgs]
	store    *Store
	attempts int
}

func (w *dispatchWorker) Work(ctx context.Context, job *river.Job[dispatchArgs]) error {
	ev, err := w.store.Event(ctx, job.Args.EventID)
	if err != nil {
		return err
	}
	eps, err := w.store.Endpoints(ctx)
	if err != nil {
		return err
	}
	var jobs []river.InsertManyParams
	for _, ep := range eps {
		if ep.Wants(ev.Type) {
			jobs = append(jobs, river.InsertManyParams{Args: deliverArgs{EventID: ev.ID, EndpointID: ep.ID},
				InsertOpts: &river.InsertOpts{Queue: outboxQueue, MaxAttempts: w.attempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}})
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	_, err = river.ClientFromContext[pgx.Tx](ctx).InsertMany(ctx, jobs)
	return err
}

// deliverArgs is one event's delivery to one endpoint.
type deliverArgs struct {
	EventID    string `json:"event_id"`
	EndpointID int64  `json:"endpoint_id"`
}

// Kind names the job in river_job.
func (deliverArgs) Kind() string { return "webhook.deliver" }

// deliverWorker sends one event to one endpoint through the connector.
type deliverWorker struct {
	river.WorkerDefaults[deliverArgs]
	store     *Store
	connector triage.Connector
	retry     []time.Duration
}

func (w *deliverWorker) Work(ctx context.Context, job *river.Job[deliverArgs]) error {
	ep, err := w.store.Endpoint(ctx, job.Args.EndpointID)
	if triage.ErrorCode(err) == triage.ENOTFOUND {
		return river.JobCancel(errors.New("the endpoint was removed"))
	}
	if err != nil {
		return err
	}
	ev, err := w.store.Event(ctx, job.Args.EventID)
	if err != nil {
		return err
	}
	return w.connector.Deliver(ctx, ep, ev)
}

// NextRetry follows the retry schedule rather than River's default.
func (w *deliverWorker) NextRetry(job *river.Job[deliverArgs]) time.Time {
	i := min(max(job.Attempt-1, 0), len(w.retry)-1)
	return time.Now().Add(w.retry[i])
}

// Timeout bounds one attempt: a receiver that hangs is a failure.
func (w *deliverWorker) Timeout(*river.Job[deliverArgs]) time.Duration { return 30 * time.Second }

// sweepArgs is the periodic sweep of exceptions left undecided.
type sweepArgs struct{}

// Kind names the job in river_job.
func (sweepArgs) Kind() string { return "exceptions.sweep" }

type sweepWorker struct {
	river.WorkerDefaults[sweepArgs]
	sweep func(context.Context) error
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[sweepArgs]) error {
	if w.sweep == nil {
		return nil // a replica without a sweep configured leaves it to others
	}
	return w.sweep(ctx)
}

// snapshotArgs is the periodic KPI snapshot.
type snapshotArgs struct{}

// Kind names the job in river_job.
func (snapshotArgs) Kind() string { return "kpi.snapshot" }

type snapshotWorker struct {
	river.WorkerDefaults[snapshotArgs]
	store *Store
}

const insertSnapshotSQL = `INSERT INTO kpi_snapshots (stats) VALUES ($1)`

func (w *snapshotWorker) Work(ctx context.Context, _ *river.Job[snapshotArgs]) error {
	st, err := w.store.Stats(ctx, time.Now().Add(-24*time.Hour))
	if err != nil {
		return err
	}
	body, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = w.store.db.Pool.Exec(ctx, insertSnapshotSQL, body)
	return translate(err)
}

// alarmsArgs is the periodic drift check.
type alarmsArgs struct{}

// Kind names the job in river_job.
func (alarmsArgs) Kind() string { return "alarms.check" }

type alarmsWorker struct {
	river.WorkerDefaults[alarmsArgs]
	check func(context.Context) error
}

func (w *alarmsWorker) Work(ctx context.Context, _ *river.Job[alarmsArgs]) error {
	if w.check == nil {
		return nil // a replica without the check configured leaves it to others
	}
	return w.check(ctx)
}

// Timeout allows for a large history: the check reads weeks of decisions.
func (w *alarmsWorker) Timeout(*river.Job[alarmsArgs]) time.Duration { return 10 * time.Minute }

// retrainWorker retrains one classifier; River gives each job to one
// replica, so the cluster trains once however many replicas asked.
type retrainWorker struct {
	river.WorkerDefaults[retrainArgs]
	retrain func(context.Context, ClassifierKey) error
}

func (w *retrainWorker) Work(ctx context.Context, job *river.Job[retrainArgs]) error {
	err := w.retrain(ctx, job.Args.ClassifierKey)
	if triage.ErrorCode(err) == triage.ECONFLICT {
		return river.JobCancel(err)
	}
	return err
}

// Timeout allows for a large history: River's default minute is meant
// for requests, not training.
func (w *retrainWorker) Timeout(*river.Job[retrainArgs]) time.Duration { return 30 * time.Minute }

// deliveryStates maps the domain's delivery states to River's job states.
var deliveryStates = map[string][]rivertype.JobState{
	triage.DeliveryPending:   {rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateRunning},
	triage.DeliveryRetrying:  {rivertype.JobStateRetryable},
	triage.DeliveryDelivered: {rivertype.JobStateCompleted},
	triage.DeliveryDead:      {rivertype.JobStateDiscarded},
}

// Deliveries lists webhook deliveries in a state, newest first.
func (s *Store) Deliveries(ctx context.Context, state string, limit int) ([]triage.Delivery, error) {
	params := river.NewJobListParams().Kinds(deliverArgs{}.Kind()).States(deliveryStates[state]...).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(limit)
	res, err := s.inserter().JobList(ctx, params)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]triage.Delivery, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		out = append(out, delivery(j))
	}
	return out, nil
}

// Redeliver makes a dead delivery available again now, with its
// attempts reset by River.
func (s *Store) Redeliver(ctx context.Context, id int64) (triage.Delivery, error) {
	j, err := s.inserter().JobGet(ctx, id)
	if errors.Is(err, river.ErrNotFound) || (err == nil && j.Kind != deliverArgs{}.Kind()) {
		return triage.Delivery{}, triage.Errorf(triage.ENOTFOUND, "delivery %d not found", id)
	}
	if err != nil {
		return triage.Delivery{}, translate(err)
	}
	if j.State != rivertype.JobStateDiscarded {
		return delivery(j), triage.Errorf(triage.ECONFLICT, "delivery %d is %s, not dead", id, delivery(j).State)
	}
	j, err = s.inserter().JobRetry(ctx, id)
	if err != nil {
		return triage.Delivery{}, translate(err)
	}
	return delivery(j), nil
}

func delivery(j *rivertype.JobRow) triage.Delivery {
	d := triage.Delivery{ID: j.ID, Attempts: j.Attempt, At: j.CreatedAt, State: triage.DeliveryPending}
	var args deliverArgs
	if err := json.Unmarshal(j.EncodedArgs, &args); err == nil {
		d.EventID, d.EndpointID = args.EventID, args.EndpointID
	}
	for st, rs := range deliveryStates {
		for _, r := range rs {
			if r == j.State {
				d.State = st
			}
		}
	}
	if n := len(j.Errors); n > 0 {
		d.LastError = "attempt " + strconv.Itoa(j.Errors[n-1].Attempt) + ": " + j.Errors[n-1].Error
	}
	return d
}

// driftArgs is the periodic schema-drift detection.
type driftArgs struct{}

// Kind names the job in river_job.
func (driftArgs) Kind() string { return "schema.drift" }

type driftWorker struct {
	river.WorkerDefaults[driftArgs]
	detect func(context.Context) error
}

func (w *driftWorker) Work(ctx context.Context, _ *river.Job[driftArgs]) error {
	if w.detect == nil {
		return nil // a replica without detection configured leaves it to others
	}
	return w.detect(ctx)
}
