package generate

import (
	"errors"
	"fmt"
	"time"
)

// Config sizes a synthetic world. Zero fields take defaults (see
// withDefaults); Seed 0 is a seed like any other.
type Config struct {
	Seed       int64
	Exceptions int       // exception records; default 2000
	Invoices   int       // invoices; default 1000
	Customers  int       // customers; default max(50, Invoices/20)
	Start      time.Time // first day of the window, used in UTC; default 2025-01-01
	Days       int       // window length in days; default 365

	// End, when set, is the instant the window closes instead of Start
	// plus Days, so that a history can end now: Start becomes the
	// midnight Days days before End's day closes, and End's own day gets
	// invoices and exceptions up to End. Set Start or End, not both.
	End time.Time
	// Open leaves the history unfinished at the window's close, as a live
	// system's is: the newest Open records, and any record resolved at or
	// after the close, come without a resolution. Zero keeps every record
	// labelled.
	Open int
	// Incidents seeds the incidents of incidents.go (bursts of one cause
	// confined to one product, region or entity); off, the output is
	// exactly what it was without them.
	Incidents bool

	// Progress, when set, is called as exceptions are drafted, with how
	// many are done of how many. It does not change the output.
	Progress func(done, total int)

	// Mislabel, when its After is set, makes the labels of the records that
	// occur from then on drift (see Mislabel). The zero value changes
	// nothing, so the default output stays the same bytes.
	Mislabel Mislabel
}

// withDefaults fills zero fields. Customers scale with invoices so that each
// customer has a payment history long enough to show its reliability.
func (c Config) withDefaults() Config {
	if c.Exceptions == 0 {
		c.Exceptions = 2000
	}
	if c.Invoices == 0 {
		c.Invoices = 1000
	}
	if c.Customers == 0 {
		c.Customers = max(50, c.Invoices/20)
	}
	if c.Days == 0 {
		c.Days = 365
	}
	if c.Start.IsZero() && !c.End.IsZero() {
		// End's day is the window's last whole day of invoices, so the
		// newest records can be minutes old.
		c.End = c.End.UTC()
		c.Start = ceilDay(c.End).AddDate(0, 0, -c.Days)
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	// Midnight UTC keeps invoice dates whole days, written as YYYY-MM-DD.
	c.Start = c.Start.UTC().Truncate(24 * time.Hour)
	return c
}

// end is the first instant after the window.
func (c Config) end() time.Time {
	if !c.End.IsZero() {
		return c.End
	}
	return c.Start.AddDate(0, 0, c.Days)
}

// ceilDay is the first midnight UTC at or after t.
func ceilDay(t time.Time) time.Time {
	d := t.Truncate(24 * time.Hour)
	if d.Before(t) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// maxYear keeps every generated time encodable: resolutions may land a few
// months after the window.
const maxYear = 9000

// validate checks a Config after withDefaults; raw is the Config as given,
// before defaults hid which of Start and End were set.
func (c Config) validate(raw Config) error {
	switch {
	case c.Exceptions < 0 || c.Invoices < 0 || c.Customers < 0 || c.Days < 0 || c.Open < 0:
		return errors.New("generate: counts, Days and Open must not be negative")
	case !raw.Start.IsZero() && !raw.End.IsZero():
		return errors.New("generate: set Start or End, not both")
	case c.Start.Year() < 1 || c.Start.AddDate(0, 0, c.Days).Year() > maxYear:
		return fmt.Errorf("generate: window must lie within years 1-%d", maxYear)
	}
	return c.Mislabel.validate()
}
