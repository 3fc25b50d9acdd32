package main

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/models/classify"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
	"github.com/billtriage/billtriage/webhook"
)

// replica is one serve process's classifier: a Learner sharing its models
// through the database, with its own job workers and poll, as startJobs
// wires them.
type replica struct {
	store *postgres.Store
	clf   *classify.Learner
}

func startReplica(t *testing.T, db *postgres.DB) replica {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	store := postgres.NewStore(db)
	models := &modelRegistry{store: store}
	// Checks only at Watch's polls (CheckAfter beyond any batch), so after
	// each wave of arrivals both replicas find a retraining due at about
	// the same time: the case the unique job and the worker's own check
	// of the stored model are there for.
	clf := &classify.Learner{Source: historySource{store: store}, Registry: models, CheckAfter: 1 << 20}
	if err := clf.TrainAll(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := store.NewRunner(postgres.RunnerConfig{Connector: &webhook.Sender{}, Retrain: models.retrainer(clf)})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		clf.Watch(ctx, 200*time.Millisecond)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		_ = r.Stop(context.Background())
	})
	return replica{store: store, clf: clf}
}

// resolutions makes n resolutions of typ from the i-th on, of four root
// causes a classifier can tell apart by their words.
func resolutions(t *testing.T, emb triage.Embedder, typ triage.Type, from, n int) []triage.Resolution {
	t.Helper()
	words := [][]string{{"erp", "sync", "timeout"}, {"ledger", "account", "missing"}, {"currency", "rate", "mismatch"}, {"duplicate", "posting", "rejected"}}
	texts := make([]string, n)
	for k := range texts {
		w := words[(from+k)%4]
		texts[k] = fmt.Sprintf("%s %s for invoice %d %s", w[0], w[1], from+k, w[2])
	}
	vecs, err := emb.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]triage.Resolution, n)
	for k := range out {
		out[k] = triage.Resolution{ExternalID: fmt.Sprint("r", from+k), Type: typ, Text: texts[k], RootCause: fmt.Sprint("rc", (from+k)%4),
			Action: "fix", Queue: triage.QueueFinance, Verdict: triage.VerdictImported, OccurredAt: time.Unix(int64(from+k), 0),
			ResolvedAt: time.Unix(int64(from+k), 0), Embedder: emb.Name(), Vector: vecs[k]}
	}
	return out
}

// storedModels returns the trained_on of every stored model of typ, by
// version.
func storedModels(t *testing.T, db *postgres.DB, typ triage.Type) (versions []int64, trainedOn []int) {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `SELECT version, trained_on FROM classifier_models WHERE type = $1 ORDER BY version`, string(typ))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int64
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		versions, trainedOn = append(versions, v), append(trainedOn, n)
	}
	return versions, trainedOn
}

// TestClassifierRetrainedOncePerCluster: two replicas share one history;
// 450 resolutions arrive spread across both, in concurrent batches. The
// type is retrained twice in all (after 200 and 400 new resolutions), not
// once per replica, both replicas serve the new model within seconds, and
// a replica started afterwards loads it without training.
func TestClassifierRetrainedOncePerCluster(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	emb, _ := embeddings.NewLocal(64)
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	typ := triage.ERPPostingFailure
	if err := postgres.NewStore(db).AddResolutions(ctx, resolutions(t, emb, typ, 0, 100)); err != nil {
		t.Fatal(err)
	}
	a := startReplica(t, db)
	b := startReplica(t, db)
	if vs, _ := storedModels(t, db, typ); len(vs) != 1 || a.clf.StoredVersion(typ) != vs[0] || b.clf.StoredVersion(typ) != vs[0] {
		t.Fatalf("after two starts: stored %v, replicas serve %d and %d; want one model both serve",
			vs, a.clf.StoredVersion(typ), b.clf.StoredVersion(typ))
	}
	sent := 100
	for _, n := range []int{200, 200, 50} {
		arrive(t, emb, typ, []replica{a, b}, sent, n)
		sent += n
		if n == 50 {
			time.Sleep(2 * time.Second) // several polls and checks: a wrong retraining would be stored by now
			break
		}
		waitServed(t, db, typ, sent, a, b)
	}
	vs, trainedOn := storedModels(t, db, typ)
	if fmt.Sprint(trainedOn) != "[100 300 500]" {
		t.Fatalf("models stored trained on %v resolutions, want [100 300 500]: the start, then one retraining per 200", trainedOn)
	}
	c := startReplica(t, db)
	if after, _ := storedModels(t, db, typ); len(after) != len(vs) || c.clf.StoredVersion(typ) != vs[2] || c.clf.Version() != a.clf.Version() {
		t.Fatalf("a third replica stored %d models (had %d) and serves version %d, want none stored and version %d",
			len(after)-len(vs), len(vs), c.clf.StoredVersion(typ), vs[2])
	}
}

