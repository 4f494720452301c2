package emulator

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

func TestRouting(t *testing.T) {
	e := newEnv(t, Options{})
	wantHWErr(t, e.send(e.hwReq("GET", "/v2/"+demoProject+"/nothing-here", nil, nil)), 404, "APIG.0101")
	wantHWErr(t, e.send(e.hwReq("DELETE", "/v2/"+demoProject+"/script-execution-records", nil, nil)), 405, "APIG.0101")
	if e.s.Requests(APIUnknown) != 1 || e.s.Requests(APIScriptRecords) != 1 {
		t.Fatalf("counters unknown=%d records=%d", e.s.Requests(APIUnknown), e.s.Requests(APIScriptRecords))
	}
	wantHWErr(t, e.send(e.hwReq("GET", "/v2/0123456789abcdef0123456789abcdef/script-execution-records", nil, nil)), 403, "APIG.0302")
}

// rpcReq is an ACS3-signed RPC request to "/" with q in the query and,
// when set, the action and version in the x-acs-* headers.
func (e *env) rpcReq(method string, q url.Values, action, version string) *http.Request {
	req := e.newReq(method, "/", q, nil)
	if action != "" {
		req.Header.Set("x-acs-action", action)
		req.Header.Set("x-acs-version", version)
	}
	signAli(req, nil, e.ali, time.Now())
	return req
}

// Alibaba RPC requests are routed by action and version, from the ACS3
// headers or, as the RPC style sends them, the Action and Version
// parameters of the query or of a form body.
func TestRoutingRPC(t *testing.T) {
	e := newEnv(t, Options{})
	q := url.Values{"ExecutionId": {ExecutionID(1)}, "MaxResults": {"3"}}
	byQuery := url.Values{"Action": {"ListExecutionLogs"}, "Version": {"2019-06-01"}}
	for k, v := range q {
		byQuery[k] = v
	}
	for _, r := range []result{
		e.send(e.rpcReq("POST", q, "ListExecutionLogs", "2019-06-01")),
		e.send(e.rpcReq("POST", byQuery, "", "")),
		e.send(e.rpcReq("GET", byQuery, "", "")),
	} {
		if p := decodeAs[tExecLogs](t, r); len(p.ExecutionLogs) != 3 {
			t.Fatalf("%d %s", r.status, r.body)
		}
	}
	form := []byte(byQuery.Encode())
	req := e.newReq("POST", "/", nil, form)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	signAli(req, form, e.ali, time.Now())
	if p := decodeAs[tExecLogs](t, e.send(req)); len(p.ExecutionLogs) != 3 {
		t.Fatalf("form body: %d logs", len(p.ExecutionLogs))
	}
	if n := e.s.Requests(APIExecutionLogs); n != 4 {
		t.Fatalf("%d requests counted for %s, want 4", n, APIExecutionLogs)
	}

	// A known action at another version, from a header or the query.
	wantAliErr(t, e.send(e.rpcReq("POST", q, "ListExecutionLogs", "2014-05-26")), 400, "InvalidVersion")
	byQuery.Set("Version", "2014-05-26")
	wantAliErr(t, e.send(e.rpcReq("POST", byQuery, "", "")), 400, "InvalidVersion")
	// An unknown action, or none: counted as unknown, not as an API.
	wantAliErr(t, e.send(e.rpcReq("POST", q, "ListExecutions", "2019-06-01")), 400, "InvalidAction.NotFound")
	byQuery.Set("Action", "DeleteExecutions")
	wantAliErr(t, e.send(e.rpcReq("POST", byQuery, "", "")), 400, "InvalidAction.NotFound")
	wantAliErr(t, e.send(e.rpcReq("POST", q, "", "")), 400, "InvalidAction.NotFound")
	if n, u := e.s.Requests(APIExecutionLogs), e.s.Requests(APIUnknown); n != 6 || u != 3 {
		t.Fatalf("counted %d for %s and %d unknown, want 6 and 3", n, APIExecutionLogs, u)
	}
	// The signature is still checked first.
	wantAliErr(t, e.send(e.newReq("POST", "/", byQuery, nil)), 400, "IncompleteSignature")
	wantAliErr(t, e.send(e.rpcReq("PUT", q, "ListExecutionLogs", "2019-06-01")), 405, "UnsupportedHTTPMethod")
}

