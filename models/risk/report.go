package risk

import (
	"fmt"
	"strings"
	"time"
)

// Report says how training went: the slices, the baselines and both
// families on the validation slice, and which family serves and why.
type Report struct {
	Rows      SliceSizes `json:"rows"`
	Periods   Periods    `json:"periods"`
	LateShare float64    `json:"late_share"` // share of late rows in training
	// Prior scores every row with LateShare: the trivial baseline.
	Prior Metrics `json:"prior"`
	// History scores a row with the customer's smoothed past late share,
	// the rule of thumb a model has to beat to be worth having.
	History  Metrics      `json:"history"`
	Logistic FamilyReport `json:"logistic"`
	Forest   FamilyReport `json:"forest"`
	Chosen   Family       `json:"chosen"`
	Reason   string       `json:"reason"`
}

// SliceSizes counts the rows of each time slice.
type SliceSizes struct {
	Train     int `json:"train"`
	Calibrate int `json:"calibrate"`
	Validate  int `json:"validate"`
}

// Periods are the first and last times of each slice.
type Periods struct {
	Train     [2]time.Time `json:"train"`
	Calibrate [2]time.Time `json:"calibrate"`
	Validate  [2]time.Time `json:"validate"`
}

// FamilyReport is one family's result. Calibrate is measured on the slice
// the calibration was fitted on, so only Validate is a fair judgement.
type FamilyReport struct {
	Setting   string  `json:"setting"`
	Calibrate Metrics `json:"calibrate"`
	Validate  Metrics `json:"validate"`
	// Deciles is the reliability table of the validation slice by decile
	// of predicted risk: ECE summarises calibration in one number, the
	// table shows where predictions and outcomes part. Models stored
	// before it was kept have none.
	Deciles []ReliabilityBin `json:"deciles,omitempty"`
}

// String is a short table for the command line and logs.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rows: train %d (%s … %s), calibrate %d (%s … %s), validate %d (%s … %s); late share in training %.3f\n",
		r.Rows.Train, day(r.Periods.Train[0]), day(r.Periods.Train[1]),
		r.Rows.Calibrate, day(r.Periods.Calibrate[0]), day(r.Periods.Calibrate[1]),
		r.Rows.Validate, day(r.Periods.Validate[0]), day(r.Periods.Validate[1]), r.LateShare)
	fmt.Fprintf(&b, "%-16s %6s %6s %6s %7s\n", "validation", "AUC", "Brier", "ECE", "logloss")
	line := func(name string, m Metrics, setting string) {
		fmt.Fprintf(&b, "%-16s %6.3f %6.3f %6.3f %7.3f  %s\n", name, m.AUC, m.Brier, m.ECE, m.LogLoss, setting)
	}
	line("prior", r.Prior, "constant training late share")
	line("history rule", r.History, "customer's smoothed past late share")
	line(string(Logistic), r.Logistic.Validate, r.Logistic.Setting)
	line(string(Forest), r.Forest.Validate, r.Forest.Setting)
	fmt.Fprintf(&b, "serving: %s: %s\n", r.Chosen, r.Reason)
	served := r.Logistic
	if r.Chosen == Forest {
		served = r.Forest
	}
	if len(served.Deciles) > 0 {
		fmt.Fprintf(&b, "%s on the validation slice by decile of predicted risk:\n", r.Chosen)
		fmt.Fprintf(&b, "%-6s %-15s %5s %5s %9s %8s\n", "decile", "predicted range", "n", "late", "predicted", "observed")
		for k, d := range served.Deciles {
			fmt.Fprintf(&b, "%-6d %.3f – %.3f %5d %5d %9.3f %8.3f\n", k+1, d.Lo, d.Hi, d.N, d.Positives, d.Predicted, d.Observed)
		}
	}
	return b.String()
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
