package paginate

import (
	"context"
	"errors"
	"fmt"
)

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

// ErrInconsistent reports an answer that contradicts itself in a way no
// change of the data between requests explains: a negative total, a total
// of 0 with items, items beyond the page's own total while every page
// reported the same total, a first page without items while its total is
// positive.
var ErrInconsistent = errors.New("the API's answer contradicts itself")

// ErrWindow reports a read that cannot be complete: more items match than
// the API's paging window lets one query reach (see Offset.Window).
var ErrWindow = errors.New("more items match than one query can reach")

// WindowError is the error of a read whose total is beyond the API's
// paging window; it matches ErrWindow with errors.Is.
type WindowError struct {
	// Total is the number of items the API reports matching.
	Total int
	// Reachable is the most items one query reaches (Window - 1).
	Reachable int
	// Offset is the page whose total showed it.
	Offset int
}

func (e *WindowError) Error() string {
	return fmt.Sprintf("%d items match, more than the %d one query can reach (the API serves a page only while "+
		"offset + limit < %d); the read stopped at the page at offset %d rather than return a partial list",
		e.Total, e.Reachable, e.Reachable+1, e.Offset)
}

func (e *WindowError) Unwrap() error { return ErrWindow }

// PageError is a page the pager refuses. It names the page (Offset), the
// answer's field at fault and the request id of the answer, so that the
// read's error can name them too; it matches its sentinel (ErrInconsistent,
// ErrNotAdvancing, ErrPageSize) with errors.Is.
type PageError struct {
	// Operation is the API operation of the answer (Answer.Operation).
	Operation string
	// Offset is the offset of the page.
	Offset int
	// Field is the answer's field at fault (Answer.TotalField or
	// Answer.ItemsField).
	Field string
	// RequestID is the answer's request id (Answer.RequestID), when given.
	RequestID string
	// Err is the sentinel.
	Err error
	// Msg says what is wrong.
	Msg string
}

func (e *PageError) Error() string {
	s := fmt.Sprintf("%s (page at offset %d", e.Msg, e.Offset)
	if e.Operation != "" {
		s = e.Operation + ": " + s
	}
	if e.RequestID != "" {
		s += ", request id " + e.RequestID
	}
	return s + ")"
}

func (e *PageError) Unwrap() error { return e.Err }

// gaveUp is the error of a page request that failed while ctx ended: ctx's
// error (the request failed because the caller gave up), unless the
// request's own error already says the deadline stopped it: that one says
// more (e.g. what a throttled request waited for) and is kept.
func gaveUp(ctx context.Context, err error) error {
	ctxErr := ctx.Err()
	switch {
	case ctxErr == nil:
		return err
	case errors.Is(ctxErr, context.DeadlineExceeded) && errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return ctxErr
}
