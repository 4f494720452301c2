package paginate

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// TokenFetch reads the page for token ("" for the first page) and returns its
// items and the token of the next page ("" when there is none). It must
// honour ctx.
type TokenFetch[T any] func(ctx context.Context, token string) (items []T, next string, err error)

// Token reads a next-token API page by page, sequentially, from token "" until
// an answer carries no next token.
//
// It stops as soon as MaxItems items have been yielded, without requesting
// another page. A next token equal to any earlier one fails with
// ErrNotAdvancing instead of looping. Requests reports on the last iteration
// and is valid once it has ended; one Token must not be iterated by two
// goroutines at once.
type Token[T any] struct {
	// MaxItems stops the read after this many items; 0 reads all.
	MaxItems int
	// Fetch reads one page.
	Fetch TokenFetch[T]

	requests int

	// Safety caps; zero means MaxPages and MaxTotalItems. Tests lower them.
	maxPages int
	maxItems int
}

// Requests returns the number of page requests the last iteration made.
func (p *Token[T]) Requests() int { return p.requests }

// All returns the items of every page in the API's order. An error ends the
// sequence: it is yielded once as (zero value, error) and nothing follows it.
// Errors are wrapped with the page number, counted from 1.
func (p *Token[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		p.requests = 0
		var zero T
		switch {
		case p.Fetch == nil:
			yield(zero, errors.New("paginate: Fetch is not set"))
			return
		case p.MaxItems < 0:
			yield(zero, fmt.Errorf("paginate: MaxItems must not be negative, got %d", p.MaxItems))
			return
		}
		maxPages, maxItems := p.maxPages, p.maxItems
		if maxPages <= 0 {
			maxPages = MaxPages
		}
		if maxItems <= 0 {
			maxItems = MaxTotalItems
		}
		seen := make(map[string]struct{})
		token, yielded := "", 0
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, fmt.Errorf("reading page %d: %w", page, err))
				return
			}
			if page > maxPages {
				yield(zero, fmt.Errorf("%w: more than %d pages; the API kept returning next tokens", ErrSafetyLimit, maxPages))
				return
			}
			p.requests++
			items, next, err := p.Fetch(ctx, token)
			if err != nil {
				yield(zero, fmt.Errorf("reading page %d: %w", page, gaveUp(ctx, err)))
				return
			}
			needMore := p.MaxItems == 0 || len(items) < p.MaxItems-yielded // no sum: MaxItems may be the largest int
			if next != "" && needMore {
				if _, repeated := seen[next]; repeated {
					yield(zero, fmt.Errorf("pagination token repeated after %d pages: %w", page, ErrNotAdvancing))
					return
				}
				seen[next] = struct{}{}
			}
			for _, item := range items {
				if yielded >= maxItems {
					yield(zero, fmt.Errorf("%w: more than %d items", ErrSafetyLimit, maxItems))
					return
				}
				if !yield(item, nil) {
					return
				}
				yielded++
				if p.MaxItems > 0 && yielded >= p.MaxItems {
					return
				}
			}
			if next == "" {
				return
			}
			token = next
		}
	}
}
