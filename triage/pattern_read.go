package triage

import (
	"context"
	"regexp"
)

// canReadPatterns: patterns span every queue, so a role that works or
// reads a queue may see them (their members are then filtered by queue);
// an integration reads nothing.
func canReadPatterns(p Principal) error {
	return Authorize(len(p.Queues()) > 0, p, "read patterns")
}

// validPatternID is the shape of the ids FindPatterns gives; anything
// else is refused before the store is asked.
var validPatternID = regexp.MustCompile(`^[a-z0-9]{1,32}$`)

// PatternQuery filters the patterns listed; the zero value lists the
// DefaultPatternPage largest of every type.
type PatternQuery struct {
	Type  Type
	Limit int
	// Spiking keeps the patterns with a spike.
	Spiking bool
}

// DefaultPatternPage and MaxPatternPage bound a list of patterns.
const (
	DefaultPatternPage = 100
	MaxPatternPage     = 500
)

// Validate checks the query and names the bad field.
func (q PatternQuery) Validate() error {
	if q.Type != "" && !q.Type.Valid() {
		return Invalid("type", "unknown type %q (want one of %s)", q.Type, joinTypes())
	}
	if q.Limit < 0 || q.Limit > MaxPatternPage {
		return Invalid("limit", "must be an integer from 1 to %d", MaxPatternPage)
	}
	return nil
}

// Patterns returns the latest run and its patterns that q keeps, largest
// first, without members. Before the first run it returns ENOTFOUND.
func (s *Service) Patterns(ctx context.Context, p Principal, q PatternQuery) (PatternRun, []Pattern, error) {
	if err := canReadPatterns(p); err != nil {
		return PatternRun{}, nil, err
	}
	if err := q.Validate(); err != nil {
		return PatternRun{}, nil, err
	}
	if s.patterns == nil {
		return PatternRun{}, nil, Errorf(EUNAVAILABLE, "no pattern store is configured")
	}
	run, ps, err := s.patterns.LatestPatternRun(ctx)
	if err != nil {
		return run, nil, err
	}
	limit := q.Limit
	if limit == 0 {
		limit = DefaultPatternPage
	}
	out := []Pattern{}
	for _, pat := range ps {
		if (q.Type == "" || pat.Type == q.Type) && (!q.Spiking || pat.Spike != nil) && len(out) < limit {
			out = append(out, pat)
		}
	}
	return run, out, nil
}

// Pattern returns one pattern of the latest run with the members p may
// see (those of the queues p reads), open ones first; Hidden counts the
// others.
func (s *Service) Pattern(ctx context.Context, p Principal, id string) (Pattern, error) {
	if err := canReadPatterns(p); err != nil {
		return Pattern{}, err
	}
	if !validPatternID.MatchString(id) {
		return Pattern{}, Invalid("id", "must be a pattern id: 1 to 32 lower-case letters and digits")
	}
	if s.patterns == nil {
		return Pattern{}, Errorf(EUNAVAILABLE, "no pattern store is configured")
	}
	run, _, err := s.patterns.LatestPatternRun(ctx)
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Pattern{}, Errorf(ENOTFOUND, "pattern %s not found: patterns have not been detected yet", id)
		}
		return Pattern{}, err
	}
	pat, members, err := s.patterns.PatternMembers(ctx, run.ID, id)
	if err != nil {
		return Pattern{}, err
	}
	for _, m := range members {
		// A member is the team's whose queue it is in or was resolved
		// in, history included; one in no queue is for those who read
		// every queue.
		if p.CanSee(m.Queue) {
			pat.Members = append(pat.Members, m)
		} else {
			pat.Hidden++
		}
	}
	return pat, nil
}
