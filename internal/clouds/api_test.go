package clouds

import (
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// TestHuaweiListPath: {project_id} is the scope's project, any other
// {name} the argument that fills it; literal segments stay.
func TestHuaweiListPath(t *testing.T) {
	l := &HuaweiList[struct{}]{Path: "/v1/{project_id}/workspaces/{workspace_id}/soc/{x}"}
	got := l.path(HuaweiScope{Project: "p1"}, &listread.Request{Path: map[string]string{"workspace_id": "ws 1", "x": "y"}})
	if want := "/v1/p1/workspaces/ws 1/soc/y"; got != want {
		t.Errorf("path %q, want %q", got, want)
	}
	if got := l.path(HuaweiScope{Project: "p1"}, &listread.Request{}); got != "/v1/p1/workspaces//soc/" {
		t.Errorf("unfilled parameters: %q", got)
	}
}

// TestFetchDocs: each list call documents its paging parameters and the
// answer's members it reads.
func TestFetchDocs(t *testing.T) {
	h := (&HuaweiList[struct{}]{Operation: "ListThings", Service: "things", Method: "GET", Path: "/v1/{project_id}/things",
		TotalField: "count", ListField: "items"}).FetchDoc(100)
	if h.Paging != "`offset`, `limit` = 100" || h.Total != "count" || h.List != "items" ||
		h.Call != "the API `ListThings`, `GET /v1/{project_id}/things`, on `https://things.{region}.{cloud}` (or the provider's "+
			"`huaweicloud.endpoints.things`), signed with `SDK-HMAC-SHA256`" {
		t.Errorf("HuaweiList: %+v", h)
	}
	a := (&AliRPC[struct{}]{Product: "oos", Action: "ListThings", Version: "2019-06-01", MaxResults: 50, ListField: "Logs",
		TokenField: "NextToken"}).FetchDoc(0)
	if !strings.Contains(a.Paging, "`MaxResults` = 50") || !strings.Contains(a.Paging, "`NextToken` from the second page") ||
		a.Total != "" || a.List != "Logs" || !strings.HasPrefix(a.Call, "the RPC API `ListThings`, version `2019-06-01`, on "+
		"`https://oos.{region}.aliyuncs.com` (or the provider's `alicloud.endpoints.oos`), signed with `ACS3-HMAC-SHA256`") {
		t.Errorf("AliRPC: %+v", a)
	}
}
