package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// api is one API the emulator serves: a plug-in. Each is declared in its
// own file (api_*.go), which registers it from an init function; nothing
// else in the package names an API. The shared code routes a request to
// it, checks its signature, injects its faults and hostile answers, and
// calls its handler; its data, generator, summary and fixture come from
// its dataset part (data) and its fixture.
type api struct {
	// name is the API's name in Recorded, Requests, Throttled and
	// Faults.APIs.
	name string
	// order places the API among the others: the order of the dataset's
	// JSON keys, of its generation (every API draws from one random
	// source, so a new API takes a number after every other one and the
	// data of the others stays the same for a seed), of the banner and
	// of Fixtures.
	order int
	// cloud is the cloud whose gateway the API is behind: how requests
	// are signed and how the gateway refuses them.
	cloud *cloud
	// shape is how the API's service answers: request ids, headers and
	// error bodies (nil: the cloud's own).
	shape *shape
	// rest is a Huawei API's route; rpc an Alibaba RPC API's. One is set.
	rest *restRoute
	rpc  *rpcRoute
	// handle answers a request whose signature, faults and path project
	// were dealt with.
	handle func(s *Server, c *call) *response
	// codes are the service's error codes.
	codes codes
	// paging is how the API pages (offsetPaged or tokenPaged; zero for
	// a lookup). An offset-paged API answers {count: total, list: items}
	// (offsetAnswer) with the field names of hostile.
	paging paging
	// optInFaults: Faults apply to the API only when Faults.APIs names it
	// (the IAM lookup, which the faults of the list APIs leave alone).
	optInFaults bool
	// hostile are the answer's fields the hostile modes rewrite.
	hostile hostileFields
	// data is the API's part of the Dataset: its items, their JSON key,
	// generator, sizes and summary (nil: the API serves no data of its
	// own).
	data part
	// fixture is what the suites that read every list API need of it
	// (nil for an API no data source reads); Fixtures completes it from
	// the fields above.
	fixture func() Fixture
	// hostileAnswer, when set, rewrites a successful answer for the
	// hostile modes of an API without a list (the IAM lookup).
	hostileAnswer func(c *call, h Hostile, resp *response) *response
}

// codes are the error codes an API's service answers with (the gateway's
// are the cloud's).
type codes struct {
	// BadRequest is a parameter the service refuses (HTTP 400).
	BadRequest string
	// NotFound is a parent that does not exist (HTTP 404).
	NotFound string
	// ServerError is the answer to Faults.ServerErrorEvery, with the
	// cloud's server error status.
	ServerError string
}

// paging is how an API pages its list (zero: it does not page).
type paging int

const (
	// offsetPaged: offset and limit in the query, a total in the answer.
	offsetPaged paging = iota + 1
	// tokenPaged: each answer gives the token of the next page.
	tokenPaged
)

// restRoute is a Huawei API's method and path. The path's segments are
// literal or a named parameter in braces ("/v2/{project_id}/x"); a
// request's path is compared segment by segment, each one decoded. A
// {project_id} must be one of the dataset's projects (403 APIG.0302, as
// the gateway refuses it) before the handler is called.
type restRoute struct {
	method, path string
}

// rpcRoute is an Alibaba RPC API: its product (documentation only: every
// product is served at the one base URL), action and version. Requests
// are POST or GET "/" with the action in the x-acs-action header (ACS3)
// or the Action parameter (the RPC style, in the query or a form body),
// and the version likewise in x-acs-version or Version.
type rpcRoute struct {
	product, action, version string
}

// registry holds every registered API, in order.
var registry []*api

// register adds a plug-in; it panics on a plug-in that clashes with
// another one (its name, order, route or dataset key).
func register(a *api) {
	if a.name == "" || a.cloud == nil || a.handle == nil || (a.rest == nil) == (a.rpc == nil) {
		panic(fmt.Sprintf("emulator: plug-in %q needs a name, a cloud, a handler and one route", a.name))
	}
	if a.paging != 0 && a.hostile.list == "" || a.paging == offsetPaged && a.hostile.count == "" {
		panic(fmt.Sprintf("emulator: plug-in %q pages a list: it needs its answer's list field (and an offset-paged one its count field)", a.name))
	}
	if a.shape == nil {
		a.shape = a.cloud.shape
	}
	for _, o := range registry {
		switch {
		case o.name == a.name || o.order == a.order:
			panic(fmt.Sprintf("emulator: plug-ins %q and %q share a name or an order", o.name, a.name))
		case a.data != nil && o.data != nil && a.data.key() == o.data.key():
			panic(fmt.Sprintf("emulator: plug-ins %q and %q share the dataset key %q", o.name, a.name, a.data.key()))
		case a.rest != nil && o.rest != nil && *a.rest == *o.rest,
			a.rpc != nil && o.rpc != nil && a.rpc.action == o.rpc.action && a.rpc.version == o.rpc.version:
			panic(fmt.Sprintf("emulator: plug-ins %q and %q share a route", o.name, a.name))
		}
	}
	registry = append(registry, a)
	slices.SortStableFunc(registry, func(x, y *api) int { return x.order - y.order })
	if a.hostile.twin[0] != "" {
		TwinField[a.name] = a.hostile.twin
	}
	router = newRouter(registry)
}

