package triage

import "context"

// Related is what else is known about an exception's customer and invoice:
// their other items (with each item's latest risk, a cheap risk history)
// and the customer's invoices.
type Related struct {
	// Items are the other exceptions of the customer or the invoice, newest
	// first, in the queues the reader may see (unrouted ones for admin and
	// analyst only).
	Items []QueueItem
	// Hidden counts the related items in queues the reader may not see, so
	// the page can say there are more without showing them.
	Hidden   int
	Invoices []Invoice
}

// Related limits: a panel, not a report.
const (
	relatedItemsLimit    = 20
	relatedInvoicesLimit = 12
)

// Related returns the customer's and invoice's other items and the
// customer's invoices, if p may see exception id.
func (s *Service) Related(ctx context.Context, p Principal, id int64) (Related, error) {
	ex, err := s.visible(ctx, p, id)
	if err != nil {
		return Related{}, err
	}
	var out Related
	if ex.CustomerID == "" && ex.InvoiceID == "" {
		return out, nil
	}
	items, err := s.store.RelatedItems(ctx, ex.CustomerID, ex.InvoiceID, ex.ID, relatedItemsLimit)
	if err != nil {
		return out, err
	}
	for _, it := range items {
		if p.CanSee(it.Queue) {
			out.Items = append(out.Items, it)
		} else {
			out.Hidden++
		}
	}
	out.Invoices, err = s.store.RelatedInvoices(ctx, ex.CustomerID, ex.InvoiceID, relatedInvoicesLimit)
	return out, err
}
