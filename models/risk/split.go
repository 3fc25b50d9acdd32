package risk

import (
	"fmt"
	"slices"
	"time"
)

// Split holds row positions of the three time slices, each in time order:
// the model learns on Train, is calibrated (and its regularisation chosen)
// on Calibrate, and is judged on Validate, so that every judgement is made
// on invoices issued after those it learned from.
type Split struct {
	Train, Calibrate, Validate []int
}

// TemporalSplit orders rows by time (ties by position) and cuts the first
// trainFrac of them for training and the next calibrateFrac for
// calibration; the rest validate. A cut never falls inside a run of equal
// times, so no slice shares a timestamp with the next one.
func TemporalSplit(times []time.Time, trainFrac, calibrateFrac float64) (Split, error) {
	if !(trainFrac > 0) || !(calibrateFrac > 0) || trainFrac+calibrateFrac >= 1 {
		return Split{}, fmt.Errorf("risk: split fractions %v and %v must be positive and sum to less than 1", trainFrac, calibrateFrac)
	}
	idx := make([]int, len(times))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return times[a].Compare(times[b]) })
	cut1 := cutAfterTies(times, idx, int(trainFrac*float64(len(idx))+0.5))
	cut2 := cutAfterTies(times, idx, max(cut1, int((trainFrac+calibrateFrac)*float64(len(idx))+0.5)))
	return Split{Train: idx[:cut1], Calibrate: idx[cut1:cut2], Validate: idx[cut2:]}, nil
}

// cutAfterTies moves a cut forward past rows with the same time as the row
// before it.
func cutAfterTies(times []time.Time, idx []int, cut int) int {
	for cut > 0 && cut < len(idx) && times[idx[cut]].Equal(times[idx[cut-1]]) {
		cut++
	}
	return cut
}
