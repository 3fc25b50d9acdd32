package generate

// otherCauses are routine requests that land in the same inbox.
var otherCauses = []cause{
	{
		Cause:  Cause{Type: "other", RootCause: "billing_contact_update", Action: "update_billing_contact", Queue: "support"},
		weight: 0.35, stake: stakeNone,
		params: func(c *recCtx) map[string]any { return map[string]any{"email": c.get("new_email")} },
		texts: []tmpl{
			{srcSupport, mail, `Please {update|change} our billing contact to ${new_contact} (${new_email}) {effective immediately|from next month}. ${old_first} has left the company.`},
			{srcSupport, mail, `{Invoices|Your invoices} {are going|keep going} to {someone who left|an old address|the wrong mailbox}. Please send future invoices to ${new_email}.`},
			{srcSupport, mail, `{Kindly|Please} {update|correct} the billing address on our account ${cid}: {we moved to|new address:} ${address}. Invoices should go to ${new_email}.`},
			{srcSupport, mail, `{Can you add|Please add} ${new_email} to the {invoice|billing} distribution list {for|on} account ${cid}?`},
			{srcSupport, mail, `{New AP contact|Change of AP contact} for ${cust}: ${new_contact}, ${new_title}, ${new_email}.${@please}`},
			{srcSupport, mail, `{Our company name changed|We rebranded} to ${cust} - {please update the invoices|invoices should show the new legal name}. {Billing contact is now|Please copy} ${new_email}.`},
		},
	},
	{
		Cause:  Cause{Type: "other", RootCause: "invoice_copy_request", Action: "resend_invoice", Queue: "support"},
		weight: 0.35, stake: stakeNone,
		params: func(c *recCtx) map[string]any { return map[string]any{"invoice_id": c.inv.InvoiceID} },
		texts: []tmpl{
			{srcSupport, mail, `{Could you|Can you} {resend|send us a copy of} invoice ${inv}? {We can't find it|It never arrived|Our AP system didn't receive it}.`},
			{srcSupport, mail, `{Please|Pls} send {a PDF of |}${inv} {and|plus} the {credit note|statement} for ${month}.`},
			{srcSupport, mail, `{Our auditors need|We need for audit} copies of all invoices for ${year}, {starting with|including} ${inv}.`},
			{srcSupport, mail, `{I can't download|The portal won't let me download} ${inv} - {link expired|error 403|blank page}. {Can you email it?|Please email it instead.}`},
			{srcSupport, mail, `{Requesting|Request:} {duplicate|copy of} invoice ${inv} (${amt}) for ${cust_short}.`},
			{srcSupport, mail, `{Could|Would} you {please |}{re-send|resend} {the latest|last month's} invoice {to ${new_email}|to me directly}?${@please}`},
		},
	},
	{
		Cause:  Cause{Type: "other", RootCause: "po_number_required", Action: "reissue_invoice_with_po", Queue: "finance"},
		weight: 0.30, stake: stakeInvoice,
		params: func(c *recCtx) map[string]any { return map[string]any{"po_number": c.get("po")} },
		texts: []tmpl{
			{srcSupport, mail, `{Our AP|Accounts payable} {rejected|cannot process} ${inv} because it {has no|doesn't show our} PO number. Please reissue with PO ${po}.`},
			{srcSupport, mail, `{All|Any} invoices to ${cust} must {reference|include} {a valid|our} purchase order. {PO ${po} covers this subscription.|Please use PO ${po}.}`},
			{srcSupport, mail, `${inv} {was returned|bounced} from our {Coupa|Ariba|procurement portal}: {missing PO|PO required|invalid PO}. The correct PO is ${po}.${@please}`},
			{srcSupport, mail, `{New|Renewed} PO ${po} issued for ${year}; {please|kindly} {update|add it to} ${inv} and {future|all future} invoices.`},
			{srcBilling, note, `${cust_short} needs po on invoice, {reissue|re-issue} ${inv} w/ ${po}`},
			{srcSupport, mail, `{Invoice ${inv} is on hold|Payment for ${inv} is blocked} {pending|until we receive} {a corrected invoice|a version} with PO ${po}.`},
		},
	},
}
