package triage

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// withCorrections reads r's corrections from its params unless set.
func withCorrections(r *Resolution) error {
	if r.Corrections != nil {
		return nil
	}
	cs, err := CorrectionsFromParams(r.Params)
	if err != nil {
		return Wrap(EINVALID, err, "resolution %s: %v", r.ExternalID, err)
	}
	r.Corrections = cs
	return nil
}

// ImportBatch is how many resolutions are embedded and stored together.
// Large enough that a batch's round trips and statements are a small part
// of its cost, small enough that a load's memory stays bounded.
const ImportBatch = 2000

// HistoryLoader is implemented by stores that can take a large history
// faster than AddResolutions batch by batch, for instance by setting the
// search index aside while the rows stream in and building it once at the
// end. ImportHistory and BeginImport use it when the store has it.
type HistoryLoader interface {
	BeginHistoryLoad(ctx context.Context, plan HistoryLoadPlan) (HistoryLoad, error)
}

// HistoryLoadPlan tells a HistoryLoader what is coming.
type HistoryLoadPlan struct {
	// Embedder and Dims describe the vectors of the rows.
	Embedder string
	Dims     int
	// Rows is how many rows the caller expects to add, an estimate; the
	// loader decides from it how to treat the search index.
	Rows int
}

// HistoryLoad is one bulk load in progress.
type HistoryLoad interface {
	// Add stores rs and returns how many were new: imported rows whose
	// external id is already in the history are skipped.
	Add(ctx context.Context, rs []Resolution) (added int, err error)
	// Finish restores what the load set aside (the index) and refreshes
	// the planner's statistics. It is called once, also after a failed
	// Add, so that a failed load never leaves the history unindexed.
	Finish(ctx context.Context) (LoadReport, error)
}

// LoadReport says how a store treated its search index during a load.
type LoadReport struct {
	// IndexRebuilt is true when the index was dropped before the rows and
	// built again after them; false when the rows went into the live index.
	IndexRebuilt bool
	// IndexNote explains the choice, for the operator.
	IndexNote string
}

// ImportStats counts what an import did.
type ImportStats struct {
	// Added rows are new in the history; Present ones were imported
	// before (same external id) and were left as they were.
	Added, Present int
	LoadReport
	// Writing is the time from BeginImport until the last batch was
	// stored; Finishing the time the store then took to finish (index
	// build, statistics).
	Writing, Finishing time.Duration
	// Embedding and Storing are the time the embedding and writing stages
	// were busy; the one close to Writing is the bottleneck.
	Embedding, Storing time.Duration
}

// ImportOptions tunes BeginImport.
type ImportOptions struct {
	// Rows is how many resolutions the caller expects to add (0 when
	// unknown); the store decides from it how to treat its index.
	Rows int
	// Workers embed in parallel; 0 means one per CPU.
	Workers int
	// KeepClassifier leaves the classifier alone at Close: the caller
	// retrains it itself when it needs it, or exits (a command that only
	// loads has no use for a retraining it would cut short).
	KeepClassifier bool
	// Stored, when set, is called after each batch is stored, with the
	// number of rows that batch held. It runs on the import's own
	// goroutine: keep it quick.
	Stored func(n int)
}

// HistoryImport streams historical resolutions into the store through
// three stages that run at once: the caller reads and decodes the next
// batch, the embedder embeds the one before it (split among the workers),
// and the store writes the one before that. Close ends it; an import not
// closed may leave the store's index aside.
type HistoryImport struct {
	s     *Service
	start time.Time
	load  HistoryLoad
	opt   ImportOptions
	toEmb chan []Resolution // batches handed to Add, to embed
	done  chan struct{}     // closed when the writer has finished
	mu    sync.Mutex
	err   error // the first failure of a stage; later batches are dropped
	// stats and byType are written by the writer alone, and read after done.
	stats  ImportStats
	byType map[Type]int
	// embedBusy is written by the embedder alone, and read after done.
	embedBusy time.Duration
}

// importQueue is how many batches may wait between two stages: one keeps
// every stage busy without holding more than a few batches in memory.
const importQueue = 1

// BeginImport starts a streaming import of history. Call Add with batches
// of up to ImportBatch resolutions, then Close.
func (s *Service) BeginImport(ctx context.Context, opt ImportOptions) (*HistoryImport, error) {
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	h := &HistoryImport{s: s, opt: opt, start: time.Now(), byType: map[Type]int{},
		toEmb: make(chan []Resolution, importQueue), done: make(chan struct{})}
	if bl, ok := s.store.(HistoryLoader); ok {
		load, err := bl.BeginHistoryLoad(ctx, HistoryLoadPlan{Embedder: s.embedder.Name(), Dims: s.embedder.Dims(), Rows: opt.Rows})
		if err != nil {
			return nil, err
		}
		h.load = load
	} else {
		h.load = batchLoad{s.store}
	}
	toWrite := make(chan []Resolution, importQueue)
	go h.embedStage(ctx, toWrite)
	go h.writeStage(ctx, toWrite)
	return h, nil
}

// Add hands rs to the import and returns once the embedder has taken the
// batch before it, so the caller can decode the next one meanwhile. rs
// belongs to the import from then on. A failure of an earlier batch is
// returned here, and by Close.
func (h *HistoryImport) Add(ctx context.Context, rs []Resolution) error {
	if err := h.failed(); err != nil {
		return err
	}
	select {
	case h.toEmb <- rs:
		return nil
	case <-ctx.Done():
		h.fail(ctx.Err())
		return ctx.Err()
	}
}

