package workspace_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

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
	// execute_order is compared as a number: a string "0" would not pass
	// (acctest.ExpectObjects).
	acctest.ApplyOnce(t, config.String(), checks...)
}

// Every filter alone and in combination, on the default dataset (two
// screen records of 230 events): each block's events are compared field by
// field with what the dataset says should match.
func TestAccDesktopEvents_filters(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	data := srv.Data()
	sr1, sr2 := emulator.ScreenRecordID(1), emulator.ScreenRecordID(2)
	cases := map[string]eventFilter{
		"all":            {ScreenRecordID: sr1},
		"other_record":   {ScreenRecordID: sr2},
		"type":           {ScreenRecordID: sr1, Type: "REG"},
		"id":             {ScreenRecordID: sr1, ID: "HDP_USB"},
		"id_beyond_doc":  {ScreenRecordID: sr2, ID: "REG_SETVALUE"},
		"level":          {ScreenRecordID: sr1, Level: "ALARM"},
		"data":           {ScreenRecordID: sr1, Data: "WeLink"},
		"type_level":     {ScreenRecordID: sr1, Type: "APP", Level: "ERROR"},
		"type_id":        {ScreenRecordID: sr2, Type: "FILE", ID: "FILE_DELETE"},
		"id_level_data":  {ScreenRecordID: sr1, ID: "APP_START", Level: "INFO", Data: "started"},
		"all_four":       {ScreenRecordID: sr2, Type: "HDP", ID: "HDP_PRINT", Level: "ALARM", Data: ".pdf"},
		"no_match":       {ScreenRecordID: sr1, Type: "APP", Data: "USB device"},
		"data_case_diff": {ScreenRecordID: sr1, Data: "welink"},
		// Any event_id is sent (the API's SDK model takes any string);
		// one no event has matches nothing, without an error.
		"id_not_in_data": {ScreenRecordID: sr1, ID: "REG_FOOBAR"},
	}
	var config strings.Builder
	config.WriteString(acctest.ProviderConfig(srv))
	var checks []statecheck.StateCheck
	for name, f := range cases {
		want := f.expect(data)
		all := len(data.ScreenRecords()[f.ScreenRecordID])
		switch {
		case name == "all" || name == "other_record":
		case name == "no_match" || name == "data_case_diff" || name == "id_not_in_data":
			if len(want) != 0 {
				t.Fatalf("%s: %d events match, want none", name, len(want))
			}
		case len(want) == 0 || len(want) >= all:
			t.Fatalf("%s: %d of %d events match; the filter must select some, not all", name, len(want), all)
		}
		config.WriteString(f.hcl(name))
		checks = append(checks, eventChecks(name, want, len(want))...)
	}
	// relative_start_time is compared as a number (acctest.ExpectObjects).
	acctest.ApplyOnce(t, config.String(), checks...)
}

// Filter values with spaces, &, =, +, quotes, %, /, ?, # and non-ASCII text
// reach the API intact (one query key per list element) and filter as
// they should.
func TestAccWorkspace_hostileValues(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	data := srv.Data()
	// Desktop 7 of every ten has an id like "desktop-0007 桌面/α & β=γ+δ".
	scripts := scriptFilter{
		ScriptNames: []string{emulator.HostileScriptName, "collect-logs"},
		ResourceIDs: []string{emulator.HostileResourceID, data.ScriptRecords()[6*8].ResourceID},
	}
	if !strings.Contains(scripts.ResourceIDs[1], "桌面") {
		t.Fatalf("dataset changed: record 48 runs on %q", scripts.ResourceIDs[1])
	}
	events := eventFilter{ScreenRecordID: emulator.ScreenRecordID(1), Data: emulator.HostileText}
	wantScripts, wantEvents := scripts.expect(data), events.expect(data)
	if len(wantScripts) < 4 || len(wantEvents) < 50 {
		t.Fatalf("dataset changed: %d records, %d events match the hostile filters", len(wantScripts), len(wantEvents))
	}

	// sameValues checks that every request for api carried exactly want
	// under key (in any order: the canonical query sorts values).
	sameValues := func(api, key string, want []string) error {
		qs, err := acctest.RecordedQueries(srv, api)
		if err != nil {
			return err
		}
		if len(qs) == 0 {
			return fmt.Errorf("%s: no request recorded", api)
		}
		for i, q := range qs {
			got := slices.Sorted(slices.Values(q[key]))
			if w := slices.Sorted(slices.Values(want)); !slices.Equal(got, w) {
				return fmt.Errorf("%s request %d: %s = %q, want %q", api, i, key, got, w)
			}
		}
		return nil
	}
	checks := append(scriptChecks("hostile", wantScripts, len(wantScripts)), eventChecks("hostile", wantEvents, len(wantEvents))...)
	checks = append(checks, acctest.CheckFunc(func() error {
		for _, c := range []struct {
			api, key string
			want     []string
		}{
			{emulator.APIScriptRecords, "script_name", scripts.ScriptNames},
			{emulator.APIScriptRecords, "resource_id", scripts.ResourceIDs},
			{emulator.APIDesktopEvents, "event_data", []string{events.Data}},
		} {
			if err := sameValues(c.api, c.key, c.want); err != nil {
				return err
			}
		}
		// '+' must travel as %2B: a raw '+' in a query means a space.
		for _, r := range append(srv.Recorded(emulator.APIScriptRecords), srv.Recorded(emulator.APIDesktopEvents)...) {
			if strings.Contains(r.RawQuery, "+") {
				return fmt.Errorf("raw query %q has a literal +", r.RawQuery)
			}
		}
		return nil
	}))

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:            acctest.ProviderConfig(srv) + scripts.hcl("hostile") + events.hcl("hostile"),
			ConfigStateChecks: checks,
		}},
	})
}

