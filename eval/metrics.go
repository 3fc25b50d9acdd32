package eval

// Metrics is metrics.json. Its keys are stable (see the package
// documentation); a value that is undefined on the data (a precision with
// nothing automated, say) is null rather than a made-up number.
type Metrics struct {
	Dataset               DatasetStats           `json:"dataset"`
	RootCause             RootCauseMetrics       `json:"root_cause"`
	Action                ActionMetrics          `json:"action"`
	Queue                 QueueMetrics           `json:"queue"`
	Auto                  AutoMetrics            `json:"auto"`
	RecommendedThresholds map[string]*Threshold  `json:"recommended_thresholds"`
	PerType               map[string]TypeMetrics `json:"per_type"`
	// Enrichment is per corrected field; absent when no label corrects.
	Enrichment map[string]EnrichmentMetrics `json:"enrichment,omitempty"`
	// Params is per parameter name; absent when no label or suggestion
	// has parameters.
	Params map[string]ParamScores `json:"params,omitempty"`
	Risk   *RiskMetrics           `json:"risk,omitempty"`
	// Confidence is how well the suggestions' confidence (what the policy
	// thresholds) predicts being right in root cause, action and every
	// labelled parameter, over all scored cases.
	Confidence *ConfidenceMetrics `json:"confidence,omitempty"`
	// Texts splits the automation figures by whether the data set's truth
	// file marks a text vague; absent without one.
	Texts *TextMetrics `json:"texts,omitempty"`
	Run   RunInfo      `json:"run"`
	// The timings come last, so that everything before "latency_ms" is
	// the deterministic part of the file.
	LatencyMS      LatencyMS `json:"latency_ms"`
	ThroughputPerS float64   `json:"throughput_per_s"`
}

// DatasetStats describes the split.
type DatasetStats struct {
	History  int                  `json:"history"`
	Test     int                  `json:"test"`
	Labelled int                  `json:"labelled"`
	Types    map[string]TypeCount `json:"types"`
	SplitAt  string               `json:"split_at"`
	Problems int                  `json:"problems"`
}

// TypeCount is the split of one type.
type TypeCount struct {
	History  int `json:"history"`
	Test     int `json:"test"`
	Labelled int `json:"labelled"`
}

// RootCauseMetrics scores the suggested root cause.
type RootCauseMetrics struct {
	Accuracy *float64 `json:"accuracy"`
	MacroF1  *float64 `json:"macro_f1"`
	Classes  int      `json:"classes"`
}

// ActionMetrics scores the suggested action.
type ActionMetrics struct {
	Top1Accuracy *float64 `json:"top1_accuracy"`
	Top3Accuracy *float64 `json:"top3_accuracy"`
}

// QueueMetrics scores the assigned queue on the cases whose label names one.
type QueueMetrics struct {
	Accuracy     *float64 `json:"accuracy"`
	Scored       int      `json:"scored"`
	NoLabelQueue int      `json:"no_label_queue"`
}

// AutoMetrics is automatic enrichment under the policy in force.
type AutoMetrics struct {
	AutoShare
	// DeniedActions is, by type and action, each suggested action that
	// no scored case had automated, and why: what a data team would have
	// to allow (or could not) for automation to reach it. Always present
	// in metrics.json ({} when every suggested action was automated);
	// only the overall figures fill it.
	DeniedActions map[string]map[string]DeniedAction `json:"denied_actions"`
}

// ConfidenceMetrics is the calibration of the suggestions' confidence
// against full correctness: ECE over 10 equal-width bins, as the risk
// model's.
type ConfidenceMetrics struct {
	ECE   float64 `json:"ece"`
	Cases int     `json:"cases"`
}

// TextMetrics are the automation figures on vague and on clear texts.
type TextMetrics struct {
	Vague TextShare `json:"vague"`
	Clear TextShare `json:"clear"`
}

// TextShare is what the policy automated of a kind of text: Cases scored,
// Automated, the Coverage that makes and its precisions.
type TextShare struct {
	Cases int `json:"cases"`
	AutoShare
	// MislabelledAutomated counts the automated cases whose label the
	// truth file marks as a sibling's: each counts as an error in the
	// precisions although the suggestion may be the true cause.
	MislabelledAutomated int `json:"mislabelled_automated"`
}

// AutoShare are the automation figures of a set of cases: the Coverage
// automated, and the share of automated cases whose root cause and action
// were right (Precision) or also every parameter the label states
// (FullPrecision: what was applied, not just what was classified).
type AutoShare struct {
	Coverage      *float64 `json:"coverage"`
	Precision     *float64 `json:"precision"`
	FullPrecision *float64 `json:"full_precision"`
	Automated     int      `json:"automated"`
}

// Threshold is a recommended confidence threshold for one type: the
// precision and coverage it gave on the test part and how many automated
// cases (Support) that precision rests on.
type Threshold struct {
	Threshold float64 `json:"threshold"`
	Precision float64 `json:"precision"`
	Coverage  float64 `json:"coverage"`
	Support   int     `json:"support"`
}

// TypeMetrics are the metrics of one exception type.
type TypeMetrics struct {
	Test              int      `json:"test"`
	RootCauseAccuracy *float64 `json:"root_cause_accuracy"`
	RootCauseMacroF1  *float64 `json:"root_cause_macro_f1"`
	AutoCoverage      *float64 `json:"auto_coverage"`
	AutoPrecision     *float64 `json:"auto_precision"`
	AutoFullPrecision *float64 `json:"auto_full_precision"`
	PolicyThreshold   float64  `json:"policy_threshold"`
	// Automatable is the share the policy would automate at a threshold
	// of 0: the ceiling of coverage, set by every rule but the threshold.
	Automatable *float64 `json:"automatable"`
}

// RiskMetrics scores the risk model on the test period's invoices.
type RiskMetrics struct {
	Model     string   `json:"model"`
	Invoices  int      `json:"invoices"`
	Positives int      `json:"positives"`
	AUC       *float64 `json:"auc"`
	Brier     float64  `json:"brier"`
	ECE       float64  `json:"ece"`
}

// RunInfo names what was measured.
type RunInfo struct {
	PolicyVersion string `json:"policy_version"`
	Embedder      string `json:"embedder"`
	// Model is the model version of the last decision: models that learn
	// from resolutions change version during a replay with feedback.
	Model           string  `json:"model"`
	Feedback        bool    `json:"feedback"`
	TargetPrecision float64 `json:"target_precision"`
	MinSupport      int     `json:"min_support"`
	// PolicyMismatches counts cases where the harness's reading of the
	// policy disagrees with the service's decision; it should be 0, and
	// the recommended thresholds are only trustworthy when it is.
	PolicyMismatches int `json:"policy_mismatches"`
	// Resolutions counts how the labels were fed back (all 0 without
	// feedback).
	Resolutions ResolutionCounts `json:"resolutions"`
}

// ResolutionCounts are the labels the replay fed back, by how: accepted
// (root cause, action and every labelled parameter right), edited_params
// (root cause and action right, recorded as an edit with the label's
// parameters), edited (edited to the label's root cause and action), and
// refused by the service. Labels resolved after the last test case never
// come due and are in none of them.
type ResolutionCounts struct {
	Accepted     int `json:"accepted"`
	EditedParams int `json:"edited_params"`
	Edited       int `json:"edited"`
	Refused      int `json:"refused"`
}

// LatencyMS is the distribution of one Submit call, in milliseconds.
type LatencyMS struct {
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Mean float64 `json:"mean"`
	Max  float64 `json:"max"`
}
