package email

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// cp1252High maps the bytes 0x80–0x9F of windows-1252 to runes. The five
// bytes windows-1252 leaves undefined map to the C1 control of the same
// value, as browsers do, and are stripped later with the other controls.
var cp1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// latin9 holds the eight code points where ISO-8859-15 differs from
// ISO-8859-1, the euro sign among them.
var latin9 = map[byte]rune{
	0xA4: 0x20AC, 0xA6: 0x0160, 0xA8: 0x0161, 0xB4: 0x017D,
	0xB8: 0x017E, 0xBC: 0x0152, 0xBD: 0x0153, 0xBE: 0x0178,
}

// decodeCP1252 decodes windows-1252. It is also used for ISO-8859-1 and
// US-ASCII labels: mail clients routinely label windows-1252 text that way,
// and the two agree on every printable Latin-1 character.
func decodeCP1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/4)
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xA0:
			sb.WriteRune(cp1252High[c-0x80])
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

// decodeLatin9 decodes ISO-8859-15.
func decodeLatin9(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/4)
	for _, c := range b {
		if r, ok := latin9[c]; ok {
			sb.WriteRune(r)
			continue
		}
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

// decodeUTF16 decodes UTF-16 honouring a byte order mark; without one it
// uses the order the label names, big-endian for a bare "utf-16" as RFC 2781
// says.
func decodeUTF16(b []byte, littleEndian bool) string {
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		littleEndian, b = true, b[2:]
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		littleEndian, b = false, b[2:]
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		lo, hi := b[2*i+1], b[2*i]
		if littleEndian {
			lo, hi = hi, lo
		}
		units[i] = uint16(hi)<<8 | uint16(lo)
	}
	return string(utf16.Decode(units))
}

// decodeCharset turns body bytes in the named charset into valid UTF-8.
// Unknown or missing labels are guessed: valid UTF-8 is kept, anything else
// is taken as windows-1252, the most common unlabelled 8-bit charset in mail.
func decodeCharset(b []byte, charset string) string {
	switch normCharset(charset) {
	case "utf8":
		return strings.ToValidUTF8(string(b), "\uFFFD")
	case "windows1252", "cp1252", "xcp1252", "iso88591", "latin1", "l1", "iso885911987", "cp819", "ibm819":
		return decodeCP1252(b)
	case "iso885915", "latin9", "l9":
		return decodeLatin9(b)
	case "utf16", "utf16be":
		return strings.ToValidUTF8(decodeUTF16(b, false), "\uFFFD")
	case "utf16le":
		return strings.ToValidUTF8(decodeUTF16(b, true), "\uFFFD")
	}
	if utf8.Valid(b) {
		return string(b)
	}
	return decodeCP1252(b)
}

// normCharset lower-cases a charset label and drops punctuation so that
// "ISO_8859-1", "iso-8859-1" and "ISO8859-1" compare equal.
func normCharset(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
