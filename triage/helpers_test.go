package triage_test

import (
	"time"

	"github.com/billtriage/billtriage/triage"
)

func timeNow() time.Time  { return time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC) }
func zeroTime() time.Time { return time.Time{} }

// admin is the principal the tests act as: it works every queue.
var admin = triage.Principal{KeyID: 1, Name: "ana", Role: triage.RoleAdmin}