// Every invalid argument fails at plan time, naming the attribute; the
// emulator is never asked.
func TestAccWorkspace_validation(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	script := func(body string) string {
		return acctest.ProviderConfig(srv) + fmt.Sprintf("data %q \"x\" {\n%s\n}\n", scriptType, body)
	}
	event := func(body string) string {
		return acctest.ProviderConfig(srv) + fmt.Sprintf("data %q \"x\" {\n  screen_record_id = \"sr-0001\"\n%s\n}\n", eventsType, body)
	}
	// want: the parts the error must show, in order (the attribute's
	// name in each).
	cases := []struct {
		name, config string
		want         []string
	}{
		{"task_type", script(`task_type = "BATCH"`), []string{`Attribute task_type value must be one of`, `"SCRIPT"`, `got: "BATCH"`}},
		{"execute_time_start form", script(`execute_time_start = "2026-11-19 09:00:00"`),
			[]string{`Invalid RFC3339 String Value`, `execute_time_start = "2026-11-19 09:00:00"`}},
		{"execute_time_end form", script(`execute_time_end = "yesterday"`),
			[]string{`Invalid RFC3339 String Value`, `execute_time_end = "yesterday"`}},
		{"start after end", script("execute_time_start = \"2026-11-20T00:00:00Z\"\nexecute_time_end = \"2026-11-19T00:00:00+08:00\""),
			[]string{`Invalid time range`, `execute_time_start (2026-11-20T00:00:00Z) is after execute_time_end (2026-11-19T00:00:00+08:00)`}},
		{"show_history without resource_ids", script("show_history = true\nscript_ids = [\"script-01\"]"),
			[]string{`show_history = true requires resource_ids`}},
		{"show_history without script_ids", script("show_history = true\nresource_ids = [\"desktop-0001\"]"),
			[]string{`show_history = true requires script_ids`}},
		{"max_items zero", script(`max_items = 0`), []string{`max_items must be a whole number from 1 to 1,000,000, got 0`}},
		{"empty list element", script(`script_names = ["collect-logs", ""]`), []string{`Attribute script_names[1] string length must be at least 1`}},
		{"empty list", script(`resource_ids = []`), []string{`Attribute resource_ids list must contain at least 1`}},
		{"empty status", script(`status = ""`), []string{`Attribute status string length must be at least 1`}},
		{"event_type", event(`event_type = "NET"`), []string{`Attribute event_type value must be one of`, `"HDP"`, `got: "NET"`}},
		{"event_id form", event(`event_id = "app_start"`), []string{`Attribute event_id must be an event ID of the form`, `got: app_start`}},
		{"event_id family", event(`event_id = "USB_PLUG"`), []string{`Attribute event_id must be an event ID of the form`, `got: USB_PLUG`}},
		{"event_id of another type", event("event_type = \"FILE\"\nevent_id = \"APP_START\""),
			[]string{`Conflicting event filters`, `event_id "APP_START" is not an event of event_type "FILE"`}},
		{"event_level", event(`event_level = "WARN"`), []string{`Attribute event_level value must be one of`, `got: "WARN"`}},
		{"event_data empty", event(`event_data = ""`), []string{`Attribute event_data string length must be at least 1`}},
		{"event max_items", event(`max_items = 0`), []string{`max_items must be a whole number from 1 to 1,000,000, got 0`}},
		{"screen_record_id empty", acctest.ProviderConfig(srv) + fmt.Sprintf("data %q \"x\" {\n  screen_record_id = \"\"\n}\n", eventsType),
			[]string{`Attribute screen_record_id string length must be at least 1`}},
		{"screen_record_id slash", acctest.ProviderConfig(srv) + fmt.Sprintf("data %q \"x\" {\n  screen_record_id = \"sr-0001/../x\"\n}\n", eventsType),
			[]string{`Attribute screen_record_id must not contain "/"`}},
		{"screen_record_id missing", acctest.ProviderConfig(srv) + fmt.Sprintf("data %q \"x\" {\n}\n", eventsType),
			[]string{`The argument "screen_record_id" is required`}},
	}
	steps := make([]resource.TestStep, len(cases))
	for i, c := range cases {
		steps[i] = resource.TestStep{
			Config:      c.config,
			PlanOnly:    true,
			ExpectError: acctest.DiagnosticPattern(c.want...),
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps:                    steps,
	})
	if n := srv.Requests(emulator.APIScriptRecords) + srv.Requests(emulator.APIDesktopEvents) + srv.Requests(emulator.APIIAM); n != 0 {
		t.Errorf("%d requests reached the emulator; validation errors must stop the plan before any read", n)
	}
}

