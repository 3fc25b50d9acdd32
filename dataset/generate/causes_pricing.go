package generate

// pricingCauses: the price on the invoice isn't the agreed one. They share an
// amount-variance alert and overlap in vocabulary (price, discount, contract)
// with each other and with the price-related disputes.
var pricingCauses = []cause{
	{
		Cause:  Cause{Type: "pricing_discrepancy", RootCause: "discount_not_applied", Action: "apply_contract_discount", Queue: "revops"},
		weight: 0.32, stake: stakeOver,
		params: func(c *recCtx) map[string]any {
			return map[string]any{"discount_pct": c.num("pct"), "contract": c.get("contract")}
		},
		texts: []tmpl{
			{srcBilling, plain, `billing-api WARN price_check invoice=${inv} contract=${contract} expected_discount=${pct}% applied_discount=0%`},
			{srcBilling, plain, `${inv} billed at list price ${unit_price}/{seat|unit} instead of contracted ${unit_price_exp} (${pct}% {off|discount}) per ${contract}.`},
			{srcSupport, mail, `Our contract ${contract} includes a ${pct}% discount {on ${product}|for the first year|on all seats} but ${inv} {shows|is at} full list price. {Please reissue.|Can you correct this?}`},
			{srcBilling, note, `disc missing on ${inv} - {order form|OF|quote} says ${pct}%, {billed|invoiced} list. {cpq sync issue?|discount end date wrong in cpq|manual deal}`},
			{srcBilling, plain, `Price audit: ${n_fail} line items on ${inv} at ${unit_price}, expected ${unit_price_exp} after {contract|negotiated|promo} discount. Delta ${delta}.`},
			{srcBilling, plain, `ALERT invoice_amount_variance: ${inv} ${amt} vs quote ${amt_exp} (${cust_short}). {Discount schedule|Promo code ${promo}|Ramp discount} not applied.`},
			{srcBilling, plain, `CPQ sync: \{"subscription":"${sub}","discount_pct":${pct},"discount_applied":false,"reason":"{discount_end_date_in_past|missing_discount_schedule}"\} invoice ${inv}`},
		},
	},
	{
		Cause:  Cause{Type: "pricing_discrepancy", RootCause: "wrong_price_book", Action: "switch_price_book", Queue: "revops"},
		weight: 0.25, stake: stakeOver,
		params: func(c *recCtx) map[string]any { return map[string]any{"price_book": c.get("price_book")} },
		correct: func(c *recCtx) correction {
			return correction{field: fieldPriceBook, key: c.get("sub"), from: c.get("price_book_wrong"), to: c.get("price_book")}
		},
		texts: []tmpl{
			{srcBilling, plain, `billing-api WARN price_check invoice=${inv} price_book=${price_book_wrong} expected_price_book=${price_book}`},
			{srcBilling, plain, `${inv} priced from ${price_book_wrong} but ${cust} is on ${price_book} (${cur} {list|pricing}).`},
			{srcBilling, note, `wrong pb on ${cust_short} - {legacy|old|USD} price book still attached, ${inv} {overbilled|off} by ${delta}`},
			{srcBilling, plain, `Subscription ${sub} was {migrated|renewed|upgraded} {on ${date}|last month} but still references price book ${price_book_wrong}; new invoices like ${inv} use {old|outdated} rates.`},
			{srcBilling, plain, `ALERT invoice_amount_variance: ${inv} ${amt} vs quote ${amt_exp} (${cust_short}). {Price book mismatch|Rates from ${price_book_wrong}}.`},
			{srcBilling, plain, `{Currency|Regional} pricing wrong on ${inv}: account in ${region} charged {USD list|${price_book_wrong}} rates, ${unit_price} per {seat|unit} instead of ${unit_price_exp}.`},
			{srcSupport, mail, `We {signed up for|are on} the ${plan} plan at ${unit_price_exp} per {seat|user} but invoice ${inv} charges ${unit_price}. {It looks like a different price list was used.|Did the pricing change?}`},
		},
	},
	{
		Cause:  Cause{Type: "pricing_discrepancy", RootCause: "proration_error", Action: "recalculate_proration", Queue: "revops"},
		weight: 0.25, stake: stakeOver,
		params: func(c *recCtx) map[string]any {
			return map[string]any{"subscription": c.get("sub"), "period": c.get("period")}
		},
		texts: []tmpl{
			{srcBilling, plain, `billing-api ERROR proration_check sub=${sub} invoice=${inv} change_date=${change_date} expected=${amt_exp} billed=${amt}`},
			{srcBilling, plain, `Mid-cycle {upgrade|seat increase|plan change} on ${change_date} for ${cust} (${sub}): ${inv} {charged the full month|did not prorate|prorated from the wrong date}.`},
			{srcBilling, note, `{proration|prorate} {wrong|off} on ${inv} - {seats ${seats_old}->${seats_new}|upgrade} on ${change_date}, {billed full period|charged twice for overlap|credit for old plan missing}`},
			{srcBilling, plain, `${inv}: {proration|partial period} amount ${delta} {doesn't match|is off from} ${days_used} of ${days_in} days for ${seats_new} seats (${sub}).`},
			{srcSupport, mail, `We added {${seats_add} seats|seats} on ${change_date} but ${inv} charges {them|the new seats} for the {whole|entire} month. {Shouldn't that be prorated?|I thought additions were prorated.}`},
			{srcBilling, plain, `ALERT invoice_amount_variance: ${inv} ${amt} vs quote ${amt_exp} (${cust_short}). {Proration|Co-term} calculation {differs|mismatch} for ${sub}.`},
			{srcBilling, plain, `Co-terming {add-on|${product}} to {the main|the annual} subscription ${sub} produced {a negative line|a duplicate period} on ${inv}.${@please}`},
		},
	},
	{
		Cause:  Cause{Type: "pricing_discrepancy", RootCause: "price_uplift_not_communicated", Action: "issue_credit_memo", Queue: "finance", MoneyMoving: true},
		weight: 0.18, stake: stakeOver,
		params: creditParams,
		texts: []tmpl{
			{srcBilling, plain, `Renewal ${inv} includes a ${uplift}% {uplift|price increase} on ${product} that {wasn't in the renewal notice|was never communicated to ${cust_short}|is not in the order form}.`},
			{srcBilling, note, `{uplift not communicated|no notice for uplift|CPI uplift not sent} - ${cust_short} {renewal|renewed} at +${uplift}%, {AM never sent the letter|notice period missed|contract requires 60 day notice}. {credit back diff?|need credit}`},
			{srcBilling, plain, `billing-api WARN renewal_uplift invoice=${inv} uplift_pct=${uplift} notice_sent=false contract=${contract}`},
			{srcBilling, plain, `${inv} (${amt}) is ${uplift}% higher than the prior {term|year}; no {price change notice|renewal notice} on file {in CRM|for ${contract}}.`},
			{srcBilling, plain, `ALERT invoice_amount_variance: ${inv} ${amt} vs quote ${amt_exp} (${cust_short}). {Automatic|Annual} uplift of ${uplift}% applied{, no notice|}.`},
			{srcSupport, mail, `Our renewal invoice ${inv} is ${uplift}% higher than last year and nobody told us about a price increase. Per our contract ${contract} we need {60|90} days notice. {Please credit the difference.|We expect a credit note for the difference.}`},
		},
	},
}

// creditParams is shared by the causes fixed with a credit memo.
func creditParams(c *recCtx) map[string]any {
	return map[string]any{"amount": roundMoney(c.absStake(), c.inv.Currency), "currency": c.inv.Currency}
}
