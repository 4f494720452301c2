package workspace_test

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

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

// Results of three pages, every field of every item compared; then
// max_items below a page (one request only, total_count still complete)
// and above the total (every page, nothing extra).
func TestAccWorkspace_pagesAndMaxItems(t *testing.T) {
	// 350 records: 280 are the latest of their (resource, script) pair,
	// three pages of 100; 230 events per screen record: three pages too.
	sizes := emulator.DefaultSizes()
	sizes[emulator.SizeScriptRecords] = 350
	srv := acctest.Emulator(t, emulator.Options{Data: emulator.Generate(emulator.DefaultSeed, sizes)})
	data := srv.Data()
	scripts, events := scriptFilter{}, eventFilter{ScreenRecordID: emulator.ScreenRecordID(2)}
	wantScripts, wantEvents := scripts.expect(data), events.expect(data)
	if len(wantScripts) <= 200 || len(wantEvents) <= 200 {
		t.Fatalf("dataset changed: %d records, %d events; the test needs three pages of each", len(wantScripts), len(wantEvents))
	}
	reset := func() { srv.ResetCounters() }
	requests := func(offsets ...string) statecheck.StateCheck {
		return acctest.CheckFunc(func() error {
			if err := pageRequests(srv, emulator.APIScriptRecords, offsets...); err != nil {
				return err
			}
			return pageRequests(srv, emulator.APIDesktopEvents, offsets...)
		})
	}
	withMax := func(n int) string {
		s, e := scripts, events
		s.MaxItems, e.MaxItems = n, n
		return acctest.ProviderConfig(srv) + s.hcl("x") + e.hcl("x")
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{
			{
				PreConfig: reset,
				Config:    withMax(0),
				ConfigStateChecks: append(append(scriptChecks("x", wantScripts, len(wantScripts)),
					eventChecks("x", wantEvents, len(wantEvents))...),
					requests("0", "100", "200")),
			},
			{
				PreConfig: reset,
				Config:    withMax(7),
				ConfigStateChecks: append(append(scriptChecks("x", wantScripts[:7], len(wantScripts)),
					eventChecks("x", wantEvents[:7], len(wantEvents))...),
					requests("0"),
					statecheck.ExpectKnownValue(scriptAddr("x"), tfjsonpath.New("max_items"), knownvalue.Int64Exact(7))),
			},
			{
				PreConfig: reset,
				Config:    withMax(len(wantScripts) + len(wantEvents) + 1000),
				ConfigStateChecks: append(append(scriptChecks("x", wantScripts, len(wantScripts)),
					eventChecks("x", wantEvents, len(wantEvents))...),
					requests("0", "100", "200")),
			},
		},
	})
}

// max_parallel_requests bounds the page requests in flight for a read;
// the default (4) reads several pages at once.
func TestAccWorkspace_parallelism(t *testing.T) {
	// Seven pages of script records and six of events (the first page
	// alone, then the rest in parallel); a little latency so that
	// parallel requests overlap.
	sizes := emulator.DefaultSizes()
	sizes[emulator.SizeScriptRecords], sizes[emulator.SizeScreenRecords], sizes[emulator.SizeEventsPerScreenRecord] = 700, 1, 560
	srv := acctest.Emulator(t, emulator.Options{
		Data:   emulator.Generate(emulator.DefaultSeed, sizes),
		Faults: emulator.Faults{APIs: []string{emulator.APIScriptRecords, emulator.APIDesktopEvents}, Latency: 50 * time.Millisecond},
	})
	data := srv.Data()
	scripts, events := scriptFilter{}, eventFilter{ScreenRecordID: emulator.ScreenRecordID(1)}
	wantScripts, wantEvents := scripts.expect(data), events.expect(data)
	if len(wantScripts) <= 500 || len(wantEvents) <= 500 {
		t.Fatalf("dataset changed: %d records, %d events", len(wantScripts), len(wantEvents))
	}
	step := func(setting string, lo, hi int) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() { srv.ResetCounters() },
			Config:    acctest.ProviderConfig(srv, setting) + scripts.hcl("x") + events.hcl("x"),
			ConfigStateChecks: append(append(scriptChecks("x", wantScripts, len(wantScripts)),
				eventChecks("x", wantEvents, len(wantEvents))...),
				acctest.CheckFunc(func() error {
					for _, api := range []string{emulator.APIScriptRecords, emulator.APIDesktopEvents} {
						if n := srv.MaxInFlight(api); n < lo || n > hi {
							return fmt.Errorf("%s (%q): %d requests in flight at most, want %d..%d", api, setting, n, lo, hi)
						}
					}
					return nil
				})),
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{
			step("max_parallel_requests = 2", 1, 2),
			// The default, 16, is above the pages after the first (six
			// of script records, five of events): at least two overlap
			// (each request takes 50 ms at the emulator), never more
			// than there are pages to ask for.
			step("", 2, 6),
		},
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

// withoutRune is acctest.DiagnosticPattern for the whole output, which must
// moreover not contain r anywhere.
func withoutRune(r rune, parts ...string) *regexp.Regexp {
	not := "[^" + regexp.QuoteMeta(string(r)) + "]*"
	q := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		q[i] = strings.Join(words, `[\s│]+`)
	}
	return regexp.MustCompile(`(?s)\A` + not + strings.Join(q, not) + not + `\z`)
}

