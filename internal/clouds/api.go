package clouds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/paginate"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/strictjson"
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
	what := "with an unreadable response body"
	var r *refusal
	if errors.As(e.Err, &r) {
		what = "refused" // e.Err says why
	}
	s := fmt.Sprintf("%s: HTTP %d %s: %v", e.Operation, e.Status, what, e.Err)
	if e.RequestID != "" {
		s += " (request id: " + e.RequestID + ")"
	}
	return s + ". No partial result is returned."
}

func (e *DecodeError) Unwrap() error { return e.Err }

// MissingField is the error for a response without a field the read needs.
func MissingField(operation string, resp *transport.Response, field string) error {
	return &DecodeError{Operation: operation, Status: resp.StatusCode, RequestID: resp.RequestID(),
		Err: fmt.Errorf("the field %q is missing", field)}
}

// refusal is the cause of a DecodeError for an answer that decodes but
// says what the API never says in a success (Refused): the field and why.
type refusal struct{ msg string }

func (r *refusal) Error() string { return r.msg }

// Refused is the error for a 2xx answer that decodes but contradicts the
// API's documented success (an error code in it, a truncated list without
// a way on): the read fails, naming the field.
func Refused(operation string, resp *transport.Response, field, format string, args ...any) error {
	return &DecodeError{Operation: operation, Status: resp.StatusCode, RequestID: resp.RequestID(),
		Err: &refusal{msg: field + ": " + apierror.Sanitize(resp.Mask(fmt.Sprintf(format, args...)), 1024)}}
}

// decodeMembers decodes a successful answer, which must be one JSON
// object, by strictjson.Decode: each member named in ms into its target.
// A refusal (a named member twice or under another case, an item that
// could be read two ways) fails as Refused, naming the field; any other
// failure (not JSON, not an object, a member of another type) as a
// *DecodeError. The names come from the declaration (HuaweiList.TotalField,
// ...), so the fields an answer is read from and the fields its errors
// name are one and the same.
func decodeMembers(operation string, resp *transport.Response, ms []strictjson.Member) error {
	err := strictjson.Decode(resp.Body, ms)
	if err == nil {
		return nil
	}
	var r *strictjson.Refusal
	if errors.As(err, &r) {
		return Refused(operation, resp, r.Field, "%s", r.Reason)
	}
	return &DecodeError{Operation: operation, Status: resp.StatusCode, RequestID: resp.RequestID(), Err: err}
}

