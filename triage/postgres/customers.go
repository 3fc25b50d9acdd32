package postgres

import "context"

const customerByDomainSQL = `SELECT coalesce((SELECT customer_id FROM exceptions
	WHERE attributes->>'sender_domain' = lower($1) AND customer_id <> ''
	GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1), '')`

// CustomerByDomain returns the customer most often seen on earlier
// exceptions from the email domain, "" when none.
func (s *Store) CustomerByDomain(ctx context.Context, domain string) (string, error) {
	var c string
	err := s.db.Pool.QueryRow(ctx, customerByDomainSQL, domain).Scan(&c)
	return c, translate(err)
}
