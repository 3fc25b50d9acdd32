package triage

import (
	"fmt"
	"sort"
	"time"
)

// Preview limits, documented in the README (Policy: governed change).
const (
	// DefaultPreviewWindow is how far back a preview replays by default.
	DefaultPreviewWindow = 30 * 24 * time.Hour
	// MaxPreviewWindow is the longest window a preview may replay.
	MaxPreviewWindow = 90 * 24 * time.Hour
	// MaxPreviewItems is the most decisions one preview replays; a busier
	// window must be narrowed.
	MaxPreviewItems = 100_000
	// MaxPreviewChanges is how many changed items a preview lists (all
	// are counted).
	MaxPreviewChanges = 1000
	// DefaultPreviewMaxAge is how old a preview may be when its policy is
	// activated or shadowed.
	DefaultPreviewMaxAge = 24 * time.Hour
)

// Preview is a candidate policy replayed on the decisions of a window,
// beside the policy in force, as it was shown: activation of the
// candidate names it.
type Preview struct {
	ID            int64         `json:"id"`
	Version       string        `json:"version"`
	ActiveVersion string        `json:"active_version"`
	Policy        *Policy       `json:"policy"`
	Since         string        `json:"since"`
	From          time.Time     `json:"from"`
	To            time.Time     `json:"to"`
	CreatedBy     string        `json:"created_by"`
	CreatedAt     time.Time     `json:"created_at"`
	Result        PreviewResult `json:"result"`
}

// PreviewResult is what a preview found.
type PreviewResult struct {
	// Items is how many decisions were replayed.
	Items int `json:"items"`
	// Types has one row per exception type seen, and Total all of them.
	Types []PreviewType `json:"types"`
	Total PreviewType   `json:"total"`
	// Changes are the items whose outcome or queue changes, at most
	// MaxPreviewChanges of ChangesTotal.
	Changes      []PreviewChange `json:"changes"`
	ChangesTotal int             `json:"changes_total"`
	// MoneyMovingActions are the money-moving actions among the changes.
	MoneyMovingActions []string `json:"money_moving_actions"`
	// Diff is the candidate against the policy in force; NotReplayed the
	// changed settings the replay keeps as they were (see Replay).
	Diff        []DiffEntry `json:"diff"`
	NotReplayed []string    `json:"not_replayed"`
}

// PreviewType compares the policy in force (before) with the candidate
// (after) on one type's items. Precision is measured on the items people
// have since judged (resolved, rejected or reverted) among those each
// policy automates; nil when none.
type PreviewType struct {
	Type            Type     `json:"type"`
	Items           int      `json:"items"`
	AutoBefore      int      `json:"auto_before"`
	AutoAfter       int      `json:"auto_after"`
	ShareBefore     float64  `json:"automated_share_before"`
	ShareAfter      float64  `json:"automated_share_after"`
	JudgedBefore    int      `json:"judged_before"`
	RightBefore     int      `json:"right_before"`
	PrecisionBefore *float64 `json:"precision_before"`
	JudgedAfter     int      `json:"judged_after"`
	RightAfter      int      `json:"right_after"`
	PrecisionAfter  *float64 `json:"precision_after"`
	Changed         int      `json:"changed"`
	// MoneyMoving counts the changed items whose action moves money.
	MoneyMoving int `json:"money_moving"`
}

// PreviewChange is one item whose outcome or queue the candidate changes.
type PreviewChange struct {
	ExceptionID int64   `json:"exception_id"`
	ExternalID  string  `json:"external_id,omitempty"`
	Source      string  `json:"source,omitempty"`
	Type        Type    `json:"type"`
	RootCause   string  `json:"root_cause,omitempty"`
	Action      string  `json:"action,omitempty"`
	Confidence  float64 `json:"confidence"`
	Before      Outcome `json:"before"`
	After       Outcome `json:"after"`
	QueueBefore Queue   `json:"queue_before,omitempty"`
	QueueAfter  Queue   `json:"queue_after,omitempty"`
	// Judged and Right say what people later decided: whether applying
	// the suggestion would have been right.
	Judged      bool `json:"judged"`
	Right       bool `json:"right"`
	MoneyMoving bool `json:"money_moving"`
	// Link is the item's page in the UI.
	Link string `json:"link"`
}

