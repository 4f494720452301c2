// Package listread turns one declaration per list API into a data source:
// its arguments (schema, validators, and the query key or body field each
// is sent as), its item fields (name, description, getter: the list of
// fields is the converter), its paging (offset or token) and its fetch.
// The generic reads go from the configuration to the state (config, scope,
// pager, collect, state) on tftypes values, so a data source's Read and
// any other caller (an ephemeral resource's Open) share them.
//
// It knows no cloud: where a read goes (clients, region, project) is the
// Scope a cloud package supplies (internal/clouds), and the provider's data
// reaches a read through the Provider interface.
package listread

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/paginate"
)

// Kind is the type of an attribute, independent of the schema package it
// is rendered into (datasource/schema today; ephemeral/schema has the same
// kinds under other type names).
type Kind int

const (
	String     Kind = iota // a string
	Time                   // an RFC 3339 time (timetypes.RFC3339), a string on the wire
	Bool                   // a bool
	Int64                  // a whole number
	Count                  // a whole number of items, in a range (a Number: see CountAttribute)
	StringList             // a list of strings
	Int64Map               // a map of whole numbers (computed counts)
	ObjectList             // a list of objects whose attributes are Nested (the items)
	Object                 // an object whose attributes are Nested (an item's field of a declared shape)
	JSONText               // a string holding a value's JSON text (an item's field of a free shape)
	Timeouts               // the timeouts nested attribute (terraform-plugin-framework-timeouts)
)

// Attribute describes one attribute of a data source in a neutral form:
// the schema renderers (DataSourceSchema) turn it into the schema
// package's attribute, and the request builder into query keys and body
// fields.
type Attribute struct {
	Name        string
	Kind        Kind
	Description string // Markdown
	// Required makes an argument required; an argument that is neither
	// required nor computed is optional.
	Required bool
	// Computed marks what the read sets (id, counts, items).
	Computed bool

	// Validators by kind: Strings for String and Time, Lists for
	// StringList, Int64s for Int64, Numbers for Count.
	Strings []validator.String
	Lists   []validator.List
	Int64s  []validator.Int64
	Numbers []validator.Number

	// Query is the query parameter the argument is sent as (a list: one
	// parameter per element); Body the field of the JSON request body;
	// Path the parameter of the request path it fills ({Path} in the
	// fetch's path). None: the scope uses it (a region) or the read (a
	// cap), and Sends says what it does for the documentation.
	Query string
	Body  string
	Path  string
	// Sends is, for the documentation's table of arguments and API
	// parameters, what the argument does at the API when Query, Body and
	// Path do not say it (Markdown, e.g. "none: stops the read"), and
	// SendsIn where it goes when the client sends it (query, body).
	Sends, SendsIn string

	// Nested are the attributes of an ObjectList's objects, or of an
	// Object.
	Nested []Attribute
}

// Check is a check of a whole configuration (two arguments that
// contradict each other), run at plan time. It reports its findings with
// Config.Fail.
type Check struct {
	Description string
	Validate    func(c *Config)
}

// Config is a configuration as a Check sees it. An argument that cannot be
// read adds its error and reads as not set, so a check never reports on a
// value it could not see.
type Config struct {
	ctx    context.Context
	config tfsdk.Config
	diags  *diag.Diagnostics
}

// String returns a string argument and whether it is set (not null, and
// known at plan time).
func (c *Config) String(name string) (string, bool) {
	var v types.String
	if !c.get(name, &v) || v.IsNull() || v.IsUnknown() {
		return "", false
	}
	return v.ValueString(), true
}

// Bool returns a bool argument and whether it is set (not null, and known
// at plan time).
func (c *Config) Bool(name string) (value, ok bool) {
	var v types.Bool
	if !c.get(name, &v) || v.IsNull() || v.IsUnknown() {
		return false, false
	}
	return v.ValueBool(), true
}

// Null reports whether an argument is left out (null). A value not known
// at plan time is not null: it may be set.
func (c *Config) Null(name string) bool {
	var v attr.Value
	return c.get(name, &v) && v.IsNull()
}

// Fail reports the argument name as the one in error.
func (c *Config) Fail(name, summary, detail string) {
	c.diags.AddAttributeError(path.Root(name), summary, detail)
}

func (c *Config) get(name string, into any) bool {
	d := c.config.GetAttribute(c.ctx, path.Root(name), into)
	c.diags.Append(d...)
	return !d.HasError()
}

// API is what every list API declares, whatever its paging.
type API struct {
	// TypeName is the data source's full type name.
	TypeName string
	// Description is the data source's Markdown description.
	Description string
	// What names the items in errors, logs and warnings, e.g. "OOS
	// execution logs" (Summary); Items is the plural noun max_items
	// counts, e.g. "log entries".
	What, Items string
	// Args are the API's own arguments (the scope adds its own, and every
	// data source has id and max_items).
	Args []Attribute
	// Checks are the checks of the whole configuration.
	Checks []Check
	// List is the computed list attribute holding the items: its name and
	// description.
	List, ListDescription string
	// TotalCount describes total_count, the API's count of all matches;
	// empty when the API gives none.
	TotalCount string
	// StatusCounts describes status_counts, the returned items by status;
	// empty when there is none.
	StatusCounts string
}

