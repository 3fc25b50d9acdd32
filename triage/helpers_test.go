package triage_test

import "time"

func timeNow() time.Time  { return time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC) }
func zeroTime() time.Time { return time.Time{} }
