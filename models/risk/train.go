package risk

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/billtriage/billtriage/features"
)

// Config controls training. Zero fields take the defaults noted.
type Config struct {
	// Features are the options the rows were built with; they are stored
	// with the model so that scoring builds rows the same way.
	Features features.Options
	// TrainFrac and CalibrateFrac cut the rows by time: the oldest 60%
	// train, the next 20% calibrate and the newest 20% validate.
	TrainFrac, CalibrateFrac float64
	// Lambdas are the L2 strengths tried for the logistic family; the one
	// with the lowest log loss on the newest quarter of the training slice
	// is kept (see trainLogistic). Default 0.01, 0.1, 1, 10, 100.
	Lambdas []float64
	// Forest sizes the golearn forest.
	Forest ForestConfig
	// Calibration is Platt (default) or Isotonic.
	Calibration string
	// Family, when set, is the family that serves whatever the validation
	// says: both are still trained and reported. Empty serves the family
	// with the lower validation log loss. Benchmarks use it to time a
	// family that would not win on their data.
	Family Family
	// Seed drives the forest's sampling; the same data and seed give the
	// same model, byte for byte.
	Seed uint64
	// Progress, when set, is called after each fit (every logistic
	// setting tried, the refit, every tree) with how many are done of how
	// many, for a progress bar. Trees grow in parallel, so it is called
	// from several goroutines, one call at a time. It does not change the
	// model.
	Progress func(done, total int)

	// tick counts one fit towards Progress; Train sets it.
	tick func()
}

func (c Config) withDefaults() Config {
	if c.TrainFrac == 0 && c.CalibrateFrac == 0 {
		c.TrainFrac, c.CalibrateFrac = 0.6, 0.2
	}
	if len(c.Lambdas) == 0 {
		c.Lambdas = []float64{0.01, 0.1, 1, 10, 100}
	}
	if c.Calibration == "" {
		c.Calibration = Platt
	}
	c.Forest = c.Forest.withDefaults()
	return c
}

// minSliceRows is the fewest rows, and minClassRows the fewest of each
// class, a slice may have: fewer make AUC and calibration meaningless.
const (
	minSliceRows = 20
	minClassRows = 3
)

// Train fits both families on the oldest rows, calibrates each on the next
// slice, measures both on the newest, and returns the family with the
// lower validation log loss (logistic on a tie, being simpler to explain),
// or cfg.Family when set. Log loss, not AUC, decides because the service
// shows and gates on the probability itself: a family that ranks a little
// better but is worse calibrated would serve worse numbers.
// rows are features rows (features.Names() columns), labels say which
// invoices were late, and times say when each row was scored, normally
// the invoice's issue date. The model is fitted on the training slice only,
// so the report describes exactly the model that serves.
func Train(rows [][]float64, labels []bool, times []time.Time, cfg Config) (*Model, Report, error) {
	cfg = cfg.withDefaults()
	if cfg.Family != "" && cfg.Family != Logistic && cfg.Family != Forest {
		return nil, Report{}, fmt.Errorf("risk: unknown family %q (want %s or %s)", cfg.Family, Logistic, Forest)
	}
	if err := checkInput(rows, labels, times); err != nil {
		return nil, Report{}, err
	}
	sp, err := TemporalSplit(times, cfg.TrainFrac, cfg.CalibrateFrac)
	if err != nil {
		return nil, Report{}, err
	}
	if err := checkSlices(sp, labels); err != nil {
		return nil, Report{}, err
	}
	cfg.tick = steps(cfg.Progress, len(candidateOffs())*len(cfg.Lambdas)+1+cfg.Forest.Trees)
	lr, lrRep, err := trainLogistic(rows, labels, sp, cfg)
	if err != nil {
		return nil, Report{}, err
	}
	fo, foRep, err := trainForest(rows, labels, sp, cfg)
	if err != nil {
		return nil, Report{}, err
	}
	rep := baseReport(rows, labels, times, sp)
	rep.Logistic, rep.Forest = lrRep.FamilyReport, foRep.FamilyReport
	w := wire{Format: Format, FeatureHash: features.FeatureHash(), Features: features.Names(),
		LateDays: cfg.Features.LateDays, FX: cfg.Features.FX}
	lrLoss, foLoss := lrRep.Validate.LogLoss, foRep.Validate.LogLoss
	switch {
	case cfg.Family == Forest || cfg.Family == "" && foLoss < lrLoss:
		w.Family, w.Forest, w.Calibration = Forest, fo, foRep.cal
		rep.Reason = fmt.Sprintf("validation log loss %.4f beats the logistic %.4f (AUC %.3f against %.3f)",
			foLoss, lrLoss, foRep.Validate.AUC, lrRep.Validate.AUC)
	default:
		w.Family, w.Logistic, w.Calibration = Logistic, lr, lrRep.cal
		rep.Reason = fmt.Sprintf("validation log loss %.4f is at most the forest's %.4f (AUC %.3f against %.3f)",
			lrLoss, foLoss, lrRep.Validate.AUC, foRep.Validate.AUC)
	}
	if cfg.Family != "" {
		rep.Reason = fmt.Sprintf("configured to serve %s; logistic validation log loss %.4f (AUC %.3f), forest %.4f (AUC %.3f)",
			cfg.Family, lrLoss, lrRep.Validate.AUC, foLoss, foRep.Validate.AUC)
	}
	rep.Chosen = w.Family
	w.Report = rep
	if w.Version, err = w.version(); err != nil {
		return nil, Report{}, err
	}
	return &Model{w: w}, rep, nil
}

// steps returns the tick that reports one more of total fits done to
// progress. Ticks are serialised, since the forest's workers tick at once.
func steps(progress func(done, total int), total int) func() {
	if progress == nil {
		return nil
	}
	var mu sync.Mutex
	done := 0
	return func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		progress(done, total)
	}
}

// step counts one fit done, when progress is being reported.
func (c Config) step() {
	if c.tick != nil {
		c.tick()
	}
}

func checkInput(rows [][]float64, labels []bool, times []time.Time) error {
	if len(rows) != len(labels) || len(rows) != len(times) {
		return fmt.Errorf("risk: %d rows, %d labels and %d times", len(rows), len(labels), len(times))
	}
	for i, row := range rows {
		if len(row) != features.NumFeatures {
			return fmt.Errorf("risk: row %d has %d columns, want %d (features.Names())", i, len(row), features.NumFeatures)
		}
		if slices.ContainsFunc(row, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }) {
			return fmt.Errorf("risk: row %d has a value that is not finite", i)
		}
	}
	return nil
}

func checkSlices(sp Split, labels []bool) error {
	for _, s := range []struct {
		name string
		idx  []int
	}{{"training", sp.Train}, {"calibration", sp.Calibrate}, {"validation", sp.Validate}} {
		pos := 0
		for _, i := range s.idx {
			if labels[i] {
				pos++
			}
		}
		if len(s.idx) < minSliceRows || pos < minClassRows || len(s.idx)-pos < minClassRows {
			return fmt.Errorf("risk: the %s slice has %d rows, %d late: need %d rows and %d of each outcome",
				s.name, len(s.idx), pos, minSliceRows, minClassRows)
		}
	}
	return nil
}
