package convert

import (
	"io"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/features"
)

// IBMAccountsReceivable turns the IBM accounts-receivable file into the
// invoice CSV, the risk model's input rather than dataset records.
// Lateness there is "any days late", so train on it with --late-after-days 0.
// The column mapping is features.ConvertIBM's.
func IBMAccountsReceivable(r io.Reader, w io.Writer) (Stats, error) {
	invs, err := features.ConvertIBM(r)
	if err != nil {
		return Stats{}, err
	}
	return Stats{Written: len(invs)}, dataset.WriteInvoices(w, invs)
}
