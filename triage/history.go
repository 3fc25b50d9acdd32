package triage

import "context"

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
const ImportBatch = 500

// ImportHistory embeds and stores historical resolutions in batches. It is
// how `billtriage load` and the eval harness build the history.
func (s *Service) ImportHistory(ctx context.Context, rs []Resolution) error {
	for start := 0; start < len(rs); start += ImportBatch {
		batch := rs[start:min(start+ImportBatch, len(rs))]
		texts := make([]string, len(batch))
		for i := range batch {
			batch[i].MatchText = s.prepare(batch[i].Text, batch[i].Attributes)
			texts[i] = batch[i].MatchText
		}
		vecs, err := s.embedder.Embed(ctx, texts)
		if err != nil {
			return Wrap(EUNAVAILABLE, err, "embedder %s failed", s.embedder.Name())
		}
		for i := range batch {
			if err := withCorrections(&batch[i]); err != nil {
				return err
			}
			batch[i].Vector, batch[i].Embedder = vecs[i], s.embedder.Name()
			if batch[i].Verdict == "" {
				batch[i].Verdict = VerdictImported
			}
		}
		if err := s.store.AddResolutions(ctx, batch); err != nil {
			return err
		}
	}
	// Imported corrections may bring key shapes or names not learned yet.
	s.shapes.forget()
	s.params.drop(nil)
	s.words.drop(nil)
	s.observe(ctx, rs)
	return nil
}

// observe tells the classifier how many resolutions of each type arrived.
func (s *Service) observe(ctx context.Context, rs []Resolution) {
	if s.clf == nil {
		return
	}
	byType := map[Type]int{}
	for _, r := range rs {
		byType[r.Type]++
	}
	for _, t := range Types {
		if byType[t] > 0 {
			s.clf.Observe(ctx, t, byType[t])
		}
	}
}
