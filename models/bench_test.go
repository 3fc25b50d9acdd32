package models_test

import (
	"testing"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/models"
)

// BenchmarkPredict scores one row with each family at its default size.
func BenchmarkPredict(b *testing.B) {
	invs := synthInvoices(1, 3000)
	lr, _, err := models.TrainInvoices(invs, nil, synthAsOf, models.Config{Features: synthOpts, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	rows := features.BuildAll(invs, nil, synthOpts)
	fo := forestModel(b)
	for _, m := range []*models.Model{lr, fo} {
		b.Run(string(m.Family()), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				m.Predict(rows[i%len(rows)])
			}
		})
	}
}

// forestModel trains on data only trees can rank (see
// TestForestServesWhenItWins), so that the forest serves.
func forestModel(b *testing.B) *models.Model {
	band := features.NumFeatures / 2
	rows, labels, times := make([][]float64, 2000), make([]bool, 2000), make([]time.Time, 2000)
	for i := range rows {
		row := make([]float64, features.NumFeatures)
		for j := range row {
			row[j] = float64((i*7919+j*104729)%1000) / 1000
		}
		rows[i], times[i] = row, synthStart.Add(time.Duration(i)*time.Hour)
		labels[i] = row[band] > 0.25 && row[band] < 0.75
	}
	m, _, err := models.Train(rows, labels, times, models.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	if m.Family() != models.Forest {
		b.Fatalf("the forest did not win")
	}
	return m
}

// BenchmarkTrainIBM is a whole training run on the IBM sample: features,
// both families, calibration and evaluation.
func BenchmarkTrainIBM(b *testing.B) {
	invs := ibmInvoices(b)
	for b.Loop() {
		if _, _, err := models.TrainInvoices(invs, nil, time.Time{}, ibmConfig); err != nil {
			b.Fatal(err)
		}
	}
}
