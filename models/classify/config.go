package classify

import "fmt"

// Config controls training. The zero value of each field means its
// default, so Config{} trains the default model.
type Config struct {
	// Features says how texts become vectors.
	Features FeatureConfig
	// Epochs is the number of passes over the data (default 10). It is
	// fixed, not decided by early stopping, so that training is
	// deterministic and its cost predictable.
	Epochs int
	// L2 is the regularisation strength λ of the mean loss
	// (1/n)Σ loss + (λ/2)‖W‖² (default 1e-5; scikit-learn's C is 1/(λn)).
	L2 float64
	// LearningRate is the initial SGD step (default 3); it decays linearly
	// to zero over the epochs, which lets the last iterate settle without
	// a tuned schedule.
	LearningRate float64
	// Seed drives the per-epoch shuffles. Same data, config and seed give
	// the same model bytes.
	Seed uint64
	// CalibrationFraction is the trailing share of the examples, in the
	// order given, held out to fit the temperature (default 0.15). Give
	// the examples oldest first so that calibration is measured on the
	// most recent cases, as production will be. Held-out examples of a
	// label the rest lacks are not used, as the final model will know the
	// label; with fewer than 30 usable, the temperature stays 1.
	CalibrationFraction float64
	// SkipCalibration trains on all examples and leaves the temperature
	// at 1.
	SkipCalibration bool
}

// minCalibration is the fewest held-out examples worth fitting a
// temperature on; with fewer, one unlucky case moves T a lot, and T stays
// at 1.
const minCalibration = 30

func (c Config) withDefaults() Config {
	c.Features = c.Features.withDefaults()
	if c.Epochs == 0 {
		c.Epochs = 10
	}
	if c.L2 == 0 {
		c.L2 = 1e-5
	}
	if c.LearningRate == 0 {
		c.LearningRate = 3
	}
	if c.CalibrationFraction == 0 {
		c.CalibrationFraction = 0.15
	}
	return c
}

// validate reports the first field out of range; c has its defaults.
func (c Config) validate() error {
	switch {
	case c.Epochs < 1 || c.Epochs > 1000:
		return fmt.Errorf("%w: Epochs %d not in [1, 1000]", ErrConfig, c.Epochs)
	case !(c.L2 > 0 && c.L2 < 1):
		return fmt.Errorf("%w: L2 %g not in (0, 1)", ErrConfig, c.L2)
	case !(c.LearningRate > 0 && c.LearningRate <= 100):
		return fmt.Errorf("%w: LearningRate %g not in (0, 100]", ErrConfig, c.LearningRate)
	case !(c.CalibrationFraction > 0 && c.CalibrationFraction < 0.5):
		return fmt.Errorf("%w: CalibrationFraction %g not in (0, 0.5)", ErrConfig, c.CalibrationFraction)
	}
	return c.Features.validate()
}
