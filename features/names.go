package features

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Version names the definitions behind the columns. Change it whenever a
// column's meaning changes even if its name does not, so that FeatureHash
// changes and stored models built on the old meaning are refused.
const Version = "features-v2"

// regions and currencies are the fixed one-hot vocabularies; anything else,
// including an empty value, goes to the "other" column. They are fixed, not
// learned from data, so that a row means the same under every model, and
// arrays so that their lengths are constants.
var (
	regions    = [...]string{"NA", "EMEA", "APAC", "LATAM"}
	currencies = [...]string{"USD", "EUR", "GBP", "CAD", "AUD", "JPY"}
)

// Column positions of the fixed part of a row; the one-hot columns follow.
const (
	colAmountUSD = iota
	colLogAmountUSD
	colCreditNote
	colTermsDays
	colDisputed
	colOpenExceptions
	colHistKnown
	colHistLateShare
	colHistMeanDaysLate
	colHistDisputeShare
	colHistOverdue
	colHistNone
	colHistLateXKnown
	colAmountVsUsual
	colRegion // first region column
)

// colCurrency is the first currency column.
const colCurrency = colRegion + len(regions) + 1

// NumFeatures is the length of every row.
const NumFeatures = colCurrency + len(currencies) + 1

var fixedNames = []string{
	"amount_usd", "log_amount_usd", "credit_note", "terms_days", "disputed", "open_exceptions",
	"hist_known", "hist_late_share", "hist_mean_days_late", "hist_dispute_share", "hist_overdue", "hist_none",
	"hist_late_x_known", "amount_vs_usual",
}

// Names returns the column names in row order. The caller may modify the
// returned slice.
func Names() []string {
	names := append([]string(nil), fixedNames...)
	for _, r := range regions {
		names = append(names, "region_"+r)
	}
	names = append(names, "region_other")
	for _, c := range currencies {
		names = append(names, "currency_"+c)
	}
	return append(names, "currency_other")
}

// FeatureHash is the hex SHA-256 of Version and the column names: a model
// stored with another hash was built for other columns and must not score.
func FeatureHash() string {
	sum := sha256.Sum256([]byte(Version + "\n" + strings.Join(Names(), "\n")))
	return hex.EncodeToString(sum[:])
}

// oneHot returns the position of v in vocab, or len(vocab) for "other".
func oneHot(vocab []string, v string) int {
	for i, w := range vocab {
		if strings.EqualFold(v, w) {
			return i
		}
	}
	return len(vocab)
}

// Group names the fact column i stands for, so that a model's explanation
// can add up the columns of one fact: "amount" for amount_usd and
// log_amount_usd, "hist_late_share" for the late share and its interaction
// with the history's length (hist_late_x_known), "region" and "currency"
// for their one-hot columns, and the column's own name otherwise. An
// interaction belongs to the fact it qualifies, so that an explanation
// gives that fact one net effect instead of one part raising the risk and
// another lowering it. It returns "" for a column it does not
// know.
func Group(i int) string {
	switch {
	case i < 0 || i >= NumFeatures:
		return ""
	case i == colAmountUSD || i == colLogAmountUSD:
		return "amount"
	case i == colHistLateXKnown:
		return "hist_late_share"
	case i >= colCurrency:
		return "currency"
	case i >= colRegion:
		return "region"
	}
	return fixedNames[i]
}
