package workspace_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

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
	// Numbers are numbers: relative_start_time read as an int64.
	checks = append(checks, statecheck.ExpectKnownValue(eventsAddr("all"),
		tfjsonpath.New("events").AtSliceIndex(1).AtMapKey("relative_start_time"),
		knownvalue.Int64Exact(int64(data.ScreenRecords()[sr1][1].RelativeStartTime))))

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:            config.String(),
			ConfigStateChecks: checks,
		}},
	})
}
