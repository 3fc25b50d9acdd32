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

// Patterns returns the latest run and its patterns, largest first, without
// members.
func (s *Service) Patterns(ctx context.Context, p Principal) (PatternRun, []Pattern, error) {
	if err := canReadPatterns(p); err != nil {
		return PatternRun{}, nil, err
	}
	if s.patterns == nil {
		return PatternRun{}, nil, Errorf(EUNAVAILABLE, "no pattern store is configured")
	}
	return s.patterns.LatestPatternRun(ctx)
}

// Pattern returns one pattern of the latest run with the members p may
// see, open ones first; Hidden counts the others.
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
		// History without an exception row was never in a queue anyone
		// works; it is as visible as the pattern.
		if m.ExceptionID == 0 || p.CanSee(m.Queue) {
			pat.Members = append(pat.Members, m)
		} else {
			pat.Hidden++
		}
	}
	return pat, nil
}
