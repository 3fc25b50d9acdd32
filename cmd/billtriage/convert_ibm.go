package main

import (
	"io"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/eval/convert"
	"github.com/billtriage/billtriage/features"
)

// convertIBM turns the IBM accounts-receivable file into the invoice CSV
// (the risk model's input; lateness there is "any days late", so train it
// with --late-days 0). The mapping is in features.ConvertIBM.
func convertIBM(r io.Reader, w io.Writer) (convert.Stats, error) {
	invs, err := features.ConvertIBM(r)
	if err != nil {
		return convert.Stats{}, err
	}
	return convert.Stats{Written: len(invs)}, dataset.WriteInvoices(w, invs)
}
