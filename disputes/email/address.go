package email

import (
	"io"
	"mime"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// wordDecoder decodes RFC 2047 encoded words in every charset decodeCharset
// knows, not only the three the standard library handles itself.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBytes))
	return strings.NewReader(decodeCharset(b, charset)), err
}}

// addressParser parses RFC 5322 address lists with that decoder.
var addressParser = &mail.AddressParser{WordDecoder: wordDecoder}

// maxRecipients bounds the recipients kept from one header.
const maxRecipients = 100

// decodeHeader decodes encoded words and raw 8-bit bytes in a header value
// and makes it one clean line.
func decodeHeader(v string) string {
	if !utf8.ValidString(v) {
		v = decodeCharset([]byte(v), "")
	}
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		v = d
	}
	return oneLine(v)
}

// parseAddress reads one mailbox. Pasted headers are often not RFC 5322
// ("Jane Doe [mailto:jane@example.com]", unquoted commas, no address at
// all), so when strict parsing fails the address is found by pattern and
// the rest taken as the name.
func parseAddress(v string) Address {
	if a, err := addressParser.Parse(v); err == nil {
		return Address{Name: oneLine(a.Name), Address: a.Address}
	}
	v = decodeHeader(v)
	loc := addressRe.FindStringIndex(v)
	if loc == nil {
		return Address{Name: strings.Trim(v, ` "'`)}
	}
	name := v[:loc[0]] + " " + v[loc[1]:]
	name = strings.NewReplacer("[mailto:", " ", "mailto:", " ").Replace(name)
	name = strings.Trim(oneLine(name), ` "'<>[]()`)
	return Address{Name: name, Address: v[loc[0]:loc[1]]}
}

// parseAddressList reads a recipient list, strictly if possible and
// otherwise split on ';' (Outlook's separator) or, when it names several
// addresses, on ','.
func parseAddressList(v string) []Address {
	if list, err := addressParser.ParseList(v); err == nil {
		out := make([]Address, 0, min(len(list), maxRecipients))
		for _, a := range list[:min(len(list), maxRecipients)] {
			out = append(out, Address{Name: oneLine(a.Name), Address: a.Address})
		}
		return out
	}
	sep := ";"
	if !strings.Contains(v, ";") && strings.Count(v, "@") > 1 {
		sep = ","
	}
	var out []Address
	for _, item := range strings.Split(v, sep) {
		if len(out) == maxRecipients {
			break
		}
		if strings.TrimSpace(item) != "" {
			out = append(out, parseAddress(item))
		}
	}
	return out
}
