package triage

import (
	"context"
	"sync/atomic"
)

// The policy, risk-model and classifier shadows are each held in an
// atomic slot that every replica refreshes from the store and that a
// promotion or discard clears; these two functions are that slot's
// handling, once for the three kinds.

// loadRunning stores in slot the shadow read returns, or nil when it
// reports none running (ENOTFOUND).
func loadRunning[T any](ctx context.Context, slot *atomic.Pointer[T], read func(context.Context) (T, error)) error {
	sh, err := read(ctx)
	switch ErrorCode(err) {
	case "":
		slot.Store(&sh)
		return nil
	case ENOTFOUND:
		slot.Store(nil)
		return nil
	}
	return err
}

// clearRunning empties slot if it still holds the shadow with this id; a
// newer shadow another caller stored meanwhile stays.
func clearRunning[T any](slot *atomic.Pointer[T], id int64, idOf func(*T) int64) {
	if cur := slot.Load(); cur != nil && idOf(cur) == id {
		slot.CompareAndSwap(cur, nil)
	}
}
