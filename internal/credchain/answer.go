package credchain

import (
	"fmt"
	"time"
)

// ParseExpiry reads the expiry of temporary credentials from an answer's
// field (named in errors, with the operation op): an RFC 3339 time, with
// or without fractional seconds. A missing expiry, or the zero time
// (0001-01-01T00:00:00Z), is refused: temporary credentials that seemed
// never to expire would be kept until every request failed.
func ParseExpiry(op, field, value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, fmt.Errorf("%s: the answer has no %s", op, field)
	}
	t, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		// The value is not quoted: it is server text of unknown content.
		return time.Time{}, fmt.Errorf("%s: %s is not an RFC 3339 time", op, field)
	}
	if t.IsZero() {
		return time.Time{}, fmt.Errorf("%s: %s is the zero time (0001-01-01T00:00:00Z): temporary credentials must expire", op, field)
	}
	return t, nil
}

// NotJSON is the error of a credential service's answer that does not
// decode. The answer carries secrets: the error never quotes it.
func NotJSON(op string) error {
	return fmt.Errorf("%s: the answer is not the JSON the API documents", op)
}

// Lacks is the error of a credential service's answer without what.
func Lacks(op, what string) error {
	return fmt.Errorf("%s: the answer lacks %s", op, what)
}
