package features

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/billtriage/billtriage/internal/numfmt"
)

// Explain puts column i of row into words for a person reading a decision,
// e.g. "customer was late on 6 of 8 past invoices" or "invoice amount
// 12,400 USD". It says what the value is, not whether it raises the risk:
// that depends on the model. Every column of a group (see Group) gets the
// group's words, so a one-hot column names the category that is set. It
// returns "" for a column it does not know.
func Explain(row []float64, i int) string {
	if len(row) != NumFeatures || i < 0 || i >= NumFeatures {
		return ""
	}
	if i >= colRegion {
		return explainOneHot(row, i)
	}
	if i >= colHistKnown && i <= colHistLateXKnown && row[colHistKnown] == 0 {
		// Every history column of a customer without history says the
		// same thing; one wording lets an explanation add their effects
		// into one fact rather than show it twice with opposite signs.
		return noHistory
	}
	return explainFixed[i](row)
}

// noHistory is the words of every history column when there is none.
const noHistory = "customer has no payment history yet"

var explainFixed = [colRegion]func(row []float64) string{
	colAmountUSD:    func(r []float64) string { return "invoice amount " + money(r[colAmountUSD]) + " USD" },
	colLogAmountUSD: func(r []float64) string { return "invoice amount " + money(math.Expm1(r[colLogAmountUSD])) + " USD" },
	colCreditNote: func(r []float64) string {
		return choose(r[colCreditNote] == 1, "the invoice is a credit note", "the invoice is not a credit note")
	},
	colTermsDays: func(r []float64) string { return fmt.Sprintf("payment terms of %s days", num(r[colTermsDays])) },
	colDisputed: func(r []float64) string {
		return choose(r[colDisputed] == 1, "the invoice is disputed", "the invoice is not disputed")
	},
	colOpenExceptions: func(r []float64) string {
		return count(r[colOpenExceptions], "open exception", "open exceptions") + " on the customer"
	},
	colHistKnown: func(r []float64) string {
		return "customer has " + count(r[colHistKnown], "past invoice", "past invoices") + " with a known outcome"
	},
	colHistLateShare:    explainLateShare,
	colHistMeanDaysLate: explainMeanDaysLate,
	colHistDisputeShare: explainDisputeShare,
	colHistOverdue: func(r []float64) string {
		return count(r[colHistOverdue], "past invoice", "past invoices") + " of the customer still unpaid and already late"
	},
	colHistNone: func(r []float64) string {
		return choose(r[colHistNone] == 1, noHistory, "customer has a payment history")
	},
	colHistLateXKnown: explainLateShare,
	colAmountVsUsual:  explainAmountVsUsual,
}

// explainAmountVsUsual says the ratio of the amount to the customer's
// usual (geometric mean of earlier) amounts, which is what the column
// holds in log units.
func explainAmountVsUsual(r []float64) string {
	if r[colAmountVsUsual] == 0 {
		return "invoice amount is the customer's usual, or the customer has no earlier invoice"
	}
	return fmt.Sprintf("invoice amount is %.1f times the customer's usual", math.Exp(r[colAmountVsUsual]))
}

func explainLateShare(r []float64) string {
	known := r[colHistKnown]
	late := math.Round(r[colHistLateShare] * known)
	return fmt.Sprintf("customer was late on %s of %s past invoices", num(late), num(known))
}

func explainMeanDaysLate(r []float64) string {
	return fmt.Sprintf("customer's past invoices were %.1f days late on average", r[colHistMeanDaysLate])
}

func explainDisputeShare(r []float64) string {
	settled := r[colHistKnown] - r[colHistOverdue]
	if settled == 0 {
		return "customer has no settled past invoice"
	}
	disputed := math.Round(r[colHistDisputeShare] * settled)
	return fmt.Sprintf("customer disputed %s of %s settled past invoices", num(disputed), num(settled))
}

// explainOneHot names the category that is set in i's one-hot group.
func explainOneHot(r []float64, i int) string {
	first, vocab := colRegion, regions[:]
	if i >= colCurrency {
		first, vocab = colCurrency, currencies[:]
	}
	what := Group(i)
	for k, v := range vocab {
		if r[first+k] == 1 {
			return what + " is " + v
		}
	}
	return what + " is none of " + strings.Join(vocab, ", ")
}

func choose(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func count(v float64, one, many string) string {
	if v == 1 {
		return "1 " + one
	}
	if v == 0 {
		return "no " + many
	}
	return num(v) + " " + many
}

// num writes whole numbers without decimals and others with one.
func num(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// money writes cents below 1,000 and whole units with thousands separators
// above, which is how people read invoice amounts.
func money(v float64) string {
	if v < 1000 {
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return numfmt.Group(strconv.FormatFloat(math.Round(v), 'f', 0, 64))
}
