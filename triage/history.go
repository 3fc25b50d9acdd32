package triage

import "context"

// ImportBatch is how many resolutions are embedded and stored together.
const ImportBatch = 500

// ImportHistory embeds and stores historical resolutions in batches. It is
// how `billtriage load` and the eval harness build the history.
func (s *Service) ImportHistory(ctx context.Context, rs []Resolution) error {
	for start := 0; start < len(rs); start += ImportBatch {
		batch := rs[start:min(start+ImportBatch, len(rs))]
		texts := make([]string, len(batch))
		for i := range batch {
			texts[i] = batch[i].Text
		}
		vecs, err := s.embedder.Embed(ctx, texts)
		if err != nil {
			return Wrap(EUNAVAILABLE, err, "embedder %s failed", s.embedder.Name())
		}
		for i := range batch {
			batch[i].Vector, batch[i].Embedder = vecs[i], s.embedder.Name()
			if batch[i].Verdict == "" {
				batch[i].Verdict = VerdictImported
			}
		}
		if err := s.store.AddResolutions(ctx, batch); err != nil {
			return err
		}
	}
	return nil
}