// router routes requests to the registered APIs.
var router = newRouter(nil)

// route is where a request goes: its API (an unknown one of its cloud
// when nothing matches) and what its path and parameters say.
type route struct {
	api *api
	// methodOK: the API takes the request's method.
	methodOK bool
	// versionOK: an RPC request's version is the API's.
	versionOK bool
	// params are the path's named parameters.
	params map[string]string
}

// unknownAPI stands for a request no API matches: counted as APIUnknown
// and answered by its cloud's gateway.
func unknownAPI(cl *cloud) *api {
	return &api{name: APIUnknown, cloud: cl, shape: cl.shape, optInFaults: true}
}

type routerT struct {
	rest []*api
	rpc  map[string][]*api // by action
}

func newRouter(all []*api) *routerT {
	r := &routerT{rpc: map[string][]*api{}}
	for _, a := range all {
		if a.rest != nil {
			r.rest = append(r.rest, a)
		} else {
			r.rpc[a.rpc.action] = append(r.rpc[a.rpc.action], a)
		}
	}
	return r
}

// isRPC reports whether a request is for the Alibaba RPC endpoint ("/").
func isRPC(r *http.Request) bool {
	ep := r.URL.EscapedPath()
	return ep == "/" || ep == ""
}

// route finds the API of a request; body is its body, which may hold the
// RPC parameters.
func (rt *routerT) route(r *http.Request, body []byte) route {
	if isRPC(r) {
		return rt.routeRPC(r, body)
	}
	return rt.routeREST(r)
}

func (rt *routerT) routeRPC(r *http.Request, body []byte) route {
	methodOK := r.Method == http.MethodPost || r.Method == http.MethodGet
	// The parameters as far as they parse: a malformed query is refused
	// later, in the API's terms.
	q, _ := alibaba.params(r, body)
	action, version := rpcActionVersion(r, q)
	cands := rt.rpc[action]
	if len(cands) == 0 {
		return route{api: unknownAPI(alibaba), methodOK: methodOK}
	}
	for _, a := range cands {
		if a.rpc.version == version {
			return route{api: a, methodOK: methodOK, versionOK: true}
		}
	}
	return route{api: cands[0], methodOK: methodOK}
}

// rpcActionVersion are an RPC request's action and version: its
// x-acs-action and x-acs-version headers (ACS3), else its Action and
// Version parameters q.
func rpcActionVersion(r *http.Request, q url.Values) (action, version string) {
	action, version = r.Header.Get("x-acs-action"), r.Header.Get("x-acs-version")
	if action == "" {
		action = q.Get("Action")
	}
	if version == "" {
		version = q.Get("Version")
	}
	return action, version
}

func (rt *routerT) routeREST(r *http.Request) route {
	unknown := route{api: unknownAPI(huawei), methodOK: true, versionOK: true}
	raw := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	segs := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			return unknown
		}
		segs[i] = u
	}
	var pathMatch *route
	for _, a := range rt.rest {
		params, ok := a.rest.match(segs)
		if !ok {
			continue
		}
		m := route{api: a, methodOK: r.Method == a.rest.method, versionOK: true, params: params}
		if m.methodOK {
			return m
		}
		if pathMatch == nil {
			pathMatch = &m
		}
	}
	if pathMatch != nil {
		return *pathMatch
	}
	return unknown
}

// match compares decoded path segments with the route's path and returns
// its named parameters.
func (p *restRoute) match(segs []string) (map[string]string, bool) {
	pat := strings.Split(strings.TrimPrefix(p.path, "/"), "/")
	if len(pat) != len(segs) {
		return nil, false
	}
	params := map[string]string{}
	for i, s := range pat {
		if name, ok := strings.CutPrefix(s, "{"); ok {
			params[strings.TrimSuffix(name, "}")] = segs[i]
		} else if s != segs[i] {
			return nil, false
		}
	}
	return params, true
}
