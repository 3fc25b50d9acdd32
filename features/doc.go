// Package features turns invoices (triage.Invoice) into the numeric rows
// the collection-risk model (models/risk) is trained on and scored with;
// the text features of the embedder and the classifier are its subpackage
// text. It is pure and deterministic: the same invoices, time and options
// always give the same bits.
//
// # What is known at scoring time
//
// A row describes one invoice as it can be seen at a time at (its issue
// date when training, the moment of scoring in the service). It uses
//
//   - the invoice's own fields: amount (converted to USD, and its log),
//     payment terms (due minus issued, in days), currency, region and the
//     disputed flag. The flag is taken as known: the service scores an
//     invoice when an exception is raised on it, by which time a dispute is
//     on record. Source data rarely says when a dispute was raised, so on
//     training data this is an optimistic assumption;
//   - the number of open exceptions on the customer, as given by the caller;
//   - the customer's history: the customer's other invoices issued strictly
//     before at, each in the state it was in at at.
//
// A past invoice is in one of three states at time at:
//
//   - settled: paid strictly before at. Its whole outcome is known: how many
//     days late it was paid, whether it was late (more than LateDays after
//     due) and whether it was disputed;
//   - overdue: not paid before at (unpaid, or paid at or after at) and its
//     due date plus LateDays is strictly before at. It is certain to count
//     as late whatever happens next, and it has been late for at − due so far;
//   - pending: neither. Its outcome is not known yet and it is left out.
//
// Nothing else about a past invoice is used: in particular a payment made
// at or after at is invisible, and a dispute flag counts only once the
// invoice is settled, because the data does not say when it was raised.
// TestNoLeakage checks this by shuffling the outcomes of later invoices.
//
// # Rows
//
// Names lists the columns in order; FeatureHash names that list and the
// definitions behind it, so that a stored model built for other columns can
// be refused. Build computes one row, BuildAll computes the row of every
// invoice at its issue date in O(n log n), Label gives the outcome the model
// learns, Explain puts one column of a row into words, and ConvertIBM reads
// the IBM accounts-receivable sample into the project's invoice format.
package features
