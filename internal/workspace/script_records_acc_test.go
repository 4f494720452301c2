package workspace_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// Every filter alone and in combination, on the default dataset (250
// records, 200 of them the latest of their pair): each block's records are
// compared field by field with what the dataset says should match.
func TestAccScriptRecords_filters(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	data := srv.Data()
	all := len(scriptFilter{}.expect(data))
	cases := map[string]scriptFilter{
		"all":              {},
		"resource_ids":     {ResourceIDs: []string{"desktop-0001", emulator.HostileResourceID}},
		"resource_groups":  {ResourceGroupIDs: []string{"rg-03 运维/ops"}},
		"script_ids":       {ScriptIDs: []string{"script-01", emulator.HostileScriptID}},
		"script_names":     {ScriptNames: []string{emulator.HostileScriptName}},
		"status":           {Status: "FAILED"},
		"first_order":      {IsFirstOrder: ptr(true)},
		"not_first_order":  {IsFirstOrder: ptr(false)},
		"script_task_id":   {ScriptTaskID: "task-00002-03"},
		"task_type":        {TaskType: "COMMAND"},
		"window":           {Start: "2026-11-18T06:00:00Z", End: "2026-11-19T06:00:00Z"},
		"window_open_end":  {Start: "2026-11-20T00:00:00Z"},
		"show_history":     {ShowHistory: ptr(true), ResourceIDs: []string{"desktop-0001", "desktop-0003"}, ScriptIDs: []string{"script-01", "script-04"}},
		"combo_group":      {ResourceGroupIDs: []string{emulator.HostileResourceGroupID}, Status: "SUCCESS", TaskType: "SCRIPT"},
		"combo_script":     {ScriptIDs: []string{"script-05"}, Start: "2026-11-18T12:00:00Z", IsFirstOrder: ptr(true)},
		"combo_no_history": {ShowHistory: ptr(false), ScriptNames: []string{"collect-logs", "sync-time"}, Status: "FAILED"},
		"no_match":         {Status: "NO_SUCH_STATUS"},
		// The API matches status case-sensitively: "failed" is accepted
		// (with a plan-time warning, TestAccKnownValueWarnings in
		// internal/examplestest) and matches nothing.
		"status_lower_case": {Status: "failed"},
	}
	var config strings.Builder
	config.WriteString(acctest.ProviderConfig(srv))
	var checks []statecheck.StateCheck
	for name, f := range cases {
		want := f.expect(data)
		// The test data must make every filter discriminate.
		switch {
		case name == "all":
		case name == "no_match" || name == "status_lower_case":
			if len(want) != 0 {
				t.Fatalf("%s: %d records match, want none", name, len(want))
			}
		case len(want) == 0 || len(want) >= all && name != "show_history":
			t.Fatalf("%s: %d of %d records match; the filter must select some, not all", name, len(want), all)
		}
		config.WriteString(f.hcl(name))
		checks = append(checks, scriptChecks(name, want, len(want))...)
	}
	if h := cases["show_history"].expect(data); !slices.ContainsFunc(h, func(r emulator.ScriptRecord) bool { return r.History }) {
		t.Fatal("show_history: no history record among the matches; the case proves nothing")
	}
	// Numbers are numbers: execute_order of the first record, read as an
	// int64 (a string "0" would not pass).
	checks = append(checks, statecheck.ExpectKnownValue(scriptAddr("all"),
		tfjsonpath.New("records").AtSliceIndex(0).AtMapKey("execute_order"),
		knownvalue.Int64Exact(int64(data.ScriptRecords()[0].ExecuteOrder))))

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:            config.String(),
			ConfigStateChecks: checks,
		}},
	})
}
