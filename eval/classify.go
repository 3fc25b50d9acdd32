package eval

import "sort"

// Accuracy is the share of positions where pred equals truth. ok is false
// when there is nothing to score.
func Accuracy(truth, pred []string) (acc float64, ok bool) {
	if len(truth) == 0 {
		return 0, false
	}
	hit := 0
	for i := range truth {
		if truth[i] == pred[i] {
			hit++
		}
	}
	return float64(hit) / float64(len(truth)), true
}

// MacroF1 is the unweighted mean of the per-class F1 over the classes that
// occur in truth. A predicted class that never occurs in truth is not
// averaged but still costs the true class its recall, so a suggestion
// outside the label set (or none at all) is an error without inflating the
// class count. A class never predicted has precision 0 and F1 0.
func MacroF1(truth, pred []string) (f1 float64, ok bool) {
	if len(truth) == 0 {
		return 0, false
	}
	tp, fp, fn := map[string]int{}, map[string]int{}, map[string]int{}
	for i := range truth {
		if truth[i] == pred[i] {
			tp[truth[i]]++
			continue
		}
		fn[truth[i]]++
		fp[pred[i]]++
	}
	classes := Classes(truth)
	sum := 0.0
	for _, c := range classes {
		sum += classF1(tp[c], fp[c], fn[c])
	}
	return sum / float64(len(classes)), true
}

func classF1(tp, fp, fn int) float64 {
	if tp == 0 {
		return 0
	}
	p := float64(tp) / float64(tp+fp)
	r := float64(tp) / float64(tp+fn)
	return 2 * p * r / (p + r)
}

// Classes returns the distinct values of labels, sorted.
func Classes(labels []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range labels {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}
