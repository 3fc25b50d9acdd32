package generate

import (
	"fmt"
	"strconv"
	"time"
)

// seatPriceUSD is the list price per seat for each tier's plans.
var seatPriceUSD = [...]float64{15, 29, 59}

func pricingVars() map[string]func(*recCtx) string {
	return map[string]func(*recCtx) string{
		"pct":    func(c *recCtx) string { return strconv.Itoa(pick(c.r, []int{5, 10, 12, 15, 20, 25, 30})) },
		"uplift": func(c *recCtx) string { return strconv.Itoa(pick(c.r, []int{3, 5, 7, 8, 10, 12, 15})) },
		"promo": func(c *recCtx) string {
			return fmt.Sprintf("%s%d", pick(c.r, []string{"LAUNCH", "RAMP", "PARTNER", "EDU"}), c.r.between(10, 30))
		},
		"price_book":       func(c *recCtx) string { return c.subscription().book },
		"price_book_wrong": wrongPriceBook,
		// The book the billing system shows on the record.
		"price_book_seen": func(c *recCtx) string {
			if c.cause.RootCause == "wrong_price_book" {
				return c.get("price_book_wrong")
			}
			return c.get("price_book")
		},
		"unit_price_exp": func(c *recCtx) string { return c.money(c.seatPrice()) },
		"unit_price":     func(c *recCtx) string { return c.money(c.billedSeatPrice()) },
		"change_date": func(c *recCtx) string {
			d := c.inv.IssuedAt.Add(-time.Duration(c.r.between(3, 25)) * 24 * time.Hour)
			return formatDay(c.r, d, c.cust.country.region)
		},
		"seats_old": func(c *recCtx) string { return strconv.Itoa(c.r.between(5, 400)) },
		"seats_new": func(c *recCtx) string { return strconv.Itoa(int(c.num("seats_old")) + int(c.num("seats_add"))) },
		"seats_add": func(c *recCtx) string { return strconv.Itoa(c.r.between(1, 60)) },
		"days_in":   func(c *recCtx) string { return strconv.Itoa(pick(c.r, []int{28, 30, 31})) },
		"days_used": func(c *recCtx) string { return strconv.Itoa(c.r.between(1, int(c.num("days_in"))-1)) },
	}
}

// wrongPriceBook is a stale or generic book, never the right one.
func wrongPriceBook(c *recCtx) string {
	var books []string
	for _, b := range []string{fmt.Sprintf("PB-%d-%s", c.inv.IssuedAt.Year()-1, c.inv.Currency), "PB-USD-LIST", "PB-LEGACY-2023"} {
		if b != c.get("price_book") {
			books = append(books, b)
		}
	}
	return pick(c.r, books)
}

func (c *recCtx) seatPrice() float64 {
	return seatPriceUSD[c.cust.tier] * fxPerUSD[c.inv.Currency]
}

// billedSeatPrice is the price the invoice used, consistent with the
// percentage the same text quotes.
func (c *recCtx) billedSeatPrice() float64 {
	switch c.cause.RootCause {
	case "discount_not_applied":
		return c.seatPrice() / (1 - c.num("pct")/100)
	case "price_increase_dispute", "price_uplift_not_communicated":
		return c.seatPrice() * (1 + c.num("uplift")/100)
	}
	return c.seatPrice() * (1 + c.absStake()/max(c.inv.Amount-c.absStake(), 1))
}
