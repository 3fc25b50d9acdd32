package triage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Fingerprint identifies what a client sent for e, so that a repeat of its
// (source, id) can be told apart: the same content is a retry and gets the
// stored result; other content is a different record and is refused. The
// time it occurred is left out, since it defaults to the time of receipt
// and a retry would otherwise never match.
func (e *Exception) Fingerprint() string {
	sent := struct {
		Source, ID, Type, Text, Customer, Invoice, Currency, Region string
		Amount                                                      *float64
		Attributes                                                  map[string]any
	}{e.Source, e.ExternalID, string(e.Type), e.Text, e.CustomerID, e.InvoiceID, e.Currency, e.Region, e.Amount, e.Attributes}
	b, err := json.Marshal(sent) // map keys are sorted: canonical
	if err != nil {
		return "" // validated input always encodes; "" never conflicts
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