// Scope is where a read goes: a cloud package's client and the resolved
// region (and project). Cloud names the cloud, as the documentation and
// the provider's description say it ("Huawei Cloud"). Args are the
// scope's own arguments (region, project_id); Resolve resolves them
// against the provider's data and returns the values the id is derived
// from besides the configuration.
type Scope[S any] struct {
	Cloud   string
	Args    []Attribute
	Resolve func(ctx context.Context, p Provider, args Args) (scope S, id []string, err error)
}

// Settings are the provider-wide settings every read follows.
type Settings struct {
	// Parallel is max_parallel_requests: page requests in flight for one
	// read (at least 1).
	Parallel int
	// DriftFails is on_drift = "fail": a total that changed between the
	// pages of a read fails it instead of adding a warning.
	DriftFails bool
	// MaxReadBytes is max_read_bytes: the memory budget of one read's
	// items (see ItemBytes); 0 means DefaultMaxReadBytes.
	MaxReadBytes int64
}

// DefaultMaxReadBytes is the memory budget of one read's items when
// max_read_bytes is not set: 1 GiB.
const DefaultMaxReadBytes = 1 << 30

// FieldBytes is what ItemBytes counts for each field of an item besides
// its string: the tftypes value and object map entry that hold it,
// measured at 151 to 169 bytes per field for items of 13 string fields
// of 10 to 1,000 bytes (100,000 items, heap after a collection).
const FieldBytes = 160

// Provider is what the provider's Configure hands to every data source.
type Provider interface {
	// ReadSettings are the provider-wide read settings.
	ReadSettings() Settings
	// AddError adds err, an error from a page fetch, under summary with
	// what the error carries (HTTP status, API code, request id).
	AddError(diags *diag.Diagnostics, summary string, err error)
}

// Offset declares a list API paged by offset and limit.
type Offset[T, S any] struct {
	API
	Scope  Scope[S]
	Fields Fields[T]
	// PageSize is the limit of every page: the API's largest.
	PageSize int
	// Window, when above 0, is the API's paging window (paginate.Offset's
	// Window): no page is requested with offset + limit >= Window, and a
	// read whose matches the window cannot reach fails unless max_items
	// keeps it inside. Explain should then say how to narrow the query.
	Window int
	// ID is an item's id, by which the pager drops an item seen twice;
	// nil when items have no id (every item is kept). It takes the item
	// by value: the pager calls it for every item, without allocating.
	ID func(T) *string
	// Status is an item's status, counted in status_counts.
	Status func(*T) *string
	// PageSizeNote, when set, says why PageSize, in the documentation's
	// paging row ("the API's largest page").
	PageSizeNote string
	// Fetch reads one page (clouds.HuaweiList, or OffsetFunc for a call
	// shape of its own).
	Fetch OffsetFetcher[T, S]
	// Explain, when set, adds what the API's error alone does not say (an
	// unknown parent, named) to a failed read's error.
	Explain func(err error, s S, r *Request) error
}

// Token declares a list API paged by a continuation token.
type Token[T, S any] struct {
	API
	Scope  Scope[S]
	Fields Fields[T]
	// Status is an item's status, counted in status_counts.
	Status func(*T) *string
	// Fetch reads the page of token ("" for the first) and returns the
	// next token ("" after the last page) (clouds.AliRPC, or TokenFunc
	// for a call shape of its own).
	Fetch TokenFetcher[T, S]
}

// OffsetFetcher reads one page of an offset-paged API.
type OffsetFetcher[T, S any] interface {
	Fetch(ctx context.Context, s S, r *Request, offset, limit int) (paginate.Page[T], error)
}

// OffsetFunc is a function as an OffsetFetcher.
type OffsetFunc[T, S any] func(ctx context.Context, s S, r *Request, offset, limit int) (paginate.Page[T], error)

// Fetch calls f.
func (f OffsetFunc[T, S]) Fetch(ctx context.Context, s S, r *Request, offset, limit int) (paginate.Page[T], error) {
	return f(ctx, s, r, offset, limit)
}

// TokenFetcher reads the page of a token of a token-paged API.
type TokenFetcher[T, S any] interface {
	Fetch(ctx context.Context, s S, r *Request, token string) (items []T, next string, err error)
}

// TokenFunc is a function as a TokenFetcher.
type TokenFunc[T, S any] func(ctx context.Context, s S, r *Request, token string) (items []T, next string, err error)

// Fetch calls f.
func (f TokenFunc[T, S]) Fetch(ctx context.Context, s S, r *Request, token string) ([]T, string, error) {
	return f(ctx, s, r, token)
}