// errorInSuccess returns a Refused error when a 2xx body carries one of
// the error-code fields (names: the cloud's error shape), nil otherwise.
// The body is scanned for a quoted field name first, so answers without
// one (all of them, normally) are not decoded twice.
func errorInSuccess(operation string, resp *transport.Response, names ...string) error {
	found := false
	for _, n := range names {
		if bytes.Contains(resp.Body, []byte(`"`+n+`"`)) {
			found = true
			break
		}
	}
	if !found {
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(resp.Body, &fields); err != nil {
		return nil //nolint:nilerr // not an object: decodeMembers reports what is wrong with it
	}
	for _, n := range names {
		var code apierror.FlexString
		if raw, ok := fields[n]; ok && json.Unmarshal(raw, &code) == nil && code != "" {
			var msg apierror.FlexString
			for _, m := range []string{"Message", "message", "error_msg"} {
				if raw, ok := fields[m]; ok && msg == "" {
					_ = json.Unmarshal(raw, &msg)
				}
			}
			return Refused(operation, resp, n, "a success (HTTP %d) carrying the error %q: %s; the answer is not a list",
				resp.StatusCode, string(code), string(msg))
		}
	}
	return nil
}

// HuaweiList is a Huawei Cloud list operation paged by the offset and
// limit query parameters. Its answer is a JSON object whose member
// TotalField is the total count of matches and whose member ListField is
// the page's items, each a T: the declaration names them once, for
// decoding and for errors alike.
type HuaweiList[T any] struct {
	Operation, Service, Method string
	// Path is the request path, with a {name} segment for each path
	// parameter: {project_id} is the scope's project, any other the
	// argument whose Path is name (listread.Request.Path). Segments go
	// in unescaped (Do percent-encodes each).
	Path string
	// ContentType is the body's content type, when the request has one.
	ContentType string
	// TotalField names the total (a whole number): a page without it
	// fails. ListField names the item list: a page without it (or with
	// null) fails too; an empty page is [].
	TotalField, ListField string
}

// Fetch reads one page: a listread.Offset's Fetch.
func (l *HuaweiList[T]) Fetch(ctx context.Context, s HuaweiScope, r *listread.Request, offset, limit int) (paginate.Page[T], error) {
	q := r.PageQuery()
	q.Set("offset", strconv.Itoa(offset))
	q.Set("limit", strconv.Itoa(limit))
	call := huaweicloud.Call{
		Operation: l.Operation, Service: l.Service, Region: s.Region, ProjectID: s.Project,
		Method: l.Method, Path: l.path(s, r), Query: q,
	}
	if r.Body != nil {
		call.Body, call.ContentType = r.Body, l.ContentType
	}
	resp, err := s.Client.Do(ctx, call)
	if err != nil {
		return paginate.Page[T]{}, err
	}
	var total *int64
	var items []T
	if err := decodeMembers(l.Operation, resp, []strictjson.Member{{Name: l.TotalField, Into: &total}, {Name: l.ListField, Into: &items, Items: strictjson.Names[T]()}}); err != nil {
		return paginate.Page[T]{}, err
	}
	if err := errorInSuccess(l.Operation, resp, "error_code", "code"); err != nil {
		return paginate.Page[T]{}, err
	}
	if total == nil {
		return paginate.Page[T]{}, MissingField(l.Operation, resp, l.TotalField)
	}
	if items == nil { // absent or null; an empty page is []
		return paginate.Page[T]{}, MissingField(l.Operation, resp, l.ListField)
	}
	return paginate.Page[T]{Items: items, Total: int(*total), About: paginate.Answer{
		Operation: l.Operation, RequestID: resp.RequestID(), TotalField: l.TotalField, ItemsField: l.ListField,
	}}, nil
}

// path is Path with its parameters filled in.
func (l *HuaweiList[T]) path(s HuaweiScope, r *listread.Request) string {
	segs := strings.Split(l.Path, "/")
	for i, seg := range segs {
		if len(seg) < 3 || seg[0] != '{' || seg[len(seg)-1] != '}' {
			continue
		}
		if name := seg[1 : len(seg)-1]; name == "project_id" {
			segs[i] = s.Project
		} else {
			segs[i] = r.Path[name]
		}
	}
	return strings.Join(segs, "/")
}

// FetchDoc documents the paging parameters of every page (offset, and
// limit = pageSize) and the answer's members.
func (l *HuaweiList[T]) FetchDoc(pageSize int) listread.FetchDoc {
	return listread.FetchDoc{Paging: fmt.Sprintf("`offset`, `limit` = %d", pageSize), Total: l.TotalField, List: l.ListField,
		Call: fmt.Sprintf("the API `%s`, `%s %s`, on `https://%s.{region}.{cloud}` (or the provider's `huaweicloud.endpoints.%s`), signed with `%s`",
			l.Operation, l.Method, l.Path, l.Service, l.Service, huaweicloud.SigningAlgorithm)}
}

// AliRPC is an Alibaba Cloud RPC list action paged by a continuation
// token. Its answer is a JSON object whose member ListField is the page's
// items, each a T, and whose member TokenField is the next page's token
// (absent or empty on the last page).
type AliRPC[T any] struct {
	Product, Action, Version string
	// MaxResults is sent on every page, the same: a NextToken is bound to
	// the other parameters, and changing one gives InvalidNextTokenQuery.
	MaxResults int
	// ListField names the item list: a page without it (or with null)
	// fails; a page without items is [].
	ListField string
	// TokenField names the next token, also the request parameter it is
	// sent back as (NextToken).
	TokenField string
	// TruncatedField, when set, names a boolean that says more results
	// exist: true on a page without a next token is refused, since the
	// list cannot then be read to its end.
	TruncatedField string
}

// FetchDoc documents MaxResults and the token of every page after the
// first, and the answer's item list.
func (a *AliRPC[T]) FetchDoc(int) listread.FetchDoc {
	return listread.FetchDoc{Paging: fmt.Sprintf("`MaxResults` = %d on every page, `%s` from the second page", a.MaxResults, a.TokenField),
		List: a.ListField,
		Call: fmt.Sprintf("the RPC API `%s`, version `%s`, on `https://%s.{region}.aliyuncs.com` (or the provider's `alicloud.endpoints.%s`), "+
			"signed with `%s`: a `POST` to `/` with every parameter in the query", a.Action, a.Version, a.Product, a.Product, alicloud.SigningAlgorithm)}
}

// Fetch reads the page of token ("" for the first): a listread.Token's
// Fetch.
func (a *AliRPC[T]) Fetch(ctx context.Context, s AliScope, r *listread.Request, token string) ([]T, string, error) {
	p := r.PageQuery()
	p.Set("MaxResults", strconv.Itoa(a.MaxResults))
	if token != "" {
		p.Set(a.TokenField, token)
	}
	resp, err := s.Client.RPC(ctx, alicloud.RPCCall{
		Product: a.Product, Action: a.Action, Version: a.Version, Region: s.Region, Params: p,
	})
	if err != nil {
		return nil, "", err
	}
	var items []T
	var next string
	var truncated *bool
	ms := []strictjson.Member{{Name: a.ListField, Into: &items, Items: strictjson.Names[T]()}, {Name: a.TokenField, Into: &next}}
	if a.TruncatedField != "" {
		ms = append(ms, strictjson.Member{Name: a.TruncatedField, Into: &truncated})
	}
	if err := decodeMembers(a.Action, resp, ms); err != nil {
		return nil, "", err
	}
	if err := errorInSuccess(a.Action, resp, "Code"); err != nil {
		return nil, "", err
	}
	if truncated != nil && *truncated && next == "" {
		return nil, "", Refused(a.Action, resp, a.TruncatedField,
			"true without a %s: more results exist but the API gives no way to read them", a.TokenField)
	}
	if items == nil { // absent or null; a page without items is []
		return nil, "", MissingField(a.Action, resp, a.ListField)
	}
	return items, next, nil
}
