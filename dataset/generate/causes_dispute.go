package generate

// disputeCauses are customer e-mails; every template is an e-mail body and
// gets wrapped with greeting, signature, quoted replies and disclaimers.
var disputeCauses = []cause{
	{
		Cause:  Cause{Type: "billing_dispute", RootCause: "duplicate_charge", Action: "refund_duplicate_charge", Queue: "support", MoneyMoving: true},
		weight: 0.18, stake: stakeInvoice,
		params: func(c *recCtx) map[string]any {
			return map[string]any{"amount": c.inv.Amount, "currency": c.inv.Currency, "payment_ref": c.get("payref")}
		},
		texts: []tmpl{
			{srcSupport, mail, `We were charged twice for ${inv} - {two|2} payments of ${amt} {went out|were taken} on ${pay_date} {via ${pay_method}|from our card ending ${card4}}. Please refund the duplicate.`},
			{srcSupport, mail, `I see {two identical charges|a double charge|the same amount debited twice} on our {card|account} statement for {invoice|inv} ${inv} (${amt}). {Can you reverse one of them?|We need one of these refunded.}`},
			{srcSupport, mail, `Our bank shows {a second|another} ${pay_method} debit of ${amt} {reference|ref} ${payref} on ${pay_date}, {but|although} ${inv} was already paid.${@please}`},
			{srcSupport, mail, `It looks like {your system|the portal|auto-pay} {charged|billed} us twice this month. {Both|The two} transactions are for ${amt}.`},
			{srcSupport, mail, `{Our AP team|Accounts payable} {noticed|flagged} {a duplicate payment|that we paid twice} for ${inv}: {once by card and once by ${pay_method}|once on ${pay_date} and again the next day}.`},
			{srcSupport, mail, `Duplicate charge on ${inv}! ${amt} x2. {Please refund ASAP.|Refund needed.}`},
		},
	},
	{
		Cause:  Cause{Type: "billing_dispute", RootCause: "cancelled_still_billed", Action: "issue_credit_memo", Queue: "support", MoneyMoving: true},
		weight: 0.18, stake: stakeInvoice,
		params: creditParams,
		texts: []tmpl{
			{srcSupport, mail, `We cancelled our {subscription|${plan} plan|account} on ${cancel_date} {(confirmation ${ticket})|and received a confirmation} but {still received|were still charged for} ${inv} for ${amt}.`},
			{srcSupport, mail, `Why are we being billed? {Our contract ended|We gave notice} {on ${cancel_date}|in ${cancel_month}} and {have not used the service since|all users were removed}.`},
			{srcSupport, mail, `${inv} should not exist - {we|our company} {terminated|churned|downgraded to free} {effective ${cancel_date}|at the end of last term}. Please {cancel|void} the invoice and {confirm|send a credit note}.`},
			{srcSupport, mail, `I {emailed|spoke with} {${agent}|your account manager|support} {on ${cancel_date}|weeks ago} to cancel {the ${product} add-on|our seats}, yet it {is still on|appears on} ${inv}.`},
			{srcSupport, mail, `{Following our cancellation|After cancelling} we were auto-renewed and charged ${amt}. {We did not authorise this renewal.|This renewal was not authorised.}`},
			{srcSupport, mail, `{Please stop billing us.|Stop billing please.} Account ${cid} was closed {on|as of} ${cancel_date}. Invoice ${inv} is not payable.`},
		},
	},
	{
		Cause:  Cause{Type: "billing_dispute", RootCause: "unrecognised_usage", Action: "send_usage_breakdown", Queue: "support"},
		weight: 0.18, stake: stakeOver,
		params: func(c *recCtx) map[string]any { return map[string]any{"period": c.get("period")} },
		texts: []tmpl{
			{srcSupport, mail, `We don't recognise the {usage|overage} charges on ${inv} - ${qty_billed} ${unit} of ${meter_label} {seems way too high|is far more than we use|doesn't match our dashboard}. Can you send a {breakdown|detailed report}?`},
			{srcSupport, mail, `{What is|Can you explain} the ${delta} overage {line|charge} on ${inv}? Nobody on our side {knows what it is|can explain it}.`},
			{srcSupport, mail, `Our {engineering|dev} team {says|confirms} {they only made|we made} about ${qty_metered_k} ${unit} in ${month}, but the invoice shows ${qty_billed}. {Please share the usage logs.|Could you provide per-day usage?}`},
			{srcSupport, mail, `Invoice ${inv}: {usage|consumption} {fees|charges} for ${meter_label} {jumped|increased} from ${prev_amt} to ${amt}. {We need a breakdown by project|Please send a breakdown by API key} before we can approve.`},
			{srcSupport, mail, `There is a charge for "${meter_label}" on ${inv} {that we never used|for a feature we don't use}. Is this {a mistake|correct}?`},
			{srcSupport, mail, `{Finance|Procurement} won't approve ${inv} {until|unless} we {get|see} {the usage detail|a usage report} for ${period}.${@please}`},
		},
	},
	{
		Cause:  Cause{Type: "billing_dispute", RootCause: "price_increase_dispute", Action: "explain_price_change", Queue: "support"},
		weight: 0.16, stake: stakeOver,
		params: func(c *recCtx) map[string]any { return map[string]any{"uplift_pct": c.num("uplift")} },
		texts: []tmpl{
			{srcSupport, mail, `{Our|The} ${month} invoice ${inv} is {much|${uplift}%} higher than {before|last month}. {Why did the price go up?|Has the price changed?}`},
			{srcSupport, mail, `We {received|saw} your {price change notice|email about new pricing} but {don't agree with|want to understand} the ${uplift}% increase on ${product}. {Can we discuss?|Please explain how it was calculated.}`},
			{srcSupport, mail, `${inv} {charges|shows} ${unit_price} per {seat|user} {now|this cycle} versus ${unit_price_exp} before. {Was this announced?|I didn't see any announcement.}`},
			{srcSupport, mail, `{Could you|Can you} {explain|clarify} the {new pricing|price increase} on our renewal ${inv}? Our budget {was set|was planned} on the old rates.`},
			{srcSupport, mail, `{I'm writing to dispute|We dispute} the price increase {applied|reflected} in ${inv} (${amt}). {We were told prices were locked.|Our AE promised no increase this year.}`},
			{srcSupport, mail, `{Is the|Why is the} ${product} {line|price} {higher|up} on ${inv}? {Nothing|No one} {mentioned|told us about} a change.${@please}`},
		},
	},
	{
		Cause:  Cause{Type: "billing_dispute", RootCause: "service_credit_request", Action: "review_service_credit", Queue: "finance"},
		weight: 0.12, stake: stakeOver,
		params: func(c *recCtx) map[string]any { return map[string]any{"incident": c.get("incident")} },
		texts: []tmpl{
			{srcSupport, mail, `{Per our SLA|Under the ${sla}% uptime SLA}, we {request|are requesting} a service credit for the {outage|incident|downtime} on ${incident_date} (${incident}). Please {apply it to|deduct it from} ${inv}.`},
			{srcSupport, mail, `{Your platform|The service} was {down|unavailable|degraded} for {about|roughly|over} ${hours} hours on ${incident_date}. {We expect a credit|We'd like a service credit} on {our next invoice|${inv}}.`},
			{srcSupport, mail, `Following incident ${incident}, {please confirm|can you confirm} the {service credit|SLA credit} we're entitled to for ${month}. {Our uptime was below ${sla}%.|Uptime fell below the committed level.}`},
			{srcSupport, mail, `We {will short-pay|are holding payment of} ${inv} until the {SLA credit|credit for the outage} is {applied|issued}. {Incident reference|Ref}: ${incident}.`},
			{srcSupport, mail, `{Requesting|Request for} {service|SLA} credit - ${cust} - {outage|incident} ${incident_date}.${@please}`},
			{srcSupport, mail, `The {API|dashboard|integration} {outage|errors} {last week|on ${incident_date}} {cost us|impacted} {a full day of processing|our month-end}. {What compensation|What credit} {can you offer|is available} under our contract?`},
		},
	},
	{
		Cause:  Cause{Type: "billing_dispute", RootCause: "payment_not_applied", Action: "apply_unallocated_payment", Queue: "finance"},
		weight: 0.18, stake: stakeInvoice,
		params: func(c *recCtx) map[string]any {
			return map[string]any{"payment_ref": c.get("payref"), "amount": c.inv.Amount, "currency": c.inv.Currency}
		},
		texts: []tmpl{
			{srcSupport, mail, `We paid ${inv} {on|via ${pay_method} on} ${pay_date} ({reference|ref} ${payref}) but {still|keep} {receiving|getting} {reminders|dunning emails|overdue notices}. {Please apply the payment.|Please check your records.}`},
			{srcSupport, mail, `{Attached is|Please find} {the|our} remittance advice for ${amt} paid on ${pay_date}. Your portal still shows ${inv} as {open|unpaid|overdue}.`},
			{srcSupport, mail, `{Our payment|The wire} of ${amt} (${payref}) {covered|was for} ${inv} {and|plus} ${inv2}; {only one|neither} {shows as paid|has been marked paid}.`},
			{srcSupport, mail, `Why is ${inv} {past due|showing overdue}? {We paid it|It was paid} {in full |}on ${pay_date}. {Bank confirmation|Proof of payment} {attached|below}.`},
			{srcSupport, mail, `We {received|got} a {late fee|collections notice|final reminder} for ${inv} {even though|although} {payment|the transfer} {cleared|was sent} {on ${pay_date}|last week}.${@please}`},
			{srcSupport, mail, `{Remittance|Payment} {reference|ref} ${payref} {did not include|was missing} the invoice number, {sorry|apologies} - {it was|this was} for ${inv} (${amt}).`},
		},
	},
}
