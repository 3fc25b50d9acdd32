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
	if c.Start.IsZero() {
		c.Start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	// Midnight UTC keeps invoice dates whole days, written as YYYY-MM-DD.
	c.Start = c.Start.UTC().Truncate(24 * time.Hour)
	if c.Days == 0 {
		c.Days = 365
	}
	return c
}

// maxYear keeps every generated time encodable: resolutions may land a few
// months after the window.
const maxYear = 9000

func (c Config) validate() error {
	switch {
	case c.Exceptions < 0 || c.Invoices < 0 || c.Customers < 0 || c.Days < 0:
		return errors.New("generate: counts and Days must not be negative")
	case c.Start.Year() < 1 || c.Start.AddDate(0, 0, c.Days).Year() > maxYear:
		return fmt.Errorf("generate: window must lie within years 1-%d", maxYear)
	}
	return nil
}