// rareSecret is a wrong secret key made so that no part of it longer than
// one character can appear in an error without an '⚷', which appears
// nowhere else: the 401 test's pattern rejects any '⚷' in the output.
const rareSecret = "⚷w⚷r⚷o⚷n⚷g⚷-⚷s⚷e⚷c⚷r⚷e⚷t⚷"

// Huawei Cloud's errors in its own terms: a wrong secret (401) with the
// hint on a refused signature, an unknown screen record (404) named with
// its project and region, and no credentials. (Every data source's 401,
// 404 and retries: internal/faulttest.)
func TestAccWorkspace_apiErrors(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	badKey := acctest.ProviderConfigWith(srv, acctest.Credentials{HuaweiSecretKey: rareSecret})
	noCreds := `provider "opsaudit" {}` + "\n"
	unknownRecord := "sr-9999 未知 & x=y+z"
	steps := []resource.TestStep{
		{
			Config: badKey + scriptFilter{Status: "FAILED"}.hcl("x"),
			ExpectError: acctest.DiagnosticPatternWithout('⚷', "Unable to list Workspace script execution records", "HTTP status: 401", "Error code: APIG.0301",
				"access key id and the secret key of access_key and secret_key (access_key (HW_ACCESS_KEY, OS_ACCESS_KEY, HUAWEICLOUD_SDK_AK) in the provider's huaweicloud block", "five failed signatures"),
		},
		{
			Config: acctest.ProviderConfig(srv) + eventFilter{ScreenRecordID: unknownRecord}.hcl("x"),
			ExpectError: acctest.DiagnosticPattern("Unable to list Workspace key desktop events",
				`screen recording "`+unknownRecord+`" (screen_record_id) was not found`,
				"HTTP status: 404", "Error code: WKS.00000404", "Request ID:"),
		},
		{
			Config:      noCreds + scriptFilter{}.hcl("x"),
			ExpectError: acctest.DiagnosticPattern("Unable to list Workspace script execution records", "access_key (HW_ACCESS_KEY, OS_ACCESS_KEY, HUAWEICLOUD_SDK_AK)"),
		},
		{
			Config:      noCreds + eventFilter{ScreenRecordID: "sr-0001"}.hcl("x"),
			ExpectError: acctest.DiagnosticPattern("Unable to list Workspace key desktop events", "access_key (HW_ACCESS_KEY, OS_ACCESS_KEY, HUAWEICLOUD_SDK_AK)", "HW_SECRET_KEY"),
		},
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps:                    steps,
	})
	// The unknown record id went out as one path segment, encoded once.
	wantPath := "/v2/" + emulator.ProjectID(emulator.DemoRegionHuawei) + "/screen-records/" + unknownRecord + "/os-operations"
	var paths []string
	for _, r := range srv.Recorded(emulator.APIDesktopEvents) {
		paths = append(paths, r.Path)
	}
	if !slices.Contains(paths, wantPath) {
		t.Errorf("no request for path %q; recorded paths: %q", wantPath, paths)
	}
}

// Without project_id the project is looked up through IAM: once for two
// data sources of one configuration.
func TestAccWorkspace_iamProjectLookup(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	data := srv.Data()
	scripts, events := scriptFilter{TaskType: "COMMAND"}, eventFilter{ScreenRecordID: "sr-0002", Type: "HDP"}
	wantScripts, wantEvents := scripts.expect(data), events.expect(data)
	project := emulator.ProjectID(emulator.DemoRegionHuawei)
	checks := append(append(scriptChecks("x", wantScripts, len(wantScripts)), eventChecks("x", wantEvents, len(wantEvents))...),
		acctest.CheckFunc(func() error {
			if n := srv.Requests(emulator.APIIAM); n != 1 {
				return fmt.Errorf("%d IAM requests, want 1 for two data sources", n)
			}
			q, err := url.ParseQuery(srv.Recorded(emulator.APIIAM)[0].RawQuery)
			if err != nil || q.Get("name") != emulator.DemoRegionHuawei {
				return fmt.Errorf("IAM lookup query %v (%w), want name=%s", q, err, emulator.DemoRegionHuawei)
			}
			for _, api := range []string{emulator.APIScriptRecords, emulator.APIDesktopEvents} {
				for _, r := range srv.Recorded(api) {
					if !strings.HasPrefix(r.Path, "/v2/"+project+"/") {
						return fmt.Errorf("%s: path %q does not use the looked-up project %s", api, r.Path, project)
					}
				}
			}
			return nil
		}))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			PreConfig:         func() { srv.ResetCounters() },
			Config:            acctest.ProviderConfigWith(srv, acctest.Credentials{OmitProjectID: true}) + scripts.hcl("x") + events.hcl("x"),
			ConfigStateChecks: checks,
		}},
	})
}
