package oos

import (
	"net/url"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// TestExecutionLogsParams: the filters that are set and nothing else
// (MaxResults, paging and RegionId are added per request).
func TestExecutionLogsParams(t *testing.T) {
	r, err := ExecutionLogs.Request(listread.Args{
		"execution_id": tftypes.NewValue(tftypes.String, "exec-1"), "task_execution_id": tftypes.NewValue(tftypes.String, nil),
		"log_type": tftypes.NewValue(tftypes.String, "Task"),
	})
	want := url.Values{"ExecutionId": {"exec-1"}, "LogType": {"Task"}}
	if err != nil || r.Query.Encode() != want.Encode() || r.Body != nil {
		t.Fatalf("query %v body %q (%v), want %v and no body", r.Query, r.Body, err, want)
	}
}
