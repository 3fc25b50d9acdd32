package email

import "errors"

// MaxBytes is the largest input Parse accepts. Dispute e-mails are a few
// kilobytes; anything near this size is a paste of a whole thread or an
// attachment, and the cap keeps every stage of parsing cheap.
const MaxBytes = 256 << 10

// ErrTooLarge is returned, wrapped with the sizes, for input over MaxBytes;
// test for it with errors.Is. An API maps it to 413 Content Too Large.
var ErrTooLarge = errors.New("email: e-mail larger than MaxBytes")

// Bounds on the work done for hostile or broken input. They are far above
// what real mail needs, so they only ever cut pathological cases short.
const (
	maxMIMEDepth = 5   // nested multiparts followed
	maxMIMEParts = 100 // parts read in the whole message
	maxFound     = 100 // invoice ids, amounts, dates or addresses kept, each
)
