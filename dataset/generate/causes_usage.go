package generate

// usageCauses: metered usage and billed quantities disagree. Several causes
// share the same reconciliation alert, as a real pipeline would raise it, and
// only its explanation differs.
var usageCauses = []cause{
	{
		Cause:  Cause{Type: "usage_mismatch", RootCause: "usage_late_arrival", Action: "rerate_usage_period", Queue: "revops"},
		weight: 0.24, stake: stakeUnder,
		params: func(c *recCtx) map[string]any {
			return map[string]any{"period": c.get("period"), "meter": c.get("meter")}
		},
		texts: []tmpl{
			{srcUsage, plain, `{WARN|WARNING} late_events meter=${meter} account=${acct} period=${period} events_after_close=${n} first_ingest=${ts} invoice=${inv}`},
			{srcUsage, plain, `Usage reconciliation for ${cust}: ${n} ${meter} events {arrived|were ingested|landed} {after the ${period} billing cutoff|after period close|${days} days after the period closed} and were not rated on ${inv}.${@tail}`},
			{srcBilling, note, `{late usage|usage came in late|late arriving usage|late usage events} for ${cust_short} - ${period} {already invoiced|was already closed|closed before the events came in}, ${inv} {understated|short|underbilled} by ~${delta}. {need rerate|rerate pls|pls rerate the period|can revops rerate?}`},
			{srcBilling, plain, `ALERT usage_total_mismatch: billed ${qty_billed} vs metered ${qty_metered} ${unit} of ${meter} for ${cid} (${period}). {Difference|Delta|Gap} {is explained by|matches} events with ingest_ts > period_end.`},
			{srcUsage, plain, `{Backfill|Replay} from {the Kafka replay|the collector outage|a delayed S3 export|the edge region} delivered ${n} ${meter} records dated ${period} for account ${acct}; invoice ${inv} was {finalized|issued|closed} {before|prior to} {ingest|load}.`},
			{srcUsage, plain, `usage-pipeline ERROR \{"event":"late_arrival","meter":"${meter}","account_key":"${acct}","period":"${period}","late_count":${n},"invoice":"${inv}"\}`},
			{srcBilling, note, `{CSM|AE|${owner}} {flagged|says|reports} ${inv} {is missing|doesn't include|leaves out} {usage from the last days of|end-of-month usage for} ${month}; {pipeline|ingest logs|warehouse} shows {events|records} {landed|arrived} on ${date}, after {close|the invoice run}.${@please}`},
		},
	},
	{
		Cause: Cause{Type: "usage_mismatch", RootCause: "unmapped_usage_account", Action: "map_usage_account", Queue: "revops"},
		// The most common usage cause: the history needs many account
		// corrections to learn from.
		weight: 0.40, stake: stakeUnder,
		params: func(c *recCtx) map[string]any {
			return map[string]any{"account_key": c.get("acct"), "customer_id": c.cust.idAt(c.at)}
		},
		correct: func(c *recCtx) correction {
			key := c.get("acct")
			return correction{field: fieldAccount, key: key, from: key, to: c.cust.idAt(c.at)}
		},
		texts: []tmpl{
			{srcUsage, plain, `usage-pipeline WARN unmapped_account account_key=${acct} meter=${meter} events=${n} period=${period} - no billing account mapping`},
			{srcUsage, plain, `${n} ${meter} events from account key ${acct} {could not be matched to|have no mapping to} a billing account; {they were dropped from rating|not rated} for ${period}.`},
			{srcUsage, plain, `usage-pipeline ERROR \{"event":"rating_skipped","reason":"UNKNOWN_ACCOUNT","account_key":"${acct}","meter":"${meter}","count":${n}\}`},
			{srcBilling, note, `{unmapped acct|acct key not mapped|orphan usage} ${acct} - {looks like|prob} ${cust_short}{ (new workspace?)| after SSO migration|}. ${inv} {missing usage|underbilled}`},
			{srcBilling, plain, `ALERT usage_total_mismatch: billed ${qty_billed} vs metered ${qty_metered} ${unit} of ${meter} for ${cid} (${period}). {Unattributed|Unassigned} usage on key ${acct}.`},
			{srcUsage, plain, `{New|Secondary} {workspace|tenant|project} ${acct} created by ${cust} {is not linked|isn't linked} to {its|the} billing account; usage {accrues|piles up} {unbilled|as orphaned}.${@tail}`},
			{srcUsage, plain, `Reconciliation: ${n} ${unit} {orphaned|unattributed} under ${acct} in ${period}.${@please}`},
			// The key is only in the event payload (the attributes).
			{srcUsage, plain, `{Orphaned|Unattributed} ${meter_label} usage in ${period}: ${n} ${unit} {not rated|left unbilled}, {no billing account matches the account key|the account key maps to no billing account}.`},
		},
	},
	{
		Cause:  Cause{Type: "usage_mismatch", RootCause: "duplicate_usage_events", Action: "dedupe_usage_events", Queue: "revops"},
		weight: 0.20, stake: stakeOver,
		params: func(c *recCtx) map[string]any {
			return map[string]any{"meter": c.get("meter"), "period": c.get("period")}
		},
		texts: []tmpl{
			{srcUsage, plain, `usage-pipeline WARN duplicate_events meter=${meter} account=${acct} batch=${batch} dup_count=${n} period=${period}`},
			{srcBilling, plain, `ALERT usage_total_mismatch: billed ${qty_billed} vs metered ${qty_metered} ${unit} of ${meter} for ${cid} (${period}). {Same event ids counted twice|Duplicate idempotency keys in batch ${batch}}.`},
			{srcUsage, plain, `Batch ${batch} was {replayed|re-sent|ingested twice} {by the collector|after a retry|during failover}; ${n} ${meter} events {double counted|billed twice} on ${inv}.`},
			{srcUsage, plain, `\{"event":"dedupe_check_failed","meter":"${meter}","account_key":"${acct}","batch":"${batch}","duplicates":${n},"invoice":"${inv}"\}`},
			{srcBilling, note, `{dupe usage|dup events|double counted usage} for ${cust_short} - {retry storm|replay} on ${date}, ${inv} {overbilled|too high} by ${delta}`},
			{srcBilling, plain, `Customer {dashboard|portal} shows ${qty_metered} ${unit} for ${month} but ${inv} bills ${qty_billed}; {ingest|pipeline} logs show {repeated|identical} event ids.${@please}`},
			{srcUsage, plain, `{Idempotency|Dedup} window {misconfigured|too short} on ${meter} {collector|stream}: ${n} duplicates for ${acct} in ${period}.${@tail}`},
		},
	},
	{
		Cause:  Cause{Type: "usage_mismatch", RootCause: "meter_unit_mismatch", Action: "fix_meter_conversion", Queue: "revops"},
		weight: 0.16, stake: stakeOver,
		params: func(c *recCtx) map[string]any {
			return map[string]any{"meter": c.get("meter"), "from_unit": c.get("unit_wrong"), "to_unit": c.get("unit")}
		},
		texts: []tmpl{
			{srcUsage, plain, `usage-pipeline WARN unit_mismatch meter=${meter} reported_unit=${unit_wrong} price_unit=${unit} account=${acct}`},
			{srcBilling, plain, `ALERT usage_total_mismatch: billed ${qty_billed} vs metered ${qty_metered} ${unit} of ${meter} for ${cid} (${period}). {Ratio looks like a unit conversion|Off by a factor of ${factor}}.`},
			{srcUsage, plain, `${meter} for ${acct} is {reported|sent} in ${unit_wrong} but {priced|rated} per ${unit}; ${inv} is off by {a factor of ${factor}|x${factor}}.`},
			{srcBilling, note, `{unit mixup|units wrong|meter units off} on ${meter} - ${unit_wrong} vs ${unit}, ${cust_short} ${inv} {way too high|off by ${factor}x|looks crazy}`},
			{srcUsage, plain, `\{"event":"conversion_check","meter":"${meter}","from_unit":"${unit_wrong}","to_unit":"${unit}","factor":${factor},"account_key":"${acct}"\}`},
			{srcUsage, plain, `After the {SDK|agent} upgrade to v${ver}, ${meter} {is emitted|reports} in ${unit_wrong} instead of ${unit}; {rated|billed} quantities for ${period} {are|look} ${factor}x {off|wrong}.`},
			{srcBilling, note, `Customer {says|reports} ${inv} shows ${qty_billed} ${unit} of ${meter} {but they|while they} only used ${qty_metered}. {Probably a conversion bug|Looks like a unit issue}.${@please}`},
		},
	},
}
