package generate

// erpCauses: an invoice could not be posted to the ERP. The connector log
// line, the JSON payload and the daily summary have the same shape for every
// cause; only the ERP's own message (erp_msg) and code tell them apart.
var erpCauses = []cause{
	{
		Cause:  Cause{Type: "erp_posting_failure", RootCause: "missing_gl_mapping", Action: "add_gl_mapping", Queue: "finance"},
		weight: 0.27, stake: stakeInvoice,
		params: func(c *recCtx) map[string]any {
			return map[string]any{"gl_account": c.get("gl"), "entity": c.get("entity")}
		},
		correct: func(c *recCtx) correction {
			return correction{field: fieldGL, key: c.get("sku") + "@" + c.get("entity"), to: c.get("gl")}
		},
		texts: append(erpShared(),
			tmpl{srcERP, plain, `[${erp}] Revenue line for {SKU|item} ${sku} (${product}) has no GL mapping in entity ${entity}; invoice ${inv} held in {staging|the posting queue}.`},
			tmpl{srcBilling, note, `{gl mapping missing|no gl acct|missing GL map} for ${sku} in ${entity} - ${inv} {stuck|not posted|wont post}. {probably new SKU|new product launched this month|new price plan?} {needs ${gl}|}`},
			tmpl{srcERP, plain, `Journal for ${inv} rejected: revenue account {not found|missing|not mapped} for product ${product} (${sku}), {subsidiary|company code|legal entity} ${entity}.${@tail}`},
		),
	},
	{
		Cause:  Cause{Type: "erp_posting_failure", RootCause: "closed_accounting_period", Action: "repost_next_open_period", Queue: "finance"},
		weight: 0.25, stake: stakeInvoice,
		params: func(c *recCtx) map[string]any { return map[string]any{"period": c.get("open_period")} },
		texts: append(erpShared(),
			tmpl{srcERP, plain, `${inv} {dated|issued} ${date_iso} could not be posted - {period ${period_name}|the period} {is closed|was locked by {controlling|the close team}|is already soft-closed}. {Repost in|Move to} ${open_period}?`},
			tmpl{srcBilling, note, `{period closed|closed period again|per close}: ${inv} (${amt}) {bounced|rejected} from ${erp}. {month end close finished|close was done} ${close_day}, {backdated invoice|credit note dated last month}.`},
			tmpl{srcERP, plain, `{Backdated|Late} invoice ${inv} tried to post into ${period_name} after close (${entity}).${@please}`},
		),
	},
	{
		Cause:  Cause{Type: "erp_posting_failure", RootCause: "customer_not_in_erp", Action: "sync_customer_to_erp", Queue: "finance"},
		weight: 0.22, stake: stakeInvoice,
		params: func(c *recCtx) map[string]any {
			return map[string]any{"customer_id": c.cust.id, "entity": c.get("entity")}
		},
		texts: append(erpShared(),
			tmpl{srcERP, plain, `New customer ${cust} {signed|went live|converted from trial} {last week|on ${date}} but {has no customer record|isn't synced|is missing} in ${erp} (${entity}); ${inv} {is stuck|failed to post}.`},
			tmpl{srcBilling, note, `{cust not in erp|customer missing in ${erp_key}|no cust master} for ${cid} - {crm sync failed?|sync job skipped it|billing acct created manually}. ${inv} {pending|blocked}`},
			tmpl{srcERP, plain, `{CRM to ERP|Salesforce to ${erp}} customer sync {skipped|failed for} account ${cid} (${cust_short}): {missing billing address|duplicate tax id|missing subsidiary}. Downstream posting of ${inv} failed.`},
		),
	},
	{
		Cause:  Cause{Type: "erp_posting_failure", RootCause: "erp_timeout", Action: "retry_posting", Queue: "finance"},
		weight: 0.26, stake: stakeInvoice,
		params: func(c *recCtx) map[string]any { return map[string]any{"retry_after": c.get("retry_after")} },
		texts: append(erpShared(),
			tmpl{srcERP, plain, `{WARN|ERROR} erp-connector: ${erp} API {unavailable|degraded|slow} (${http_status}), ${n_fail} postings queued incl. ${inv}.`},
			tmpl{srcBilling, note, `${erp_key} {was down|flaky again|timing out} {last night|this morning|during the batch}, ${inv} {didnt post|never posted|not posted}. {just retry|retry should fix|needs a retry}`},
			tmpl{srcERP, plain, `Batch ${batch} to ${erp}: connection reset after ${ms} ms; {invoice|document} ${inv} left in state PENDING_POST ({attempt|try} ${attempt}).`},
		),
	},
}