// previewOf replays items under the policy in force and the candidate.
func previewOf(active, cand *Policy, items []ReplayItem) PreviewResult {
	res := PreviewResult{Items: len(items), Changes: []PreviewChange{}, MoneyMovingActions: []string{},
		Diff: DiffPolicies(active, cand)}
	res.NotReplayed = notReplayedIn(res.Diff)
	byType := map[Type]*PreviewType{}
	money := map[string]bool{}
	for i := range items {
		it := &items[i]
		row := byType[it.Exception.Type]
		if row == nil {
			row = &PreviewType{Type: it.Exception.Type}
			byType[it.Exception.Type] = row
		}
		before, after := Replay(active, &it.Exception, it.Decision), Replay(cand, &it.Exception, it.Decision)
		tallyPreview(row, it, before.Outcome == OutcomeAuto, after.Outcome == OutcomeAuto)
		if before.Outcome == after.Outcome && before.Queue == after.Queue {
			continue
		}
		ch := changeOf(it, before, after, moneyMoving(it.Decision.Action, active, cand))
		row.Changed++
		if ch.MoneyMoving {
			row.MoneyMoving++
			money[ch.Action] = true
		}
		res.ChangesTotal++
		if len(res.Changes) < MaxPreviewChanges {
			res.Changes = append(res.Changes, ch)
		}
	}
	res.Total.Type = "all"
	for _, t := range sortedTypes(byType) {
		row := byType[t]
		finishRow(row)
		res.Types = append(res.Types, *row)
		addRow(&res.Total, row)
	}
	finishRow(&res.Total)
	for a := range money {
		res.MoneyMovingActions = append(res.MoneyMovingActions, a)
	}
	sort.Strings(res.MoneyMovingActions)
	return res
}

func tallyPreview(row *PreviewType, it *ReplayItem, autoBefore, autoAfter bool) {
	row.Items++
	judged, right := it.Judgement.Judged(), it.Judgement.Right(it.Decision.Suggestion)
	if autoBefore {
		row.AutoBefore++
		if judged {
			row.JudgedBefore++
			row.RightBefore += b2i(right)
		}
	}
	if autoAfter {
		row.AutoAfter++
		if judged {
			row.JudgedAfter++
			row.RightAfter += b2i(right)
		}
	}
}

func changeOf(it *ReplayItem, before, after PolicyResult, money bool) PreviewChange {
	ex, d := it.Exception, it.Decision
	return PreviewChange{ExceptionID: ex.ID, ExternalID: ex.ExternalID, Source: ex.Source, Type: ex.Type,
		RootCause: d.RootCause, Action: d.Action, Confidence: d.Confidence,
		Before: before.Outcome, After: after.Outcome, QueueBefore: before.Queue, QueueAfter: after.Queue,
		Judged: it.Judgement.Judged(), Right: it.Judgement.Judged() && it.Judgement.Right(d.Suggestion),
		MoneyMoving: money, Link: fmt.Sprintf("/ui/exceptions/%d", ex.ID)}
}

// moneyMoving reports whether action moves money by either policy's
// list or the built-in one, so a candidate that drops an action from
// human_only_actions is flagged rather than trusted.
func moneyMoving(action string, ps ...*Policy) bool {
	if action == "" {
		return false
	}
	for _, p := range append(ps, builtinPolicy) {
		if p.HumanOnly(action) {
			return true
		}
	}
	return false
}

// builtinPolicy is the default policy, for its money-moving list.
var builtinPolicy = DefaultPolicy()

func addRow(total, row *PreviewType) {
	total.Items += row.Items
	total.AutoBefore += row.AutoBefore
	total.AutoAfter += row.AutoAfter
	total.JudgedBefore += row.JudgedBefore
	total.RightBefore += row.RightBefore
	total.JudgedAfter += row.JudgedAfter
	total.RightAfter += row.RightAfter
	total.Changed += row.Changed
	total.MoneyMoving += row.MoneyMoving
}

func finishRow(row *PreviewType) {
	row.ShareBefore, row.ShareAfter = share(row.AutoBefore, row.Items), share(row.AutoAfter, row.Items)
	row.PrecisionBefore, row.PrecisionAfter = ratioOrNil(row.RightBefore, row.JudgedBefore), ratioOrNil(row.RightAfter, row.JudgedAfter)
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func ratioOrNil(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	v := float64(n) / float64(of)
	return &v
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sortedTypes[V any](m map[Type]V) []Type {
	out := make([]Type, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
