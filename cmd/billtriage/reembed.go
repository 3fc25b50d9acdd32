package main

import (
	"context"
	"fmt"
)

func runReembed(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	fs := newFlags("reembed", std)
	cfg.bind(fs, getenv)
	batch := fs.Int("batch", 500, "resolutions per batch")
	background := fs.Bool("background", false, "queue the re-embedding as a job the serving replicas run (resumable), and print how many resolutions are left")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, cfg.logger(std.Err))
	if err != nil {
		return err
	}
	defer a.Close()
	if *background {
		// The serving replicas do it as a job; this only asks and reports.
		if err := a.store.EnqueueReembed(ctx, a.emb.Name()); err != nil {
			return err
		}
		left, err := a.store.NotEmbeddedBy(ctx, a.emb.Name())
		if err != nil {
			return err
		}
		fmt.Fprintf(std.Out, "re-embedding with %s queued; %d resolutions to move (run again to see progress)\n", a.emb.Name(), left)
		return nil
	}
	left, err := a.store.NotEmbeddedBy(ctx, a.emb.Name())
	if err != nil {
		return err
	}
	// Nothing to move draws no bar: an empty one would only print a line.
	bar := newProgress(std.Err, left == 0, int64(left), "re-embedding", "resolutions")
	moved, err := a.store.Reembed(ctx, a.emb, *batch, func(n int) {
		if bar.Active() {
			bar.Set(int64(n))
			return
		}
		// Off a terminal (a log, a pipe): a line per batch, as before.
		fmt.Fprintf(std.Err, "re-embedded %d\n", n)
	})
	bar.Done()
	if err != nil {
		return err
	}
	name := a.emb.Name()
	fmt.Fprintf(std.Out, "re-embedded %d resolutions with %s\n", moved, name)
	return nil
}
