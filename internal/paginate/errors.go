package paginate

import "errors"

// Safety caps: no read may go beyond these, whatever the API reports.
const (
	// MaxPages is the most page requests one iteration makes.
	MaxPages = 100_000
	// MaxTotalItems is the most items one iteration yields.
	MaxTotalItems = 1_000_000
)

var (
	// ErrNotAdvancing reports an API that served the same page again
	// (an offset that was ignored, a token that repeated).
	ErrNotAdvancing = errors.New("the API did not advance")

	// ErrPageSize reports a page whose length does not fit the requested
	// limit: longer than the limit, or a first page shorter than the limit
	// while its total says more items exist.
	ErrPageSize = errors.New("page size does not match the limit")

	// ErrSafetyLimit reports a read that went beyond MaxPages pages or
	// MaxTotalItems items.
	ErrSafetyLimit = errors.New("pagination safety limit reached")
)

// notAdvancingError carries the offset pager's message while matching
// ErrNotAdvancing with errors.Is.
type notAdvancingError struct{ msg string }

func (e *notAdvancingError) Error() string { return e.msg }

func (e *notAdvancingError) Is(target error) bool { return target == ErrNotAdvancing }
