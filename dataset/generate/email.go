package generate

import "strings"

// composeEmail wraps a body the way customer mail actually arrives: an
// optional subject line, greeting, opener, the body, a closing ask,
// sign-off and signature, sometimes a legal disclaimer, and sometimes the
// thread below it. Most of that is shared across causes and is noise to a
// matcher, which is the point.
func (c *recCtx) composeEmail(body string) string {
	var parts []string
	if c.r.chance(0.35) {
		parts = append(parts, c.expand("Subject: ${@subject}"))
	}
	parts = append(parts, c.expand("${@greeting}"))
	if c.r.chance(0.45) {
		body = c.expand("${@opener}") + " " + body
	}
	parts = append(parts, body)
	if c.r.chance(0.6) {
		parts = append(parts, c.expand("${@closing}"))
	}
	parts = append(parts, c.expand("${@signoff}\n${@signature}"))
	if c.r.chance(0.2) {
		parts = append(parts, c.expand("${@disclaimer}"))
	}
	if c.r.chance(0.35) {
		parts = append(parts, c.thread())
	}
	return strings.Join(parts, "\n\n")
}

// thread is the earlier message quoted under a reply: usually the vendor's
// acknowledgement, sometimes a colleague's forward, sometimes Outlook style.
func (c *recCtx) thread() string {
	switch c.r.IntN(5) {
	case 0:
		return c.expand("-----Original Message-----\nFrom: ${vendor} Billing <billing@${vendor_domain}>\nSent: ${quote_date}\nTo: ${email}\nSubject: {Re: |}Invoice ${inv}\n\n${@quoted_vendor}")
	case 1:
		header := c.expand("On ${quote_date}, ${new_contact} <${new_email}> wrote:")
		return header + "\n" + quoteLines(c.expand("${@quoted_colleague}\n\n${new_first}"))
	default:
		header := c.expand("On ${quote_date}, ${vendor} Billing <billing@${vendor_domain}> wrote:")
		return header + "\n" + quoteLines(c.expand("Hi ${first},\n\n${@quoted_vendor}\n\nBest,\n${agent}\n${vendor} Billing Support"))
	}
}

// quoteLines prefixes every line with "> " as mail clients do.
func quoteLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}
