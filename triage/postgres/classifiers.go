package postgres

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/billtriage/billtriage/triage"
)

// ClassifierKey names what a stored text classifier serves: a type, with
// the embedder whose vectors fed it ("" for none) and the fingerprint of
// its training settings. Replicas share a model only under an equal key,
// so a replica of another build or configuration never serves a model its
// code would not have trained.
type ClassifierKey struct {
	Type     triage.Type `json:"type"`
	Embedder string      `json:"embedder"`
	Config   string      `json:"config"`
}

// ClassifierModel is one stored version of a trained text classifier.
type ClassifierModel struct {
	ClassifierKey
	// Version increases with every model stored: the newest of a key is
	// the one in force.
	Version int64
	// TrainedOn counts the type's resolutions in the history it was
	// trained on; the next retraining is due RetrainEvery after it.
	TrainedOn int
	// Body is the model's MarshalBinary encoding.
	Body      []byte
	CreatedAt time.Time
}

const insertClassifierSQL = `INSERT INTO classifier_models (type, embedder, config, trained_on, body)
	VALUES ($1, $2, $3, $4, $5) RETURNING version`

// SaveClassifier stores m as the newest version of its key and returns
// that version.
func (s *Store) SaveClassifier(ctx context.Context, m ClassifierModel) (int64, error) {
	var v int64
	err := s.db.Pool.QueryRow(ctx, insertClassifierSQL, string(m.Type), m.Embedder, m.Config, m.TrainedOn, m.Body).Scan(&v)
	return v, translate(err)
}

const latestClassifierSQL = `SELECT version, trained_on, body, created_at FROM classifier_models
	WHERE type = $1 AND embedder = $2 AND config = $3 AND version > $4
	ORDER BY version DESC LIMIT 1`

// LatestClassifier returns the newest model of key if its version is
// above after (0: any), or ENOTFOUND. Replicas poll with the version they
// serve as after, so a poll with nothing new reads no model body.
func (s *Store) LatestClassifier(ctx context.Context, key ClassifierKey, after int64) (ClassifierModel, error) {
	m := ClassifierModel{ClassifierKey: key}
	err := s.db.Pool.QueryRow(ctx, latestClassifierSQL, string(key.Type), key.Embedder, key.Config, after).
		Scan(&m.Version, &m.TrainedOn, &m.Body, &m.CreatedAt)
	if err != nil {
		return ClassifierModel{}, translate(err)
	}
	return m, nil
}

const typeResolutionCountSQL = `SELECT count(*) FROM resolutions WHERE type = $1`

// TypeResolutionCount counts the history of type t: the rows TrainingExamples
// returns, so it compares with a model's TrainedOn.
func (s *Store) TypeResolutionCount(ctx context.Context, t triage.Type) (int, error) {
	var n int
	err := s.db.Pool.QueryRow(ctx, typeResolutionCountSQL, string(t)).Scan(&n)
	return n, translate(err)
}

// retrainArgs is River's job to retrain one key's classifier from the
// history and store it.
type retrainArgs struct {
	ClassifierKey
}

// Kind names the job in river_job.
func (retrainArgs) Kind() string { return "classifier.retrain" }

// classifierQueue is River's queue for retraining: one at a time per
// replica, as training takes the CPU the requests need.
const classifierQueue = "classifier"

// InsertOpts keeps at most one retraining of a key waiting or running,
// however many replicas ask at once. Completed jobs are left out of the
// unique states, or a finished retraining would block the next one until
// River cleaned it out.
func (retrainArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: classifierQueue, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// EnqueueRetrain asks for key's classifier to be retrained by whichever
// replica's Runner takes the job. Asking again while a retraining is
// waiting or running adds nothing, so it is safe to call often.
func (s *Store) EnqueueRetrain(ctx context.Context, key ClassifierKey) error {
	_, err := s.inserter().Insert(ctx, retrainArgs{key}, nil)
	return translate(err)
}
