package postgres

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/billtriage/billtriage/triage"
)

// Reembed moves the history to emb in batches, in id order, calling
// progress after each with the count moved so far. A run that stops
// half-way resumes where it stopped, since only rows not yet embedded by
// emb are read, and until it finishes matching uses only rows already
// moved, never mixing embedders.
func (s *Store) Reembed(ctx context.Context, emb triage.Embedder, batch int, progress func(moved int)) (int, error) {
	moved := 0
	for after := int64(0); ; {
		b, err := s.ResolutionsNotEmbeddedBy(ctx, emb.Name(), after, batch)
		if err != nil || len(b.IDs) == 0 {
			return moved, err
		}
		vecs, err := emb.Embed(ctx, b.Texts)
		if err != nil {
			return moved, err
		}
		if err := s.SetVectors(ctx, emb.Name(), b.IDs, vecs); err != nil {
			return moved, err
		}
		moved += len(b.IDs)
		after = b.IDs[len(b.IDs)-1]
		if progress != nil {
			progress(moved)
		}
	}
}

const remainingSQL = `SELECT count(*) FROM resolutions WHERE embedder <> $1`

// NotEmbeddedBy counts the resolutions whose vector is not from embedder:
// a re-embedding's progress, read from any process.
func (s *Store) NotEmbeddedBy(ctx context.Context, embedder string) (int, error) {
	var n int
	err := s.db.Pool.QueryRow(ctx, remainingSQL, embedder).Scan(&n)
	return n, translate(err)
}

// reembedArgs is the background re-embedding of the history with the
// serving replicas' embedder, after an embedder change.
type reembedArgs struct {
	Embedder string `json:"embedder"`
}

// Kind names the job in river_job.
func (reembedArgs) Kind() string { return "resolutions.reembed" }

// InsertOpts keeps one re-embedding per embedder at a time.
func (reembedArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{rivertype.JobStateAvailable,
		rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// EnqueueReembed asks the replicas to move the history to embedder; a
// request while one is under way is the same job.
func (s *Store) EnqueueReembed(ctx context.Context, embedder string) error {
	_, err := s.inserter().Insert(ctx, reembedArgs{Embedder: embedder}, nil)
	return translate(err)
}

// reembedSnooze is how long a re-embedding waits for a replica with its
// embedder.
const reembedSnooze = 30 * time.Second

// reembedWorker runs a re-embedding on a replica whose embedder it names;
// a replica with another embedder snoozes it for one that has it.
type reembedWorker struct {
	river.WorkerDefaults[reembedArgs]
	store *Store
	emb   triage.Embedder
}

func (w *reembedWorker) Work(ctx context.Context, job *river.Job[reembedArgs]) error {
	if w.emb == nil || w.emb.Name() != job.Args.Embedder {
		return river.JobSnooze(reembedSnooze)
	}
	moved, err := w.store.Reembed(ctx, w.emb, 500, nil)
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, map[string]int{"moved": moved})
}