// erpShared returns the templates every ERP cause shares; a fresh slice each
// time so that append above never aliases.
func erpShared() []tmpl {
	return []tmpl{
		{srcERP, plain, `${ts} ERROR erp-connector post_invoice invoice=${inv} erp=${erp_key} entity=${entity} code=${erp_code} msg="${erp_msg}"`},
		{srcERP, plain, `Posting of ${inv} {to|into} ${erp} {failed|was rejected}: ${erp_msg}`},
		{srcERP, plain, `erp-connector: \{"op":"{createInvoice|postJournal|upsertInvoice}","invoice":"${inv}","entity":"${entity}","status":"FAILED","error":\{"code":"${erp_code}","message":"${erp_msg}"\}\}`},
		{srcERP, plain, `Daily posting summary ${entity}: ${n_fail} of ${n_total} invoices failed. {First|Sample} failure: ${inv} - ${erp_msg}`},
	}
}

// erpMessages is each ERP's own wording per cause, as erp_msg renders it.
var erpMessages = map[string]map[string][]string{
	"missing_gl_mapping": {
		"netsuite": {`Invalid account reference key ${gl_num} for subsidiary ${entity}.`, `INVALID_KEY_OR_REF: Invalid account reference key ${gl_num}.`, `Please enter value(s) for: Income Account (item ${sku})`},
		"sap":      {`Account ${gl_num} does not exist in chart of accounts ${coa}`, `G/L account ${gl_num} is not defined in company code ${company}`, `No account determination for transaction ERL in company code ${company}`},
		"dynamics": {`Account number for transaction type Sales revenue does not exist.`, `Main account ${gl_num} is not valid for ledger ${entity}`, `The posting profile has no revenue account for item group ${sku}`},
	},
	"closed_accounting_period": {
		"netsuite": {`The accounting period ${period_name} is closed.`, `INVALID_PERIOD: Posting period ${period_name} is locked for A/R`},
		"sap":      {`Posting period ${per3} ${year} is not open`, `Period ${per3}/${year} closed for account type D in company code ${company}`},
		"dynamics": {`The date ${date_iso} is not within your range of allowed posting dates.`, `Fiscal period ${period_name} is on hold for module Sales`},
	},
	"customer_not_in_erp": {
		"netsuite": {`Invalid entity reference key ${cid}.`, `INVALID_KEY_OR_REF: Invalid customer reference key for externalId ${cid}.`},
		"sap":      {`Customer ${sap_cust} is not defined in company code ${company}`, `Business partner for external ID ${cid} not found`},
		"dynamics": {`Customer ${cid} does not exist.`, `The field Customer No. must have a value (source ${cid})`},
	},
	"erp_timeout": {
		"netsuite": {`SSS_REQUEST_TIME_EXCEEDED: The request has exceeded the maximum allowed time.`, `Read timed out after ${ms} ms`, `SSS_REQUEST_LIMIT_EXCEEDED: Request limit exceeded. Try again in ${retry_s}s.`},
		"sap":      {`HTTP 504 Gateway Timeout from /sap/opu/odata/sap/API_BILLING_DOCUMENT_SRV`, `RFC call timed out after ${ms} ms`, `ICM_HTTP_TIMEOUT: no response within ${ms} ms`},
		"dynamics": {`The operation has timed out.`, `HTTP 429: Rate limit is exceeded. Try again in ${retry_s} seconds.`, `HTTP 503 Service Unavailable`},
	},
}