// The router picks an RPC API by action, then version, and a REST API by
// path, then method.
func TestRouterChoosesByActionVersionAndMethod(t *testing.T) {
	noop := func(*Server, *call) *response { return nil }
	v1 := &api{name: "a-v1", cloud: alibaba, handle: noop, rpc: &rpcRoute{action: "A", version: "v1"}}
	v2 := &api{name: "a-v2", cloud: alibaba, handle: noop, rpc: &rpcRoute{action: "A", version: "v2"}}
	b := &api{name: "b", cloud: alibaba, handle: noop, rpc: &rpcRoute{action: "B", version: "v1"}}
	get := &api{name: "get", cloud: huawei, handle: noop, rest: &restRoute{method: "GET", path: "/v1/{project_id}/things/{id}"}}
	post := &api{name: "post", cloud: huawei, handle: noop, rest: &restRoute{method: "POST", path: "/v1/{project_id}/things/{id}"}}
	rt := newRouter([]*api{v1, v2, b, get, post})
	cases := []struct {
		method, target, action, version string
		want                            string
		methodOK, versionOK             bool
	}{
		{"POST", "/", "A", "v2", "a-v2", true, true},
		{"POST", "/?Action=A&Version=v1", "", "", "a-v1", true, true},
		{"GET", "/?Action=B&Version=v1", "", "", "b", true, true},
		{"POST", "/?Action=B&Version=v9", "", "", "b", true, false},
		{"POST", "/", "C", "v1", APIUnknown, true, false},
		{"DELETE", "/", "A", "v1", "a-v1", false, true},
		{"GET", "/v1/p/things/t%2F1", "", "", "get", true, true},
		{"POST", "/v1/p/things/t1", "", "", "post", true, true},
		{"PUT", "/v1/p/things/t1", "", "", "get", false, true},
		{"GET", "/v1/p/things", "", "", APIUnknown, true, true},
		{"GET", "/v1/p/others/t1", "", "", APIUnknown, true, true},
		{"GET", "/v1//things/t1", "", "", APIUnknown, true, true},
	}
	for _, c := range cases {
		r := httptest.NewRequest(c.method, "http://127.0.0.1"+c.target, nil)
		if c.action != "" {
			r.Header.Set("x-acs-action", c.action)
			r.Header.Set("x-acs-version", c.version)
		}
		got := rt.route(r, nil)
		if got.api.name != c.want || got.methodOK != c.methodOK || got.versionOK != c.versionOK {
			t.Errorf("%s %s (%s %s): %s methodOK=%v versionOK=%v, want %s %v %v", c.method, c.target, c.action, c.version,
				got.api.name, got.methodOK, got.versionOK, c.want, c.methodOK, c.versionOK)
		}
	}
	if got := rt.route(httptest.NewRequest("GET", "http://127.0.0.1/v1/p%20q/things/t%2F1", nil), nil); got.params["project_id"] != "p q" || got.params["id"] != "t/1" {
		t.Errorf("path parameters %v", got.params)
	}
}

// register refuses a plug-in that clashes with a registered one.
func TestRegisterRefusesClashes(t *testing.T) {
	noop := func(*Server, *call) *response { return nil }
	for name, a := range map[string]*api{
		"name":  {name: APIScriptRecords, order: 1000, cloud: huawei, handle: noop, rest: &restRoute{method: "GET", path: "/x"}},
		"order": {name: "x", order: 10, cloud: huawei, handle: noop, rest: &restRoute{method: "GET", path: "/x"}},
		"route": {name: "x", order: 1000, cloud: huawei, handle: noop, rest: &restRoute{method: "GET", path: "/v3/projects"}},
		"action": {name: "x", order: 1000, cloud: alibaba, handle: noop,
			rpc: &rpcRoute{action: "ListExecutionLogs", version: "2019-06-01"}},
		"key": {name: "x", order: 1000, cloud: huawei, handle: noop, rest: &restRoute{method: "GET", path: "/x"},
			data: &itemList[ScriptRecord]{jsonKey: "script_records"}},
		"no route": {name: "x", order: 1000, cloud: huawei, handle: noop},
		"no count": {name: "x", order: 1000, cloud: huawei, handle: noop, rest: &restRoute{method: "GET", path: "/x"},
			paging: offsetPaged, hostile: hostileFields{list: "items"}},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("registered")
				}
			}()
			register(a)
		})
	}
}
