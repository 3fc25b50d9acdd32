package classify

import "errors"

// Errors that Train, TrainFrom and UnmarshalBinary wrap; test with
// errors.Is.
var (
	// ErrConfig reports a Config or FeatureConfig field out of range.
	ErrConfig = errors.New("classify: invalid config")
	// ErrData reports training data a model cannot be learnt from: no
	// examples, mismatched lengths, an empty label, or a single class.
	ErrData = errors.New("classify: invalid training data")
	// ErrFormat reports bytes that are not a model this version can read.
	ErrFormat = errors.New("classify: invalid model encoding")
)
