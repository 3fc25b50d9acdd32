package triage

import (
	"context"
	"time"
)

// Stats are the KPIs team leads watch, over exceptions received since Since.
type Stats struct {
	Since time.Time `json:"since"`
	// Volume counts exceptions received per day and type.
	Volume   []VolumePoint `json:"volume"`
	Received int           `json:"received"`
	Decided  int           `json:"decided"`
	Auto     int           `json:"auto"`
	Resolved int           `json:"resolved"`
	Rejected int           `json:"rejected"`
	// AutoRate is Auto / Decided.
	AutoRate float64 `json:"auto_rate"`
	// ManualTouchRate is the share of decided exceptions a person acted on
	// (resolved, rejected or reassigned).
	ManualTouchRate float64 `json:"manual_touch_rate"`
	// Time from receipt to a person's resolution.
	ResolutionMedian time.Duration `json:"resolution_median_ns"`
	ResolutionP90    time.Duration `json:"resolution_p90_ns"`
	Queues           []QueueStat   `json:"queues"`
	// DisputeShare and ERPFailureShare are shares of Received.
	DisputeShare    float64 `json:"dispute_share"`
	ERPFailureShare float64 `json:"erp_failure_share"`
	// Undecided counts exceptions accepted but not decided yet, whenever
	// received, with the age of the oldest: a crash or outage leaves them,
	// and the sweep should bring the count back to near zero.
	Undecided       int           `json:"undecided"`
	UndecidedOldest time.Duration `json:"undecided_oldest_ns"`
	// PostingsFailed of PostingsTotal ERP postings reported since Since
	// failed, by each posting's latest outcome: the failed-posting rate
	// on real outcomes, which ERPFailureShare (a share of exceptions)
	// cannot give, since a success raises no exception.
	PostingsFailed int `json:"postings_failed"`
	PostingsTotal  int `json:"postings_total"`
}

// VolumePoint is the number of exceptions of one type received on one day.
type VolumePoint struct {
	Day   time.Time `json:"day"`
	Type  Type      `json:"type"`
	Count int       `json:"count"`
}

// QueueStat is the size of a queue and the age of its oldest item.
type QueueStat struct {
	Queue     Queue         `json:"queue"`
	Size      int           `json:"size"`
	OldestAge time.Duration `json:"oldest_age_ns"`
}

// StatsStore computes KPIs.
type StatsStore interface {
	Stats(ctx context.Context, since time.Time) (Stats, error)
}
