package email

import (
	"strings"
	"time"
)

// monthNames maps lower-case month names and abbreviations in English,
// French and German, the languages of the reply headers recognised, to
// months.
var monthNames = map[string]time.Month{
	"january": 1, "jan": 1, "janvier": 1, "janv": 1, "januar": 1,
	"february": 2, "feb": 2, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "februar": 2,
	"march": 3, "mar": 3, "mars": 3, "märz": 3, "maerz": 3, "mär": 3,
	"april": 4, "apr": 4, "avril": 4, "avr": 4,
	"may": 5, "mai": 5,
	"june": 6, "jun": 6, "juin": 6, "juni": 6,
	"july": 7, "jul": 7, "juillet": 7, "juil": 7, "juli": 7,
	"august": 8, "aug": 8, "août": 8, "aout": 8,
	"september": 9, "sep": 9, "sept": 9, "septembre": 9,
	"october": 10, "oct": 10, "octobre": 10, "oktober": 10, "okt": 10,
	"november": 11, "nov": 11, "novembre": 11,
	"december": 12, "dec": 12, "décembre": 12, "decembre": 12, "déc": 12, "dezember": 12, "dez": 12,
}

// ambiguousMonths are month names that are also common English words;
// they count as months only when capitalised.
var ambiguousMonths = map[string]bool{"may": true, "march": true}

// lookupMonth returns the month a name as written denotes, honouring the
// capitalisation rule for ambiguous names.
func lookupMonth(written string) (time.Month, bool) {
	if len(written) < 3 || len(written) > len("septembre") {
		return 0, false // no month name is shorter or longer; saves ToLower
	}
	lower := strings.ToLower(written)
	m, ok := monthNames[lower]
	if !ok || (ambiguousMonths[lower] && written == lower) {
		return 0, false
	}
	return m, true
}