// arrive adds n resolutions from the from-th on in batches of 10, the
// replicas taking turns concurrently, each telling its own classifier.
func arrive(t *testing.T, emb triage.Embedder, typ triage.Type, rs []replica, from, n int) {
	t.Helper()
	rows := resolutions(t, emb, typ, from, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := i * 10; k < n; k += 10 * len(rs) {
				batch := rows[k:min(k+10, n)]
				if err := r.store.AddResolutions(context.Background(), batch); err != nil {
					errs <- err
					return
				}
				r.clf.Observe(context.Background(), typ, len(batch))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// waitServed waits until the newest stored model was trained on the whole
// history of count resolutions and every replica serves it.
func waitServed(t *testing.T, db *postgres.DB, typ triage.Type, count int, rs ...replica) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		vs, trainedOn := storedModels(t, db, typ)
		latest := vs[len(vs)-1]
		served := true
		for _, r := range rs {
			served = served && r.clf.StoredVersion(typ) == latest && r.clf.Version() == rs[0].clf.Version()
		}
		if trainedOn[len(trainedOn)-1] == count && served {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s: stored models trained on %v, replicas serve versions %d and %d; want all on %d serving %d",
				trainedOn, rs[0].clf.StoredVersion(typ), rs[1].clf.StoredVersion(typ), count, latest)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestLoadStoresTheModelsServeLoads: what `load` does after adding
// history (StoreDue) trains and stores each type's model once, and only
// when due; a replica started afterwards loads it without training.
func TestLoadStoresTheModelsServeLoads(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	emb, _ := embeddings.NewLocal(64)
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	typ := triage.ERPPostingFailure
	store := postgres.NewStore(db)
	if err := store.AddResolutions(ctx, resolutions(t, emb, typ, 0, 100)); err != nil {
		t.Fatal(err)
	}
	load := func() []triage.Type {
		t.Helper()
		clf := &classify.Learner{Source: historySource{store: store}, Registry: &modelRegistry{store: store}}
		trained, err := clf.StoreDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return trained
	}
	if got := load(); fmt.Sprint(got) != fmt.Sprint([]triage.Type{typ}) {
		t.Fatalf("first load trained %v, want [%s]", got, typ)
	}
	if got := load(); len(got) != 0 {
		t.Fatalf("a load with nothing new trained %v", got)
	}
	vs, _ := storedModels(t, db, typ)
	r := startReplica(t, db)
	if after, _ := storedModels(t, db, typ); len(after) != 1 || r.clf.StoredVersion(typ) != vs[0] {
		t.Fatalf("serve after the load: stored %v (was %v), serves %d; want it to load the stored model", after, vs, r.clf.StoredVersion(typ))
	}
	if err := store.AddResolutions(ctx, resolutions(t, emb, typ, 100, 250)); err != nil {
		t.Fatal(err)
	}
	if got := load(); len(got) != 1 {
		t.Fatalf("a load of 250 more trained %v, want the type retrained", got)
	}
	if _, trainedOn := storedModels(t, db, typ); fmt.Sprint(trainedOn) != "[100 350]" {
		t.Fatalf("stored models trained on %v, want [100 350]", trainedOn)
	}
}
