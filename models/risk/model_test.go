package risk_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
)

var synthOpts = features.Options{LateDays: 30, FX: synthFX}

// small keeps the forest cheap where its quality is not the point.
var small = risk.Config{Features: synthOpts, Forest: risk.ForestConfig{Trees: 20}, Seed: 1}

var (
	synthOnce  sync.Once
	synthModel *risk.Model
	synthRep   risk.Report
	synthErr   error
)

// trainedSynth trains once on the synthetic invoices and shares the model
// between tests.
func trainedSynth(t *testing.T) (*risk.Model, risk.Report) {
	t.Helper()
	synthOnce.Do(func() {
		synthModel, synthRep, synthErr = risk.TrainInvoices(synthInvoices(1, 3000), nil, synthAsOf, small)
	})
	if synthErr != nil {
		t.Fatal(synthErr)
	}
	return synthModel, synthRep
}

// TestTrainOnSyntheticInvoices: the truth behind these invoices is known
// to depend on the customer, the dispute, the amount and the region, so
// both families must rank far better than chance and the serving one must
// be the one with the better validation AUC.
func TestTrainOnSyntheticInvoices(t *testing.T) {
	m, rep := trainedSynth(t)
	t.Logf("\n%s", rep)
	if rep.Rows.Train+rep.Rows.Calibrate+rep.Rows.Validate != 3000 {
		t.Errorf("slices hold %+v rows, want 3000 in all", rep.Rows)
	}
	if !rep.Periods.Train[1].Before(rep.Periods.Calibrate[0]) || !rep.Periods.Calibrate[1].Before(rep.Periods.Validate[0]) {
		t.Errorf("slices overlap in time: %+v", rep.Periods)
	}
	// Measured 0.854 (logistic) and about 0.78 (forest, 20 trees).
	if rep.Logistic.Validate.AUC < 0.8 || rep.Forest.Validate.AUC < 0.7 {
		t.Errorf("validation AUC logistic %.3f, forest %.3f", rep.Logistic.Validate.AUC, rep.Forest.Validate.AUC)
	}
	if rep.Prior.AUC != 0.5 {
		t.Errorf("constant baseline AUC %v, want 0.5", rep.Prior.AUC)
	}
	best := risk.Logistic
	if rep.Forest.Validate.AUC > rep.Logistic.Validate.AUC {
		best = risk.Forest
	}
	if m.Family() != best || rep.Chosen != best || m.Report().Chosen != best {
		t.Errorf("serving %s (report says %s), but %s has the better validation AUC", m.Family(), rep.Chosen, best)
	}
}

// TestScoreRanksKnownRisk scores the same fresh invoice for the most and
// the least reliable customer in the data, with and without a dispute: the
// known truth orders them.
func TestScoreRanksKnownRisk(t *testing.T) {
	m, _ := trainedSynth(t)
	invs := synthInvoices(1, 3000)
	worst, best := extremeCustomers(invs)
	at := synthAsOf
	score := func(cust string, disputed bool) triage.Risk {
		inv := triage.Invoice{InvoiceID: "NEW", CustomerID: cust, IssuedAt: at, DueAt: at.AddDate(0, 0, 30),
			Amount: 2000, Currency: "USD", Region: "NA", Disputed: disputed}
		return m.Score(inv, invs, 0, at)
	}
	high, mid, low := score(worst, true), score(worst, false), score(best, false)
	if !(high.Probability > mid.Probability && mid.Probability > low.Probability) {
		t.Errorf("risks %.3f (worst, disputed) %.3f (worst) %.3f (best) are not in order", high.Probability, mid.Probability, low.Probability)
	}
	if len(high.Factors) != risk.TopFacts || high.ModelVersion != m.Version() || high.Known {
		t.Errorf("risk %+v: want %d facts and version %s", high, risk.TopFacts, m.Version())
	}
	if !slices.ContainsFunc(high.Factors, func(c triage.RiskFactor) bool {
		return c.Words == "the invoice is disputed (raises the risk)" && c.Effect > 0
	}) {
		t.Errorf("top facts of a disputed invoice %v do not name the dispute", high.Factors)
	}
}

// extremeCustomers finds the customers with the highest and lowest share
// of late invoices.
func extremeCustomers(invs []triage.Invoice) (worst, best string) {
	late, n := map[string]float64{}, map[string]float64{}
	for _, inv := range invs {
		l, _ := features.Label(inv, 30, synthAsOf)
		late[inv.CustomerID] += map[bool]float64{true: 1}[l]
		n[inv.CustomerID]++
	}
	hi, lo := -1.0, 2.0
	for _, c := range slices.Sorted(func(yield func(string) bool) {
		for c := range n {
			if !yield(c) {
				return
			}
		}
	}) {
		if s := late[c] / n[c]; s > hi {
			worst, hi = c, s
		} else if s < lo {
			best, lo = c, s
		}
	}
	return worst, best
}

