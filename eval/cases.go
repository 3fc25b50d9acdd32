package eval

import (
	"bytes"
	"encoding/json"
)

// CasesJSONL lists every replayed case, one JSON object a line, so a team
// can read the individual mistakes behind a metric and diff two runs case
// by case.
const CasesJSONL = "cases.jsonl"

// caseLine is one line of cases.jsonl. Latency is left out so the file is
// the same in every run on the same input.
type caseLine struct {
	Line           int      `json:"line"`
	ID             string   `json:"id"`
	Type           string   `json:"type"`
	Labelled       bool     `json:"labelled"`
	LabelRootCause string   `json:"label_root_cause,omitempty"`
	LabelAction    string   `json:"label_action,omitempty"`
	LabelQueue     string   `json:"label_queue,omitempty"`
	RootCause      string   `json:"root_cause"`
	Action         string   `json:"action"`
	Actions        []string `json:"top_actions"`
	Confidence     float64  `json:"confidence"`
	TopSimilarity  float64  `json:"top_similarity"`
	Auto           bool     `json:"auto"`
	Queue          string   `json:"queue"`
	Eligible       bool     `json:"eligible"`
	// Corrections are the label's and the applied field corrections.
	Corrections []FieldCorrection `json:"corrections,omitempty"`
	// Params are the label's and the suggested parameters, compared.
	Params []ParamCheck `json:"params,omitempty"`
	// Informativeness is how much the text said about the cause, when
	// measured.
	Informativeness *float64 `json:"informativeness,omitempty"`
	// Reasons are the decision's reasons, so a held case says why.
	Reasons []string `json:"reasons,omitempty"`
}

func casesJSONL(cases []Case) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, c := range cases {
		// Strings, numbers, bools and parameter values read from JSON
		// always encode.
		_ = enc.Encode(caseLine{Line: c.Line, ID: c.ID, Type: c.Type, Labelled: c.Labelled, LabelRootCause: c.LabelRootCause,
			LabelAction: c.LabelAction, LabelQueue: c.LabelQueue, RootCause: c.RootCause, Action: c.Action, Actions: c.Actions,
			Confidence: c.Confidence, TopSimilarity: c.TopSimilarity, Auto: c.Auto, Queue: c.Queue, Eligible: c.Eligible,
			Corrections: c.Corrections, Params: c.Params, Informativeness: c.Informativeness, Reasons: c.Reasons})
	}
	return b.Bytes()
}
