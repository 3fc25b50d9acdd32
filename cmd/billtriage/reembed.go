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
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, cfg.logger(std.Err))
	if err != nil {
		return err
	}
	defer a.Close()
	name := a.emb.Name()
	moved := 0
	// Batches move in id order; a run that stops half-way resumes where it
	// stopped, and until it finishes the service only matches against the
	// rows already moved, never mixing embedders.
	for after := int64(0); ; {
		b, err := a.store.ResolutionsNotEmbeddedBy(ctx, name, after, *batch)
		if err != nil {
			return err
		}
		if len(b.IDs) == 0 {
			break
		}
		vecs, err := a.emb.Embed(ctx, b.Texts)
		if err != nil {
			return err
		}
		if err := a.store.SetVectors(ctx, name, b.IDs, vecs); err != nil {
			return err
		}
		moved += len(b.IDs)
		after = b.IDs[len(b.IDs)-1]
	}
	fmt.Fprintf(std.Out, "re-embedded %d resolutions with %s\n", moved, name)
	return nil
}
