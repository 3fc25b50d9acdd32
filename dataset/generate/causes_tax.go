package generate

// taxCauses: tax on the invoice is wrong. Exemptions are mostly a North
// American concern and tax ids mostly a VAT/GST one, hence the regions.
var taxCauses = []cause{
	{
		Cause:  Cause{Type: "tax_inconsistency", RootCause: "missing_tax_id", Action: "request_tax_id", Queue: "tax"},
		weight: 0.32, stake: stakeOver, regions: []string{"EMEA", "APAC", "LATAM"},
		params: func(c *recCtx) map[string]any { return map[string]any{"jurisdiction": c.get("juris")} },
		texts: []tmpl{
			{srcTax, plain, `tax-engine WARN: {B2B|business} customer ${cid} in ${juris} has no ${tax_id_label} on file; {reverse charge|exemption} cannot be applied to ${inv}.`},
			{srcTax, plain, `${engine} response for ${inv}: \{"jurisdiction":"${juris}","reason":"MISSING_TAX_ID","tax_rate":${rate},"customer":"${cid}"\}`},
			{srcTax, plain, `Invoice ${inv} charged ${rate}% ${tax_name} to ${cust} because the ${tax_id_label} is {empty|missing|blank}; customer {says|claims} they are registered for ${tax_name}.`},
			{srcBilling, note, `{no vat id|missing tax id|tax id blank} for ${cust_short} (${juris}) - {tax charged by mistake?|need vat no.|ask cust for ${tax_id_label}}`},
			{srcTax, plain, `{Validation|VIES check|Registry lookup} {failed|could not run} for ${cid}: no ${tax_id_label} provided. Tax of ${tax_amt} added to ${inv}.${@tail}`},
			{srcSupport, mail, `{Please remove|Why is there} ${tax_name} {from|on} invoice ${inv}? We are a registered business{ and reverse charge should apply|}. {Our ${tax_id_label} will follow.|I'll send our ${tax_id_label} separately.}`},
		},
	},
	{
		Cause:  Cause{Type: "tax_inconsistency", RootCause: "wrong_tax_jurisdiction", Action: "correct_tax_jurisdiction", Queue: "tax"},
		weight: 0.28, stake: stakeOver,
		params: func(c *recCtx) map[string]any { return map[string]any{"from": c.get("juris2"), "to": c.get("juris")} },
		// Keyed on the customer id as the record shows it.
		correct: func(c *recCtx) correction {
			return correction{field: fieldJurisdiction, key: c.cust.id, from: c.get("juris2"), to: c.get("juris")}
		},
		texts: []tmpl{
			{srcTax, plain, `tax-engine ERROR jurisdiction_mismatch invoice=${inv} billed=${juris2} ship_to=${juris} customer=${cid}`},
			{srcTax, plain, `${inv}: tax calculated for ${juris2} (${rate_wrong}%) but {ship-to|service address|customer address} is in ${juris} (${rate}%).`},
			{srcTax, plain, `${engine}: \{"invoice":"${inv}","tax_jurisdiction":"${juris2}","address_jurisdiction":"${juris}","difference":"${tax_amt}"\}`},
			{srcBilling, note, `wrong juris on ${inv} - {we used|billed as} ${juris2}, {cust is in|should be} ${juris}. {address changed?|HQ moved|billing vs shipping addr mixup}`},
			{srcTax, plain, `{Address|Nexus} {change|update} for ${cust} not picked up by ${engine}; ${inv} {taxed|sourced} to ${juris2} instead of ${juris}.`},
			{srcTax, plain, `{Tax|VAT} amount on ${inv} (${tax_amt}) {doesn't match|differs from} {expected|the ${juris} rate}: {location|place of supply} resolved to ${juris2}.${@please}`},
		},
	},
	{
		Cause:  Cause{Type: "tax_inconsistency", RootCause: "expired_tax_exemption", Action: "request_exemption_certificate", Queue: "tax"},
		weight: 0.22, stake: stakeOver, regions: []string{"NA"},
		params: func(c *recCtx) map[string]any {
			return map[string]any{"jurisdiction": c.get("juris"), "certificate": c.get("cert")}
		},
		texts: []tmpl{
			{srcTax, plain, `tax-engine WARN: exemption certificate ${cert} for ${cid} expired on ${exp_date}; ${inv} taxed at ${rate}% in ${juris}.`},
			{srcTax, plain, `${engine}: \{"customer":"${cid}","exemption":"${cert}","status":"EXPIRED","jurisdiction":"${juris}","invoice":"${inv}"\}`},
			{srcTax, plain, `${cust} {is|was} tax exempt in ${juris} but ${inv} {includes|shows} ${tax_name} of ${tax_amt}; certificate on file {lapsed|expired|is out of date}.`},
			{srcBilling, note, `{exempt cert expired|cert expired|exemption lapsed} - ${cust_short} ${juris}, ${inv} has tax. {need new cert|ask for renewed cert|request updated form}`},
			{srcSupport, mail, `We {are a non-profit|are tax exempt|resell your service} and should not be charged ${tax_name} on ${inv}. {You should have our certificate on file.|We sent the certificate when we signed up.}`},
			{srcTax, plain, `{Daily|Weekly} exemption audit: ${n_fail} certificates expired in ${juris}, including ${cert} (${cust}). Affected: ${inv}.`},
		},
	},
	{
		Cause:  Cause{Type: "tax_inconsistency", RootCause: "outdated_tax_rate", Action: "update_tax_rates", Queue: "tax"},
		weight: 0.18, stake: stakeUnder,
		params: func(c *recCtx) map[string]any {
			return map[string]any{"jurisdiction": c.get("juris"), "rate": c.num("rate")}
		},
		texts: []tmpl{
			{srcTax, plain, `tax-engine ERROR rate_mismatch juris=${juris} applied=${rate_old}% expected=${rate}% invoice=${inv}`},
			{srcTax, plain, `${inv} used {the old|a stale|last year's} ${tax_name} rate of ${rate_old}% for ${juris}; current rate is ${rate}% since ${rate_date}.`},
			{srcTax, plain, `${engine}: \{"invoice":"${inv}","jurisdiction":"${juris}","rate_applied":${rate_old},"rate_expected":${rate}\}`},
			{srcBilling, note, `rate table out of date for ${juris}? ${inv} at ${rate_old}% {should be|not} ${rate}%. {engine cache?|manual override left on|tax content update missed}`},
			{srcTax, plain, `Tax reconciliation: ${n_fail} invoices in ${juris} taxed at ${rate_old}% after the rate change to ${rate}%; e.g. ${inv} (${delta} {short|difference}).`},
			{srcBilling, plain, `{Finance|Controller} noticed ${tax_name} on ${inv} {doesn't match|is lower than} ${rate}% of the net amount ${amt}.${@please}`},
		},
	},
}
