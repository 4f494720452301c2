// Package paginate holds the provider's only pagination loops: an offset/limit
// pager ([Offset]) and a next-token pager ([Token]). Both return their items as
// an [iter.Seq2] of (item, error) pairs, so a data source reads every page with
// a single range loop and never writes a loop of its own.
//
// # Ordering
//
// Items are yielded in the API's order: page by page, and within a page in the
// order the API returned them. This holds even when pages are downloaded in
// parallel.
//
// # Parallelism (offset pager)
//
// The offset pager reads the first page (offset 0) alone to learn the total,
// then requests the remaining pages (offsets Limit, 2*Limit, ... below the
// total) with at most Parallel requests in flight. It streams: page k is
// yielded as soon as it and every page before it have arrived, and while the
// consumer is busy with page k, pages k+1 .. k+Parallel keep downloading. At
// most about Parallel+1 pages are held in memory. The token pager is
// sequential by nature: each request needs the token of the previous answer.
//
// # Early stop
//
// Both pagers stop as soon as MaxItems items have been yielded and never
// request a page that cannot be needed for them: with Limit 100 and MaxItems 7
// exactly one request is made, with MaxItems 150 exactly two. When the
// consumer breaks out of its loop, when a page fails, or when the context is
// cancelled, requests still in flight are cancelled and every goroutine has
// exited before the iterator returns. An error is yielded once, as
// (zero value, error), after every item that precedes it in page order, and
// nothing is yielded after it: a result is complete or it ends in an error.
//
// # Drift (offset pager)
//
// The total can change while pages are read. The pages to read are planned
// from the first page's total; a later page reporting a larger total extends
// the plan to cover it, so items are not silently missed; a smaller total, or
// a page that ends the data before its own reported total, ends the read at
// the first empty or short page. Either way [Offset.Drift] reports the first
// total and the differing one, so the caller can warn.
//
// # Changed records (offset pager with ID)
//
// An id already yielded can come back on a later page. When its content is
// identical it is dropped silently ([Offset.Dropped]). When it differs, the
// record changed while the pages were read: the copy fetched last wins, and
// [Offset.Changes] reports it with the position of the copy yielded first,
// for the caller to replace; [Offset.Changed] counts such records, so the
// caller can warn.
//
// # Answers that contradict themselves
//
// Drift explains pages that disagree with each other, not an answer that
// disagrees with itself. The offset pager fails with a [*PageError]
// matching [ErrInconsistent] on a negative total, a total of 0 with items,
// items beyond the page's own total (offset + items > total) while every
// page reported the same total, and a first page without items while its
// total is positive. The error names the page, the operation, the answer's
// field and the request id, which the fetcher puts in [Page.About].
//
// # Non-advancing servers and safety limits
//
// A server that ignores the offset or the token must not make the provider
// loop forever or return copies. The offset pager fails with a [*PageError]
// matching [ErrNotAdvancing] ("the server ignored offset") when a page only
// repeats ids already yielded with the same content (when ID is set) or is
// identical, item for item, to the page at another offset (when ID is nil;
// pages are filed by a hash of their length and first, middle and last
// items, computed in the fetching goroutines, and compared in full with
// the earlier pages of the same hash). The token pager fails with [ErrNotAdvancing]
// when a token repeats any earlier one. A page longer than the limit, or a
// first page shorter than the limit while its total says more items exist
// (an API that caps the page size below the requested limit), fails with
// [ErrPageSize] instead of skipping items. As a last resort both pagers
// fail with [ErrSafetyLimit] beyond 100,000 pages or 1,000,000 items.
package paginate
