package generate

// fragments are shared pieces used by templates of every cause, through
// ${@name}. They are deliberately cause-neutral: the same asks, tails and
// e-mail furniture appear everywhere, so a matcher can't lean on them.
var fragments = map[string][]string{
	// please is an ask that ends a note; it starts with a space when present.
	"please": {
		"", " Please check.", " Please advise.", " Can someone take a look?", " pls check", " Thanks!",
		" Any help appreciated.", " Let me know.", " Please look into it.", " {Urgent|Needed} before {month-end|the next run}.",
	},
	// tail adds account context; it starts with a space when present.
	"tail": {
		"", "", " Customer is on ${plan}.", " Account owner: ${owner}.", " Invoice total ${amt}.", " See ticket ${ticket}.",
		" Customer since ${since_year}.", " ${cust_short} is a {strategic|key|top 50} account.", " Invoice due ${due_date}.",
		" {AR|Open} balance ${amt}.", " cc ${owner}",
	},
	"greeting": {
		"Hi ${vendor} {Billing|team|billing team},", "Hello,", "Dear Sir or Madam,", "Hi team,", "Hi ${agent},",
		"Good morning,", "Dear ${vendor} Support,", "Hi there,", "Hello ${vendor} team,",
	},
	"opener": {
		"Hope you're well.", "I hope this email finds you well.", "Following up on my earlier email.",
		"I'm reaching out about {invoice|inv} ${inv}.", "{I'm writing on behalf of|Writing for} ${cust}.", "Quick question on our account ${cid}.",
	},
	"closing": {
		"Could you please look into this and let me know?", "Please advise at your earliest convenience.",
		"Appreciate a quick turnaround as our AP run is on {Friday|Thursday|the 25th}.",
		"Let me know if you need anything else from our side.", "Thanks in advance for your help.", "Looking forward to your reply.",
	},
	"signoff": {"Thanks,", "Best regards,", "Kind regards,", "Cheers,", "Regards,", "Many thanks,", "Best,", "Thank you,"},
	"signature": {
		"${first} ${last}\n${title}\n${cust}\n${phone}",
		"${first}\n\n--\n${first} ${last} | ${title} | ${cust}\nT: ${phone} | ${email}",
		"${first} ${last}\n${title}, ${cust_short}\nM: ${phone}\n${web}",
		"${first} ${last}\n{${title}|Finance}\n${cust}\n{Tel|Phone|Direct}: ${phone}\n${email}",
		"${first}\n\nSent from my iPhone",
	},
	"disclaimer": {
		"CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and may be privileged. If you are not the intended recipient, please notify the sender and delete it.",
		"This email and any files transmitted with it are confidential and intended solely for the use of the individual or entity to whom they are addressed.",
		"Please consider the environment before printing this email.",
		"${cust} is registered in ${region}. {The information in this message is confidential.|This message may contain confidential information.}",
	},
	"quoted_vendor": {
		"Thanks for contacting ${vendor} Billing. We've logged your request under ticket ${ticket} and will get back to you within 2 business days.",
		"Thank you for your message. A member of our billing team will review invoice ${inv} and respond shortly.",
		"Could you please send us the invoice number and a short description of the issue?",
		"We have received your email and created case ${ticket}.",
	},
	"quoted_colleague": {
		"Can you {handle|deal with} this? Not sure what's going on with ${inv}.",
		"Forwarding as discussed, please reply to ${vendor} directly.",
		"FYI - see below, this is holding up our {payment run|month-end close}.",
	},
	"subject": {
		"Invoice ${inv}", "Re: Invoice ${inv}", "Billing question", "Query regarding {our|the} ${month} invoice",
		"{Urgent|Important}: ${cust_short} account", "{Issue|Problem} with invoice ${inv}", "Account ${cid}", "RE: ${inv} - {billing|invoice} query",
	},
}
