package triage

import "strings"

// currencies are the active ISO 4217 currency codes (list one, as of 2025)
// that money is billed in. Left out on purpose: the fund codes (BOV, CHE,
// CHW, CLF, COU, MXV, USN, UYI, UYW), the precious metals, bond-market
// units, SDR, XSU and XUA, and the testing and no-currency codes XTS and
// XXX: none is an invoice currency, and accepting them would let a test
// or placeholder value pass as money. Withdrawn codes (HRK, SLL, ZWL) are
// out too. Update the table when ISO publishes an amendment.
var currencies = codeSet(`
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL
BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP
ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR
IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG`)

func codeSet(list string) map[string]bool {
	set := make(map[string]bool)
	for _, c := range strings.Fields(list) {
		set[c] = true
	}
	return set
}

// ValidCurrency reports whether s is an active ISO 4217 currency code
// money is billed in (see currencies), written in upper case as the
// standard does.
func ValidCurrency(s string) bool {
	return currencies[s]
}
