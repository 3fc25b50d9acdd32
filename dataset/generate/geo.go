package generate

// country holds what a customer's location decides: region, currency, the
// selling entity and its ERP, tax vocabulary, and how phone numbers and legal
// names look. Keeping it in one table keeps them consistent with each other.
type country struct {
	code, region, currency string
	entity, erp            string
	juris                  []string // tax jurisdictions within the country
	taxName, taxIDLabel    string
	phone                  string // '#' is replaced by a digit
	legal                  []string
	tld                    string
	weight                 float64
}

var countries = []country{
	{"US", "NA", "USD", "US01", "netsuite", []string{"US-CA", "US-TX", "US-NY", "US-WA", "US-IL", "US-FL"}, "sales tax", "resale certificate", "+1 ###-555-0###", []string{"Inc.", "LLC", "Corp."}, "com", 30},
	{"CA", "NA", "CAD", "CA01", "netsuite", []string{"CA-ON", "CA-BC", "CA-QC"}, "GST/HST", "GST/HST number", "+1 ###-555-0###", []string{"Inc.", "Ltd."}, "ca", 5},
	{"DE", "EMEA", "EUR", "DE01", "sap", []string{"DE"}, "VAT", "USt-IdNr.", "+49 30 #######", []string{"GmbH", "AG"}, "de", 8},
	{"FR", "EMEA", "EUR", "FR01", "sap", []string{"FR"}, "TVA", "VAT number", "+33 1 ## ## ## ##", []string{"SAS", "SA"}, "fr", 5},
	{"NL", "EMEA", "EUR", "NL01", "sap", []string{"NL"}, "BTW", "BTW-nummer", "+31 20 ### ####", []string{"B.V."}, "nl", 4},
	{"GB", "EMEA", "GBP", "UK01", "dynamics", []string{"GB"}, "VAT", "VAT registration number", "+44 20 #### ####", []string{"Ltd", "plc"}, "co.uk", 8},
	{"IE", "EMEA", "EUR", "IE01", "dynamics", []string{"IE"}, "VAT", "VAT number", "+353 1 ### ####", []string{"Ltd", "DAC"}, "ie", 2},
	{"ES", "EMEA", "EUR", "ES01", "sap", []string{"ES"}, "IVA", "NIF", "+34 91 ### ## ##", []string{"S.L.", "S.A."}, "es", 3},
	{"SE", "EMEA", "EUR", "SE01", "dynamics", []string{"SE"}, "moms", "VAT number", "+46 8 ### ### ##", []string{"AB"}, "se", 2},
	{"AU", "APAC", "AUD", "AU01", "netsuite", []string{"AU"}, "GST", "ABN", "+61 2 #### ####", []string{"Pty Ltd"}, "com.au", 6},
	{"JP", "APAC", "JPY", "JP01", "sap", []string{"JP"}, "consumption tax", "registration number (T-number)", "+81 3-####-####", []string{"K.K.", "G.K."}, "jp", 4},
	{"SG", "APAC", "USD", "SG01", "netsuite", []string{"SG"}, "GST", "GST registration number", "+65 #### ####", []string{"Pte. Ltd."}, "sg", 3},
	{"BR", "LATAM", "USD", "BR01", "dynamics", []string{"BR-SP", "BR-RJ"}, "ISS", "CNPJ", "+55 11 9####-####", []string{"Ltda."}, "com.br", 4},
	{"MX", "LATAM", "USD", "MX01", "netsuite", []string{"MX"}, "IVA", "RFC", "+52 55 #### ####", []string{"S.A. de C.V."}, "mx", 3},
	{"CL", "LATAM", "USD", "CL01", "dynamics", []string{"CL"}, "IVA", "RUT", "+56 2 #### ####", []string{"SpA"}, "cl", 2},
}

// taxRates are standard rates in percent, close to real ones.
var taxRates = map[string]float64{
	"US-CA": 7.25, "US-TX": 6.25, "US-NY": 4, "US-WA": 6.5, "US-IL": 6.25, "US-FL": 6,
	"CA-ON": 13, "CA-BC": 12, "CA-QC": 14.975,
	"DE": 19, "FR": 20, "NL": 21, "GB": 20, "IE": 23, "ES": 21, "SE": 25,
	"AU": 10, "JP": 10, "SG": 9, "BR-SP": 5, "BR-RJ": 5, "MX": 16, "CL": 19,
}

// fxPerUSD converts the USD-denominated size model into invoice currencies.
var fxPerUSD = map[string]float64{"USD": 1, "EUR": 0.92, "GBP": 0.79, "CAD": 1.36, "AUD": 1.52, "JPY": 150}

// regionLateness shifts the log-odds of paying late: collection norms differ.
var regionLateness = map[string]float64{"NA": 0, "EMEA": 0.15, "APAC": 0.3, "LATAM": 0.7}

// erpNames are how people write the ERP keys in prose.
var erpNames = map[string][]string{
	"netsuite": {"NetSuite", "Oracle NetSuite", "NS"},
	"sap":      {"SAP", "SAP S/4HANA", "S/4"},
	"dynamics": {"Dynamics 365", "D365", "Business Central"},
}
