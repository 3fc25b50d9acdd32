package generate

import (
	"math"
	"strconv"
	"strings"
)

// roundMoney rounds to the currency's minor unit; JPY has none.
func roundMoney(v float64, cur string) float64 {
	if cur == "JPY" {
		return math.Round(v)
	}
	return math.Round(v*100) / 100
}

var currencySymbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "JPY": "¥"}

// formatMoney writes an amount the way a person in the region might, so the
// same amount shows up in several spellings across the dataset.
func formatMoney(r *rng, v float64, cur, region string) string {
	decimals := 2
	if cur == "JPY" {
		decimals = 0
	}
	plain := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	sign := ""
	if v < 0 {
		sign = "-"
	}
	switch r.IntN(4) {
	case 0:
		return sign + cur + " " + group(plain, ",", ".")
	case 1:
		if region == "EMEA" && cur != "GBP" {
			return sign + group(plain, ".", ",") + " " + cur
		}
		return sign + group(plain, ",", ".") + " " + cur
	case 2:
		return sign + currencySymbols[cur] + group(plain, ",", ".")
	default:
		return sign + plain + " " + cur
	}
}

// group inserts thousands separators into a plain "1234.56" string.
func group(plain, thousands, decimal string) string {
	intPart, frac, hasFrac := strings.Cut(plain, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString(decimal + frac)
	}
	return b.String()
}
