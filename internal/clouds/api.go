package clouds

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/paginate"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// DecodeError is a 2xx response whose body is not the JSON the API
// documents: cut off, malformed or missing a required field.
type DecodeError struct {
	Operation string
	Status    int
	RequestID string
	Err       error
}

func (e *DecodeError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d with an unreadable response body: %v", e.Operation, e.Status, e.Err)
	if e.RequestID != "" {
		s += " (request id: " + e.RequestID + ")"
	}
	return s + ". No partial result is returned."
}

func (e *DecodeError) Unwrap() error { return e.Err }

// DecodeJSON decodes a successful response's body into v.
func DecodeJSON(operation string, resp *transport.Response, v any) error {
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return &DecodeError{Operation: operation, Status: resp.StatusCode, RequestID: resp.RequestID(), Err: err}
	}
	return nil
}

// MissingField is the error for a response without a field the read needs.
func MissingField(operation string, resp *transport.Response, field string) error {
	return &DecodeError{Operation: operation, Status: resp.StatusCode, RequestID: resp.RequestID(),
		Err: fmt.Errorf("the field %q is missing", field)}
}

// HuaweiList is a Huawei Cloud list operation paged by the offset and
// limit query parameters, whose answer P holds the items T and the total
// count of matches.
type HuaweiList[P, T any] struct {
	Operation, Service, Method string
	// Path is the request path; its segments go in unescaped (Do
	// percent-encodes each).
	Path func(s HuaweiScope, r *listread.Request) string
	// ContentType is the body's content type, when the request has one.
	ContentType string
	// TotalField names the total in the answer: a page without it fails.
	TotalField string
	// Page returns the answer's items and total (nil when absent).
	Page func(*P) (items []T, total *int64)
	// Validate, when set, checks a decoded answer beyond its JSON form;
	// an error fails the read (use MissingField or a DecodeError).
	Validate func(p *P, resp *transport.Response) error
}

// Fetch reads one page: a listread.Offset's Fetch.
func (l *HuaweiList[P, T]) Fetch(ctx context.Context, s HuaweiScope, r *listread.Request, offset, limit int) (paginate.Page[T], error) {
	q := r.PageQuery()
	q.Set("offset", strconv.Itoa(offset))
	q.Set("limit", strconv.Itoa(limit))
	call := huaweicloud.Call{
		Operation: l.Operation, Service: l.Service, Region: s.Region, ProjectID: s.Project,
		Method: l.Method, Path: l.Path(s, r), Query: q,
	}
	if r.Body != nil {
		call.Body, call.ContentType = r.Body, l.ContentType
	}
	resp, err := s.Client.Do(ctx, call)
	if err != nil {
		return paginate.Page[T]{}, err
	}
	var page P
	if err := DecodeJSON(l.Operation, resp, &page); err != nil {
		return paginate.Page[T]{}, err
	}
	if l.Validate != nil {
		if err := l.Validate(&page, resp); err != nil {
			return paginate.Page[T]{}, err
		}
	}
	items, total := l.Page(&page)
	if total == nil {
		return paginate.Page[T]{}, MissingField(l.Operation, resp, l.TotalField)
	}
	return paginate.Page[T]{Items: items, Total: int(*total)}, nil
}

// AliRPC is an Alibaba Cloud RPC list action paged by NextToken, whose
// answer P holds the items T and the next token.
type AliRPC[P, T any] struct {
	Product, Action, Version string
	// MaxResults is sent on every page, the same: a NextToken is bound to
	// the other parameters, and changing one gives InvalidNextTokenQuery.
	MaxResults int
	// Page returns the answer's items and next token ("" on the last page).
	Page func(*P) (items []T, next string)
	// Validate, when set, checks a decoded answer beyond its JSON form;
	// an error fails the read (use MissingField or a DecodeError).
	Validate func(p *P, resp *transport.Response) error
}

// Fetch reads the page of token ("" for the first): a listread.Token's
// Fetch.
func (a *AliRPC[P, T]) Fetch(ctx context.Context, s AliScope, r *listread.Request, token string) ([]T, string, error) {
	p := r.PageQuery()
	p.Set("MaxResults", strconv.Itoa(a.MaxResults))
	if token != "" {
		p.Set("NextToken", token)
	}
	resp, err := s.Client.RPC(ctx, alicloud.RPCCall{
		Product: a.Product, Action: a.Action, Version: a.Version, Region: s.Region, Params: p,
	})
	if err != nil {
		return nil, "", err
	}
	var page P
	if err := DecodeJSON(a.Action, resp, &page); err != nil {
		return nil, "", err
	}
	if a.Validate != nil {
		if err := a.Validate(&page, resp); err != nil {
			return nil, "", err
		}
	}
	items, next := a.Page(&page)
	return items, next, nil
}