// fail records the first failure.
func (h *HistoryImport) fail(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err == nil {
		h.err = err
	}
}

// failed returns the first failure, if any.
func (h *HistoryImport) failed() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err
}

// embedStage embeds each batch and passes it on; after a failure it only
// drains, so Add never blocks for ever.
func (h *HistoryImport) embedStage(ctx context.Context, out chan<- []Resolution) {
	defer close(out)
	for rs := range h.toEmb {
		if h.failed() != nil {
			continue
		}
		t := time.Now()
		err := h.embed(ctx, rs)
		h.embedBusy += time.Since(t)
		if err != nil {
			h.fail(err)
			continue
		}
		out <- rs
	}
}

// writeStage stores each embedded batch and counts what was new.
func (h *HistoryImport) writeStage(ctx context.Context, in <-chan []Resolution) {
	defer close(h.done)
	for rs := range in {
		if h.failed() != nil {
			continue
		}
		t := time.Now()
		n, err := h.load.Add(ctx, rs)
		h.stats.Storing += time.Since(t)
		if err != nil {
			h.fail(err)
			continue
		}
		h.stats.Added += n
		h.stats.Present += len(rs) - n
		for _, r := range rs {
			h.byType[r.Type]++
		}
		if h.opt.Stored != nil {
			h.opt.Stored(len(rs))
		}
	}
}

// embed prepares and embeds rs in place, split among the workers.
func (h *HistoryImport) embed(ctx context.Context, rs []Resolution) error {
	s := h.s
	for i := range rs {
		if err := withCorrections(&rs[i]); err != nil {
			return err
		}
	}
	chunk := (len(rs) + h.opt.Workers - 1) / h.opt.Workers
	var wg sync.WaitGroup
	errs := make([]error, h.opt.Workers)
	for w := 0; w*chunk < len(rs); w++ {
		part := rs[w*chunk : min((w+1)*chunk, len(rs))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			texts := make([]string, len(part))
			for i := range part {
				part[i].MatchText = s.prepare(part[i].Text, part[i].Attributes)
				texts[i] = part[i].MatchText
			}
			vecs, err := s.embedder.Embed(ctx, texts)
			if err != nil {
				errs[w] = Wrap(EUNAVAILABLE, err, "embedder %s failed", s.embedder.Name())
				return
			}
			for i := range part {
				part[i].Vector, part[i].Embedder = vecs[i], s.embedder.Name()
				if part[i].Verdict == "" {
					part[i].Verdict = VerdictImported
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Close waits for the batches in flight, lets the store rebuild what it
// set aside (also after a failure, so the history is never left
// unindexed), and tells the classifier what arrived.
func (h *HistoryImport) Close(ctx context.Context) (ImportStats, error) {
	close(h.toEmb)
	<-h.done
	err := h.failed()
	h.stats.Writing = time.Since(h.start)
	h.stats.Embedding = h.embedBusy
	// Finish even when ctx was cancelled: an interrupted load must not
	// leave the history without its index.
	rep, ferr := h.load.Finish(context.WithoutCancel(ctx))
	h.stats.LoadReport = rep
	h.stats.Finishing = time.Since(h.start) - h.stats.Writing
	if err == nil {
		err = ferr
	}
	if h.stats.Added > 0 {
		// Imported corrections may bring key shapes or names not learned
		// yet, and new cases change what parameters and cause words are
		// learned from.
		h.s.shapes.forget()
		h.s.params.drop(nil)
		h.s.words.drop(nil)
		h.s.priors.drop(nil)
		if !h.opt.KeepClassifier {
			h.s.observe(ctx, h.byType)
		}
	}
	return h.stats, err
}

// ImportHistory embeds and stores historical resolutions in batches. It is
// how the eval harness and the tests build the history; `billtriage load`
// streams through BeginImport instead.
func (s *Service) ImportHistory(ctx context.Context, rs []Resolution) error {
	h, err := s.BeginImport(ctx, ImportOptions{Rows: len(rs)})
	if err != nil {
		return err
	}
	for start := 0; start < len(rs) && err == nil; start += ImportBatch {
		err = h.Add(ctx, rs[start:min(start+ImportBatch, len(rs))])
	}
	// Close reports a failure of any batch, the last ones included.
	_, cerr := h.Close(ctx)
	if err == nil {
		err = cerr
	}
	return err
}

// batchLoad adapts a store without HistoryLoader: every batch goes through
// AddResolutions, which cannot tell new rows from present ones, so all
// count as added.
type batchLoad struct{ store Store }

func (b batchLoad) Add(ctx context.Context, rs []Resolution) (int, error) {
	return len(rs), b.store.AddResolutions(ctx, rs)
}

func (b batchLoad) Finish(context.Context) (LoadReport, error) {
	return LoadReport{IndexNote: "the store keeps its own index"}, nil
}

// observe tells the classifier how many resolutions of each type arrived.
func (s *Service) observe(ctx context.Context, byType map[Type]int) {
	if s.clf == nil {
		return
	}
	for _, t := range Types {
		if byType[t] > 0 {
			s.clf.Observe(ctx, t, byType[t])
		}
	}
}
