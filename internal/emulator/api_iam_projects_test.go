package emulator

import (
	"net/url"
	"strings"
	"testing"
)

type tProjects struct {
	Projects []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		DomainID string `json:"domain_id"`
		Enabled  bool   `json:"enabled"`
		Desc     string `json:"description"`
		ParentID string `json:"parent_id"`
		IsDomain bool   `json:"is_domain"`
		Links    struct {
			Self string `json:"self"`
		} `json:"links"`
	} `json:"projects"`
	Links struct {
		Self     string  `json:"self"`
		Previous *string `json:"previous"`
		Next     *string `json:"next"`
	} `json:"links"`
}

func TestIAMProjects(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.send(e.hwReq("GET", "/v3/projects", url.Values{"name": {DemoRegionHuawei}}, nil))
	wantOK(t, r)
	p := decodeAs[tProjects](t, r)
	if len(p.Projects) != 1 || p.Projects[0].ID != demoProject || p.Projects[0].Name != DemoRegionHuawei ||
		!p.Projects[0].Enabled || p.Projects[0].DomainID != DomainID() {
		t.Fatalf("projects %+v", p.Projects)
	}
	id1 := r.header.Get("X-Request-Id")
	r2 := e.send(e.hwReq("GET", "/v3/projects", url.Values{"name": {"xx-nowhere-1"}}, nil))
	wantOK(t, r2)
	if !strings.Contains(string(r2.body), `"projects":[]`) {
		t.Fatalf("unknown region: %s", r2.body)
	}
	if id2 := r2.header.Get("X-Request-Id"); id1 == "" || id1 == id2 {
		t.Fatalf("request ids %q %q", id1, id2)
	}
	all := decodeAs[tProjects](t, e.send(e.hwReq("GET", "/v3/projects", nil, nil)))
	if len(all.Projects) != len(HuaweiRegions) {
		t.Fatalf("all projects: %d", len(all.Projects))
	}
	// IAM is signed like everything else.
	wantHWErr(t, e.send(e.newReq("GET", "/v3/projects", url.Values{"name": {DemoRegionHuawei}}, nil)), 401, "APIG.0301")
}

func TestHostileIAMProject(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{APIs: []string{APIIAM}, Hostile: HostileIAMProject}})
	r := e.send(e.hwReq("GET", "/v3/projects", url.Values{"name": {"cn-north-4"}}, nil))
	if r.status != 200 || !strings.Contains(string(r.body), `"id":"p1/extra?x=1#f"`) {
		t.Fatalf("iam-path-project: %d %s", r.status, r.body)
	}
}

func TestHostileIAMEcho(t *testing.T) {
	const token = "hw-token-sent-back-in-the-project-id"
	e := newEnv(t, Options{HuaweiSecurityToken: token, Faults: Faults{APIs: []string{APIIAM}, Hostile: HostileIAMEcho}})
	r := e.send(e.hwReq("GET", "/v3/projects", url.Values{"name": {"cn-north-4"}}, nil))
	if r.status != 200 || !strings.Contains(string(r.body), `"id":"p1/`+token+`"`) {
		t.Fatalf("iam-echo-project: %d %s", r.status, r.body)
	}
}
