package classify_test

import (
	"fmt"

	"github.com/billtriage/billtriage/models/classify"
)

// Train a model from labelled history, store it, and classify a new case.
func Example() {
	texts := []string{
		"customer charged twice, wants a refund", "refund the duplicate charge",
		"chargeback filed for a cancelled plan", "customer disputes the charge and asks for a refund",
		"journal posting failed in the ledger sync", "ERP export rejected the posting",
		"ledger sync error on journal INV-2041", "posting to the general ledger failed",
	}
	labels := []string{"dispute", "dispute", "dispute", "dispute", "erp", "erp", "erp", "erp"}
	m, err := classify.Train(texts, labels, classify.Config{Features: classify.FeatureConfig{MinDF: 1}})
	if err != nil {
		fmt.Println(err)
		return
	}
	stored, _ := m.MarshalBinary()
	var loaded classify.Model
	if err := loaded.UnmarshalBinary(stored); err != nil {
		fmt.Println(err)
		return
	}
	label, _ := loaded.Top("Please refund: we were charged twice on INV-7730")
	fmt.Println(label)
	// Output: dispute
}