// FetchDoc is what a fetch sends and reads besides the arguments, for the
// documentation: what every page's request adds (Paging, Markdown, e.g.
// "`offset`, `limit` = 100"), and the members of the answer holding the
// total (empty when there is none) and the items.
type FetchDoc struct {
	Paging, Total, List string
	// Call is the request a page is, in a sentence's words (the
	// operation, method and path or action and version, the endpoint and
	// the signature), for a page the documentation writes whole.
	Call string
}

// DocumentedFetch is a fetch that documents itself, given the page size
// of its declaration (clouds.HuaweiList and clouds.AliRPC do).
type DocumentedFetch interface {
	FetchDoc(pageSize int) FetchDoc
}

// Doc is what the documentation says of a declared API beyond its schema
// (internal/docgen renders it): its cloud, and its fetch's paging and
// answer members. A fetch that does not document itself leaves them
// empty, and the documentation's generator refuses it.
type Doc struct {
	Cloud string
	FetchDoc
}

// Doc of an offset-paged API: its paging row ends with PageSizeNote.
func (d *Offset[T, S]) Doc() Doc {
	out := Doc{Cloud: d.Scope.Cloud}
	if f, ok := d.Fetch.(DocumentedFetch); ok {
		out.FetchDoc = f.FetchDoc(d.PageSize)
		if d.PageSizeNote != "" {
			out.Paging += " (" + d.PageSizeNote + ")"
		}
	}
	return out
}

// Doc of a token-paged API.
func (d *Token[T, S]) Doc() Doc {
	out := Doc{Cloud: d.Scope.Cloud}
	if f, ok := d.Fetch.(DocumentedFetch); ok {
		out.FetchDoc = f.FetchDoc(0)
	}
	return out
}

// Declaration is a declared list API: what the catalog holds and every
// caller iterates.
type Declaration interface {
	// Spec is the declaration's paging-independent part.
	Spec() *API
	// Attributes are all the attributes, arguments and computed, in the
	// order the schema lists them.
	Attributes() []Attribute
	// MaxItems is the largest max_items: the most items one read can
	// return.
	MaxItems() int
	// Read reads the items for a configuration (a value of the schema's
	// type) and returns the state, or error diagnostics.
	Read(ctx context.Context, p Provider, config tftypes.Value) (tftypes.Value, diag.Diagnostics)
	// Decode decodes a JSON array of the API's items (see Decoded).
	Decode(items []byte) (Decoded, error)
	// Doc is what the documentation says of it beyond its schema.
	Doc() Doc
}

var (
	_ Declaration = (*Offset[struct{}, struct{}])(nil)
	_ Declaration = (*Token[struct{}, struct{}])(nil)
)

// Spec returns the paging-independent part.
func (a *API) Spec() *API { return a }

// Summary heads every error of a read, e.g. "Unable to list OOS execution
// logs": a phrase a user can search for.
func (a *API) Summary() string { return "Unable to list " + a.What }

// Attributes of an offset-paged API.
func (d *Offset[T, S]) Attributes() []Attribute {
	return d.attributes(d.Scope.Args, d.Fields.Attributes(), d.MaxItems())
}

// Attributes of a token-paged API.
func (d *Token[T, S]) Attributes() []Attribute {
	return d.attributes(d.Scope.Args, d.Fields.Attributes(), d.MaxItems())
}

// MaxItems is the largest max_items of an offset-paged API: the most
// items one query reaches through its paging window (Window - 1: 9,999
// for SecMaster), else the most items one read ever returns
// (paginate.MaxTotalItems): a larger value would stop nothing.
func (d *Offset[T, S]) MaxItems() int {
	if d.Window > 0 {
		return min(d.Window-1, paginate.MaxTotalItems)
	}
	return paginate.MaxTotalItems
}

// MaxItems is the largest max_items of a token-paged API: the most items
// one read ever returns (paginate.MaxTotalItems).
func (d *Token[T, S]) MaxItems() int { return paginate.MaxTotalItems }

// attributes are all of a data source's attributes: id, the scope's
// arguments, the API's, max_items (at most maxItems), then the computed
// results.
func (a *API) attributes(scope, item []Attribute, maxItems int) []Attribute {
	out := make([]Attribute, 0, len(scope)+len(a.Args)+5)
	project := false
	for _, s := range scope {
		project = project || s.Name == "project_id"
	}
	out = append(out, IDAttribute(project))
	out = append(out, scope...)
	out = append(out, a.Args...)
	out = append(out, MaxItemsAttribute(a.Items, a.TotalCount != "", maxItems), TimeoutsAttribute(project))
	if a.TotalCount != "" {
		out = append(out, Attribute{Name: "total_count", Kind: Int64, Computed: true, Description: a.TotalCount})
	}
	out = append(out, Attribute{Name: a.List, Kind: ObjectList, Computed: true, Description: a.ListDescription, Nested: item})
	if a.StatusCounts != "" {
		out = append(out, Attribute{Name: "status_counts", Kind: Int64Map, Computed: true, Description: a.StatusCounts})
	}
	return out
}