func TestScoreKnownOutcome(t *testing.T) {
	m, _ := trainedSynth(t)
	at := synthAsOf
	paid := at.AddDate(0, 0, -50)
	tests := []struct {
		name  string
		due   time.Time
		paid  *time.Time
		p     float64
		words string
	}{
		{"paid on time", at.AddDate(0, 0, -60), &paid, 0, "the invoice is already paid on time"},
		{"unpaid past the limit", at.AddDate(0, 0, -31), nil, 1, "the invoice is unpaid more than 30 days past due"},
		{"paid late", at.AddDate(0, 0, -90), &paid, 1, "the invoice was paid more than 30 days past due"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := triage.Invoice{InvoiceID: "K", CustomerID: "C01", IssuedAt: tt.due.AddDate(0, 0, -30), DueAt: tt.due,
				Amount: 10, Currency: "USD", PaidAt: tt.paid}
			r := m.Score(inv, nil, 0, at)
			if !r.Known || r.Probability != tt.p || len(r.Factors) != 1 || r.Factors[0].Words != tt.words {
				t.Errorf("risk %+v, want known, p %v, %q", r, tt.p, tt.words)
			}
		})
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	m, _ := trainedSynth(t)
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := risk.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	again, err := back.Encode()
	if err != nil || !bytes.Equal(b, again) {
		t.Fatalf("re-encoding differs (err %v)", err)
	}
	if back.Version() != m.Version() || back.Family() != m.Family() || back.Options().LateDays != 30 {
		t.Errorf("decoded %s %s %+v", back.Version(), back.Family(), back.Options())
	}
	rows := features.BuildAll(synthInvoices(2, 200), nil, synthOpts)
	for _, x := range rows {
		p1, c1 := m.Predict(x)
		p2, c2 := back.Predict(x)
		if p1 != p2 || !slices.Equal(c1, c2) {
			t.Fatalf("decoded model predicts %v %v, original %v %v", p2, c2, p1, c1)
		}
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	invs := synthInvoices(3, 1500)
	a, _, errA := risk.TrainInvoices(invs, nil, synthAsOf, small)
	b, _, errB := risk.TrainInvoices(invs, nil, synthAsOf, small)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	ea, _ := a.Encode()
	eb, _ := b.Encode()
	if !bytes.Equal(ea, eb) || a.Version() != b.Version() {
		t.Error("the same data and seed gave different models")
	}
}

// tamper decodes the model as generic JSON, lets edit change it and
// encodes it again.
func tamper(t *testing.T, b []byte, edit func(map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDecodeRefuses(t *testing.T) {
	m, _ := trainedSynth(t)
	b, _ := m.Encode()
	tests := []struct {
		name    string
		data    []byte
		want    string
		feature bool
	}{
		{"other features", tamper(t, b, func(m map[string]any) { m["feature_hash"] = strings.Repeat("0", 64) }), "other features", true},
		{"other format", tamper(t, b, func(m map[string]any) { m["format"] = "something/v9" }), "format", false},
		{"changed content", tamper(t, b, func(m map[string]any) { m["late_days"] = 5.0 }), "does not match its version", false},
		{"unknown field", tamper(t, b, func(m map[string]any) { m["extra"] = 1.0 }), "unknown field", false},
		{"missing parameters", tamper(t, b, func(m map[string]any) { delete(m, "logistic"); delete(m, "forest") }), "lacks its parameters", false},
		{"truncated", b[:len(b)/2], "decode model", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := risk.Decode(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if errors.Is(err, risk.ErrFeatureMismatch) != tt.feature {
				t.Errorf("errors.Is(err, ErrFeatureMismatch) = %v", !tt.feature)
			}
		})
	}
}

func TestTrainRejects(t *testing.T) {
	row := make([]float64, features.NumFeatures)
	rows, labels, times := make([][]float64, 100), make([]bool, 100), make([]time.Time, 100)
	for i := range rows {
		rows[i], labels[i], times[i] = row, i%2 == 0, synthStart.AddDate(0, 0, i)
	}
	noLate := make([]bool, 100)
	nan := slices.Clone(rows)
	nan[7] = append([]float64{math.NaN()}, row[1:]...)
	tests := []struct {
		name   string
		rows   [][]float64
		labels []bool
		times  []time.Time
		want   string
	}{
		{"lengths differ", rows, labels[:99], times, "100 rows, 99 labels"},
		{"narrow row", [][]float64{{1, 2}}, labels[:1], times[:1], "has 2 columns"},
		{"not finite", nan, labels, times, "row 7"},
		{"no late invoice", rows, noLate, times, "need 20 rows and 3 of each outcome"},
		{"too few rows", rows[:30], labels[:30], times[:30], "slice has"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := risk.Train(tt.rows, tt.labels, tt.times, small)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestForestServesWhenItWins: invoices are late when the customer's mean
// days late is in a middle band, a risk that is not monotone in any
// column, so no logistic model can rank it and trees can. The forest must
// win, serve, name that column first and survive storage.
func TestForestServesWhenItWins(t *testing.T) {
	r := rand.New(rand.NewPCG(30, 31))
	band := slices.Index(features.Names(), "hist_mean_days_late")
	n := 1500
	rows, labels, times := make([][]float64, n), make([]bool, n), make([]time.Time, n)
	for i := range rows {
		row := make([]float64, features.NumFeatures)
		for j := range row {
			row[j] = r.Float64()
		}
		rows[i], times[i] = row, synthStart.Add(time.Duration(i)*time.Hour)
		labels[i] = (row[band] > 0.25 && row[band] < 0.75) != (r.Float64() < 0.1)
	}
	m, rep, err := risk.Train(rows, labels, times, small)
	if err != nil {
		t.Fatal(err)
	}
	if m.Family() != risk.Forest || rep.Forest.Validate.AUC < 0.85 || rep.Logistic.Validate.AUC > 0.65 {
		t.Fatalf("serving %s; validation AUC forest %.3f, logistic %.3f", m.Family(), rep.Forest.Validate.AUC, rep.Logistic.Validate.AUC)
	}
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := risk.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	p1, c1 := m.Predict(rows[0])
	p2, c2 := back.Predict(rows[0])
	if p1 != p2 || !slices.Equal(c1, c2) || len(c1) == 0 {
		t.Fatalf("decoded forest predicts %v %v, original %v %v", p2, c2, p1, c1)
	}
	if c1[0].Feature != "hist_mean_days_late" {
		t.Errorf("top fact %v, want hist_mean_days_late", c1[0])
	}
}