// API errors: a wrong secret (401), an unknown screen record (404), and no
// credentials.
func TestAccWorkspace_apiErrors(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	badKey := acctest.ProviderConfigWith(srv, acctest.Credentials{HuaweiSecretKey: rareSecret})
	noCreds := `provider "opsaudit" {}` + "\n"
	unknownRecord := "sr-9999 未知 & x=y+z"
	steps := []resource.TestStep{
		{
			Config: badKey + scriptFilter{Status: "FAILED"}.hcl("x"),
			ExpectError: withoutRune('⚷', "Unable to list Workspace script execution records", "HTTP status: 401", "Error code: APIG.0301",
				"access key id and the secret key of access_key and secret_key (access_key (HW_ACCESS_KEY, OS_ACCESS_KEY, HUAWEICLOUD_SDK_AK) in the provider's huaweicloud block", "five failed signatures"),
		},
		{
			Config:      badKey + eventFilter{ScreenRecordID: "sr-0001"}.hcl("x"),
			ExpectError: withoutRune('⚷', "Unable to list Workspace key desktop events", "HTTP status: 401", "Error code: APIG.0301", "five failed signatures"),
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
	// A 401 is not retried (a Huawei key is locked after five failed
	// signatures): one request per failed read.
	for _, api := range []string{emulator.APIScriptRecords, emulator.APIDesktopEvents} {
		n := 0
		for _, r := range srv.Recorded(api) {
			if r.Status == 401 {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d requests answered 401, want exactly 1 (no retry)", api, n)
		}
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

// The same arguments give the same id, in one configuration and across
// runs; different arguments a different id. Each step also proves the plan
// after apply is empty (the harness fails on a diff).
func TestAccWorkspace_deterministicID(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	s := scriptFilter{ScriptIDs: []string{"script-01", "script-02"}, Status: "SUCCESS"}
	sOther := s
	sOther.Status = "FAILED"
	sMoved := s // the same values under another argument
	sMoved.ScriptIDs, sMoved.ScriptNames = nil, s.ScriptIDs
	e := eventFilter{ScreenRecordID: "sr-0001", Type: "APP"}
	eOther := e
	eOther.MaxItems = 5
	eRecord := e
	eRecord.ScreenRecordID = "sr-0002"
	config := acctest.ProviderConfig(srv) + s.hcl("a") + s.hcl("b") + sOther.hcl("c") + sMoved.hcl("d") +
		e.hcl("a") + e.hcl("b") + eOther.hcl("c") + eRecord.hcl("d")
	id := tfjsonpath.New("id")
	acrossScripts := statecheck.CompareValue(compare.ValuesSame())
	acrossEvents := statecheck.CompareValue(compare.ValuesSame())
	checks := func() []statecheck.StateCheck {
		out := []statecheck.StateCheck{
			acrossScripts.AddStateValue(scriptAddr("a"), id),
			acrossEvents.AddStateValue(eventsAddr("a"), id),
			acctest.CompareIDs(scriptAddr("a"), eventsAddr("a"), compare.ValuesDiffer()),
		}
		for _, p := range []struct {
			addr func(string) string
			b    string
			cmp  compare.ValueComparer
		}{
			{scriptAddr, "b", compare.ValuesSame()}, {scriptAddr, "c", compare.ValuesDiffer()}, {scriptAddr, "d", compare.ValuesDiffer()},
			{eventsAddr, "b", compare.ValuesSame()}, {eventsAddr, "c", compare.ValuesDiffer()}, {eventsAddr, "d", compare.ValuesDiffer()},
		} {
			out = append(out, acctest.CompareIDs(p.addr("a"), p.addr(p.b), p.cmp))
		}
		return out
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: checks()},
			{Config: config, ConfigStateChecks: checks()},
		},
	})
}
